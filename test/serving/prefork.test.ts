/**
 * `flagon serve`: a primary (node:cluster) pre-forking workers, as gunicorn. Runs dist/cli/main.js (npm run build
 * first) on test/fixtures/prefork-app, over real HTTP on 127.0.0.1 and over a UNIX socket.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/http.js';
import {
  BOOTED,
  fileAppears,
  get,
  killServes,
  removeTempDirs,
  startServe,
  tempDir,
  expectCleanExit,
} from '../helpers/prefork.js';

const holders: ChildProcess[] = [];
afterEach(() => {
  killServes();
  for (const child of holders.splice(0)) child.kill('SIGKILL');
});
afterAll(removeTempDirs);

describe('flagon serve', () => {
  it('forks the workers asked for, and both answer', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '2']);
    await primary.waitFor(new RegExp(`Listening at: http://127\\.0\\.0\\.1:${port} \\((\\d+)\\)`, 'g'));
    const booted = await primary.waitFor(BOOTED, 2);
    const pids = new Set(booted.map((match) => Number(match[1])));
    expect(pids.size).toBe(2);
    expect(primary.out()).toContain(`(${primary.child.pid})`);
    const seen = new Set<number>();
    for (let i = 0; i < 40 && seen.size < 2; i += 1) {
      const answer = await get({ port });
      expect(answer).toMatchObject({ status: 200, body: 'hello from a worker' });
      seen.add(answer.pid);
    }
    expect(seen).toEqual(pids);
    // node:repl (for `flagon shell`) loads node:domain, which slows every EventEmitter: never in a worker.
    expect(JSON.parse((await get({ port }, '/loaded')).body)).toEqual({ domain: false, repl: false });
    primary.child.kill('SIGTERM');
    expect(await primary.exited).toEqual({ code: 0, signal: null });
  });

  it("answers what the parser refuses and CONNECT as serve() does: 431 and 501, not node's bare 400", {
    timeout: 30_000,
  }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1']);
    await primary.waitFor(BOOTED, 1);
    const raw = (text: string): Promise<string> =>
      new Promise((resolve, reject) => {
        let answer = '';
        const socket = connect(port, '127.0.0.1', () => socket.write(text));
        socket.on('data', (chunk: Buffer) => {
          answer += chunk.toString('latin1');
        });
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    const huge = `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    expect(await raw(huge)).toMatch(/^HTTP\/1\.1 431 /);
    expect(await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')).toMatch(/^HTTP\/1\.1 501 /);
    primary.child.kill('SIGTERM');
    expect(await primary.exited).toEqual({ code: 0, signal: null });
  });

  it('replaces a worker killed with SIGKILL within a second, and keeps answering', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '2']);
    const booted = await primary.waitFor(BOOTED, 2);
    const victim = Number(booted[0]![1]);
    const forksBefore = [...primary.out().matchAll(/Booting worker with pid: (\d+)/g)].length;
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    const forks = await primary.waitFor(/Booting worker with pid: (\d+)/g, forksBefore + 1, 1_000);
    expect(Date.now() - killedAt).toBeLessThan(1_000);
    const replacement = Number(forks.at(-1)![1]);
    expect(replacement).not.toBe(victim);
    expect(primary.out()).toMatch(new RegExp(`Worker \\(pid:${victim}\\) exited with signal SIGKILL`));
    await primary.waitFor(BOOTED, 3);
    for (let i = 0; i < 10; i += 1) {
      const answer = await get({ port });
      expect(answer.status).toBe(200);
      expect(answer.pid).not.toBe(victim);
    }
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });

  it('on SIGTERM lets a request in flight finish, closes idle keep-alive connections, and exits 0', {
    timeout: 30_000,
  }, async () => {
    const port = await freePort();
    const dir = tempDir();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1', '--graceful-timeout', '20'], {
      PREFORK_TEST_DIR: dir,
    });
    await primary.waitFor(BOOTED, 1);
    const { Agent: HttpAgent } = await import('node:http');
    const keepAlive = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    expect((await get({ port }, '/', keepAlive)).status).toBe(200); // leaves an idle keep-alive connection
    const slow = get({ port }, '/slow');
    await fileAppears(dir, /^started-\d+$/);
    primary.child.kill('SIGTERM');
    await primary.waitFor(/Handling signal: SIGTERM/g);
    expect(primary.child.exitCode).toBe(null); // waiting for the request in flight
    const releasedAt = Date.now();
    writeFileSync(join(dir, 'release'), '');
    expect(await slow).toMatchObject({ status: 200, body: 'slow done' });
    expect(await primary.exited).toEqual({ code: 0, signal: null });
    // Well within keepAliveTimeout (5 s): the idle keep-alive connection did not hold the worker up.
    expect(Date.now() - releasedAt).toBeLessThan(4_000);
    keepAlive.destroy();
  });

  it('kills the workers still busy after --graceful-timeout, and exits 1', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const dir = tempDir();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1', '--graceful-timeout', '1'], {
      PREFORK_TEST_DIR: dir,
    });
    const [booted] = await primary.waitFor(BOOTED, 1);
    const slow = get({ port }, '/slow').then(
      () => 'answered',
      () => 'cut',
    );
    await fileAppears(dir, /^started-\d+$/);
    const signalledAt = Date.now();
    primary.child.kill('SIGTERM');
    expect(await primary.exited).toEqual({ code: 1, signal: null });
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect(await slow).toBe('cut');
    expect(primary.out()).toContain(`Worker (pid:${booted![1]}) did not stop within 1000 ms: killing it`);
  });

  it('stops with the error, non-zero, when the app fails to boot, forking no more than --workers', {
    timeout: 30_000,
  }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '3'], { PREFORK_FAIL: '1' });
    const { code } = await primary.exited;
    expect(code).not.toBe(0);
    expect(code).not.toBe(null);
    expect(primary.err()).toContain('prefork-app refuses to boot (PREFORK_FAIL=1)');
    const forks = [...primary.out().matchAll(/Booting worker with pid: (\d+)/g)];
    expect(forks.length).toBeGreaterThanOrEqual(1);
    expect(forks.length).toBeLessThanOrEqual(3);
  });

  it('says in one line that the address is in use, and says once that it shuts down', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const holder = spawn(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('held'))`,
    ]);
    holders.push(holder);
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1']);
    const { code } = await primary.exited;
    expect(code).toBe(3);
    // It printed node's error object with cluster internals, and "Shutting down" twice.
    expect(primary.err()).toContain(
      `failed to boot: cannot listen on 127.0.0.1:${port} (EADDRINUSE): the address is in use; stop what serves there, or pass another --bind`,
    );
    expect(primary.err()).not.toContain('node:internal');
    expect(`${primary.out()}${primary.err()}`.match(/Shutting down/g)).toEqual(['Shutting down']);
  });

  it('serves on a unix: bind, removing a stale socket file first', { timeout: 30_000 }, async () => {
    const dir = tempDir();
    const socketPath = join(dir, 'app.sock');
    // A stale socket file, as a server killed without closing leaves.
    const stale = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('up'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    holders.push(stale);
    await new Promise((resolve) => stale.stdout!.once('data', resolve));
    stale.kill('SIGKILL');
    await new Promise((resolve) => stale.once('exit', resolve));
    expect(existsSync(socketPath)).toBe(true);
    const primary = startServe(['--bind', `unix:${socketPath}`, '--workers', '2']);
    await primary.waitFor(new RegExp(`Listening at: unix:${socketPath.replace(/[.]/g, '\\.')} \\(\\d+\\)`, 'g'));
    const booted = await primary.waitFor(BOOTED, 2);
    const answer = await get({ socketPath });
    expect(answer).toMatchObject({ status: 200, body: 'hello from a worker' });
    expect(booted.map((match) => Number(match[1]))).toContain(answer.pid);
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });
});
