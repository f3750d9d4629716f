/**
 * Starting `flagon serve` (dist/cli/main.js: npm run build first) in tests, waiting on the lines its primary prints,
 * and cleaning up every process and folder it made. Used by the prefork tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { type Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from './dev-server.js';
import { expect } from 'vitest';

/** The app the prefork tests serve (test/fixtures/prefork-app/app.ts; its header comment says what it answers). */
export const PREFORK_APP = fileURLToPath(new URL('../fixtures/prefork-app/app.ts', import.meta.url));

/** `Worker booted (pid: N)`, global: count them with {@link Primary.waitFor}. */
export const BOOTED = /Worker booted \(pid: (\d+)\)/g;

const dirs: string[] = [];
const started: ChildProcess[] = [];
const workerPids = new Set<number>();

/** Kills every primary and worker the test started (call it in afterEach). */
export function killServes(): void {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of workerPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone, as it should be
    }
  }
  workerPids.clear();
}

/** Removes the folders {@link tempDir} made (call it in afterAll). */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A new temporary folder, removed by {@link removeTempDirs}. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flagon-prefork-'));
  dirs.push(dir);
  return dir;
}

/** A running `flagon serve` primary, its output, and a way to wait for lines in it. */
export interface Primary {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves when standard output (or `stream`) has printed `count` matches of `pattern` (global); returns them. */
  waitFor(
    pattern: RegExp,
    count?: number,
    timeoutMs?: number,
    stream?: 'stdout' | 'stderr',
  ): Promise<RegExpMatchArray[]>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `flagon serve --app <the prefork app> ...args` (no `--app` when `options.app` is `null`), with FLAGON_DEBUG
 * set to show that serve ignores it.
 */
export function startServe(
  args: string[],
  env: Record<string, string> = {},
  options: { cwd?: string; app?: string | null } = {},
): Primary {
  const app = options.app === undefined ? PREFORK_APP : options.app;
  const child = spawn(process.execPath, [CLI, 'serve', ...(app === null ? [] : ['--app', app]), ...args], {
    env: { ...process.env, FLAGON_APP: '', FLAGON_DEBUG: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
  });
  started.push(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const match of out.matchAll(/pid: (\d+)/g)) workerPids.add(Number(match[1]));
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const listener of listeners) listener();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (
    pattern: RegExp,
    count = 1,
    timeoutMs = 15_000,
    stream: 'stdout' | 'stderr' = 'stdout',
  ): Promise<RegExpMatchArray[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const matches = [...(stream === 'stdout' ? out : err).matchAll(pattern)];
        if (matches.length >= count) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(matches);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${count} × ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
      }, timeoutMs);
      listeners.add(check);
      void exited.then(({ code }) => {
        if (!listeners.has(check)) return;
        listeners.delete(check);
        clearTimeout(timer);
        reject(new Error(`flagon serve exited (${code}) before ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
      });
      check();
    });
  return { child, out: () => out, err: () => err, waitFor, exited };
}

/** One answer of the prefork app: its status, the worker that gave it, and its body. */
export interface Answer {
  status: number;
  pid: number;
  body: string;
}

/** One GET, by default on a fresh connection. */
export function get(
  target: { port: number } | { socketPath: string },
  path = '/',
  agent: Agent | false = false,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', ...target, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode!, pid: Number(res.headers['x-worker-pid']), body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves when a file whose name matches `pattern` exists in `dir`. */
export function fileAppears(dir: string, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const find = (): string | undefined => readdirSync(dir).find((name) => pattern.test(name));
    const watcher = watch(dir, () => {
      const name = find();
      if (name) {
        watcher.close();
        resolve(name);
      }
    });
    const now = find();
    if (now) {
      watcher.close();
      resolve(now);
    }
  });
}

/** Waits for the primary to exit and expects exit code 0, with its output in the failure message when it is not. */
export async function expectCleanExit(primary: Primary): Promise<void> {
  const { code, signal } = await primary.exited;
  expect({ code, signal }, `flagon serve's stdout:\n${primary.out()}\nstderr:\n${primary.err()}`).toEqual({
    code: 0,
    signal: null,
  });
}
