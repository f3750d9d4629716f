/**
 * Running a generated project's commands as its user would: `npm …` and `npx …` in the project folder, with an
 * environment free of this test run's own npm, vitest and Flagon variables, and long-running servers started in a
 * process group of their own so that stopping one stops everything it started.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * The environment a user's shell would give: this process's, less what `npm test` and vitest set for themselves
 * (`npm_*` lifecycle variables, `VITEST*`, `NODE_ENV=test`) and any `FLAGON_*` setting, which would leak into the
 * project's config through `fromPrefixedEnv()`.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|FLAGON_)/i.test(key) || key === 'NODE_ENV' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Runs a command to completion; rejects with its output when it fails, so the test report shows why. */
export async function run(
  command: string,
  args: string[],
  cwd: string,
  extra: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(command, args, { cwd, env: userEnv(extra), maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: error,
    });
  }
}

/** A server started by {@link startServer}. */
export interface RunningServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a long-running command (`npm run dev -- --port 0`) and resolves once it prints `Running on URL` or
 * `Serving … on URL`. It leads a process group of its own: `stop()` signals the whole group (npm, the shell, the
 * reloader and its worker), then waits for the command to exit.
 */
export function startServer(
  command: string,
  args: string[],
  cwd: string,
  extra: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<RunningServer> {
  const child: ChildProcess = spawn(command, args, {
    cwd,
    env: userEnv(extra),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // the group is already gone
      }
    }
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} ${args.join(' ')} printed no URL within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /(?:Running on|Serving .* on) (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, output: () => output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (${code ?? signal}) before printing its URL:\n${output}`));
    });
  });
}
