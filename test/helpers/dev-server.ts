/** Test helpers for the `flagon` command: a throwaway project in a temp folder, and the built CLI started on port 0. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI: `npm test` builds before vitest runs, so the command under test is the one users get. */
export const CLI = join(REPO, 'dist', 'cli', 'main.js');

/** A project folder with a package.json, `node_modules/flagon` linked to this repository, and the given files. */
export function makeProject(files: Record<string, string>): {
  dir: string;
  write(name: string, text: string): void;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'flagon-cli-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'flagon'), 'dir');
  const write = (name: string, text: string): void => {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  write('package.json', JSON.stringify({ name: 'cli-test-app', type: 'module', private: true }));
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningCli {
  process: ChildProcess;
  url: string;
  /** Everything printed so far on standard output and standard error. */
  stdout(): string;
  stderr(): string;
  /** Resolves when standard output has printed text matching `pattern`. */
  /** Resolves when standard output (or `stream`) has printed a match of `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts `flagon <args>` in `cwd` and waits for ` * Running on URL`. */
export async function startCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const listener of listeners) listener();
  });
  const waitFor = (
    pattern: RegExp,
    timeoutMs = 15_000,
    stream: 'stdout' | 'stderr' = 'stdout',
  ): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(stream === 'stdout' ? out : err);
        if (match) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
      }, timeoutMs);
      listeners.add(check);
      child.once('exit', (code) =>
        reject(new Error(`flagon exited (${code}) before ${pattern}; stdout:\n${out}\nstderr:\n${err}`)),
      );
      check();
    });
  const [, url] = await waitFor(/ \* Running on (http:\/\/\S+)\n/);
  return {
    process: child,
    url: url!,
    stdout: () => out,
    stderr: () => err,
    waitFor,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** What a process that ran to its end wrote, and how it exited. */
export interface ExitedProcess {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, collecting its output, without blocking the event loop as spawnSync would. */
export function runToExit(command: string, args: string[], options: SpawnOptions): Promise<ExitedProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
