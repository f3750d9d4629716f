/**
 * A lone `serve()` process and the errors its app lets escape every request (src/serving/process-guard.ts): an
 * unhandled rejection is logged and serving goes on; an uncaught exception is logged, the requests under way finish,
 * and the process exits with code 1. Without the guard, Node ended the process at once, for every client.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fetchRaw } from '../helpers/http.js';

function startGuarded(scenario = '') {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/serving/process-guard.child.ts'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TSX_TSCONFIG_PATH: 'test/tsconfig.json', GUARD_SCENARIO: scenario },
  });
  let err = '';
  const waiters = new Set<() => void>();
  child.stderr.on('data', (data: Buffer) => {
    err += data.toString();
    for (const waiter of waiters) waiter();
  });
  // What the child prints on standard output, one JSON object a line.
  const printed: Array<Record<string, unknown>> = [];
  let pending = '';
  child.stdout.on('data', (data: Buffer) => {
    pending += data.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) printed.push(JSON.parse(line) as Record<string, unknown>);
    for (const waiter of waiters) waiter();
  });
  /** Resolves with the first printed object that has `key`. */
  const printedWith = (key: string): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      const check = (): void => {
        const found = printed.find((object) => key in object);
        if (found === undefined) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    });
  const port = printedWith('port').then((object) => object.port as number);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Resolves once standard error says `text`; rejects, with what it said, if the process ends first. */
  const said = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!err.includes(text)) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
      void exited.then((code) => {
        if (waiters.delete(check)) reject(new Error(`the server exited (${code}) before saying ${text}:\n${err}`));
      });
    });
  return { child, port, said, printedWith, exited, err: () => err };
}

describe('a serve() process and errors that escape every request', () => {
  it('logs an unhandled rejection and goes on serving', { timeout: 20_000 }, async () => {
    const guarded = startGuarded();
    const url = `http://127.0.0.1:${await guarded.port}`;
    expect((await fetchRaw(`${url}/reject`)).text).toBe('answered before the rejection');
    await guarded.said('A promise was rejected and nothing handled it; serving goes on');
    expect(guarded.err()).toContain('a background save failed');
    expect((await fetchRaw(url)).text).toBe('alive');
    guarded.child.kill('SIGTERM');
    await guarded.exited;
  });

  it('finishes the requests under way after an uncaught exception, then exits with code 1', {
    timeout: 20_000,
  }, async () => {
    const guarded = startGuarded();
    const url = `http://127.0.0.1:${await guarded.port}`;
    const slow = fetchRaw(`${url}/slow`);
    await guarded.printedWith('slow'); // the slow request is in the view before the exception
    expect((await fetchRaw(`${url}/throw-later`)).text).toBe('answered before the throw');
    await guarded.said('it stops once the requests under way finish');
    guarded.child.stdin.write('release\n');
    expect((await slow).text).toBe('slow done');
    expect(await guarded.exited).toBe(1);
    expect(guarded.err()).toContain('a timer of the app threw');
  });

  it("steps aside for the process's own handler, even one added after serve()", { timeout: 20_000 }, async () => {
    const guarded = startGuarded('own');
    const url = `http://127.0.0.1:${await guarded.port}`;
    await fetchRaw(`${url}/reject`);
    expect(await guarded.printedWith('mine')).toEqual({ mine: 'Error: a background save failed' });
    expect((await fetchRaw(url)).text).toBe('alive');
    expect(guarded.err()).not.toContain('nothing handled it');
    guarded.child.kill('SIGTERM');
    await guarded.exited;
  });

  it('leaves a rejection to Node again once its servers are closed', { timeout: 20_000 }, async () => {
    const guarded = startGuarded('closed');
    expect(await guarded.exited).toBe(1);
    expect(guarded.err()).toContain('rejected after close');
    expect(guarded.err()).not.toContain('nothing handled it');
  });
});
