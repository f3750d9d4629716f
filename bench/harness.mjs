// What the benchmark runners share: the median, CPU pinning with taskset, and the load generator in its own process.
import { execFileSync, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const loadScript = fileURLToPath(new URL('load.mjs', import.meta.url));

/** The middle value (the mean of the two middle ones for an even count). */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

export const fixed = (value, digits) => value.toFixed(digits);

/** Whether commands can be pinned to a CPU: taskset works and there are two CPUs, one for servers, one for load. */
export function canPin() {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return cpus().length >= 2;
  } catch {
    return false;
  }
}

/** `[file, args]` for spawn(): `command` on CPU `cpu` when `pin`, as it is otherwise. */
export const pinned = (pin, cpu, command) =>
  pin ? ['taskset', ['-c', String(cpu), ...command]] : [command[0], command.slice(1)];

/**
 * autocannon (bench/load.mjs) against `url` for `seconds` with `connections` keep-alive connections, in its own
 * process (on CPU 1 when `pin`): resolves with its one JSON line `{ total, rps, p99, non2xx, errors }`.
 */
export function runLoad(url, seconds, connections, pin) {
  const [cmd, cmdArgs] = pinned(pin, 1, [process.execPath, loadScript, url, String(seconds), String(connections)]);
  return new Promise((resolve, reject) => {
    let out = '';
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (data) => {
      out += data;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load exited with ${code}`)),
    );
  });
}
