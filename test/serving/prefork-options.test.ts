/**
 * `flagon serve`'s options and signals beyond the basics: the heartbeat (--timeout), --max-requests with its jitter,
 * SIGTTIN/SIGTTOU, --keep-alive 0, --access-log, --forwarded-allow-ips, --cert/--key, --preload, and the settings
 * from flagon.config.* and FLAGON_ variables. Over real HTTP(S) on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadTls } from '../../src/dev/tls.js';
import { makeProject } from '../helpers/dev-server.js';
import { freePort } from '../helpers/http.js';
import {
  BOOTED,
  get,
  killServes,
  PREFORK_APP,
  removeTempDirs,
  startServe,
  tempDir,
  expectCleanExit,
} from '../helpers/prefork.js';

afterEach(killServes);
afterAll(removeTempDirs);

/** Resolves with the file's text once it holds `lines` lines. */
function linesIn(path: string, lines: number): Promise<string[]> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
      const all = text.split('\n').filter(Boolean);
      if (all.length < lines) return false;
      watcher.close();
      resolve(all);
      return true;
    };
    const watcher = watch(join(path, '..'), check);
    check();
  });
}

/** The answer's headers to a client that asks to keep the connection (node's agent: false asks to close it). */
function headers(port: number, path: string): Promise<Record<string, string | string[] | undefined>> {
  const agent = new Agent({ keepAlive: true });
  return new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers));
    }).on('error', reject);
  }).finally(() => agent.destroy());
}

describe('flagon serve --timeout', () => {
  it('kills a worker whose event loop stays blocked past it, says why, and replaces it', {
    timeout: 30_000,
  }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1', '--timeout', '1']);
    const [booted] = await primary.waitFor(BOOTED, 1);
    const blocked = Number(booted![1]);
    const cut = get({ port }, '/block').then(
      () => 'answered',
      () => 'cut',
    );
    const [timeout] = await primary.waitFor(/WORKER TIMEOUT \(pid:(\d+)\): no heartbeat for (\d+) ms/g, 1, 5_000);
    expect(Number(timeout![1])).toBe(blocked);
    expect(Number(timeout![2])).toBeGreaterThan(1_000);
    expect(Number(timeout![2])).toBeLessThan(2_500);
    expect(primary.out()).toContain('its event loop is blocked: killing it');
    expect(await cut).toBe('cut');
    await primary.waitFor(new RegExp(`Worker \\(pid:${blocked}\\) exited with signal SIGKILL: replacing it`, 'g'));
    await primary.waitFor(BOOTED, 2);
    const answer = await get({ port });
    expect(answer.status).toBe(200);
    expect(answer.pid).not.toBe(blocked);
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });

  it('leaves a busy but unblocked worker alone: a slow request is not a timeout', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1', '--timeout', '1']);
    await primary.waitFor(BOOTED, 1);
    // 40 requests of 20 ms each in a row: 800 ms of work, heartbeats all along.
    for (let i = 0; i < 40; i += 1) expect((await get({ port }, '/work')).body).toBe('worked');
    expect(primary.out()).not.toContain('WORKER TIMEOUT');
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });
});

describe('flagon serve --max-requests', () => {
  it('replaces a worker after its requests (plus a jitter), with no request lost', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const primary = startServe([
      '--bind',
      `127.0.0.1:${port}`,
      '--workers',
      '1',
      '--max-requests',
      '5',
      '--max-requests-jitter',
      '3',
    ]);
    const [first] = await primary.waitFor(BOOTED, 1);
    const firstPid = Number(first![1]);
    const pids: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const answer = await get({ port });
      expect(answer.status).toBe(200);
      pids.push(answer.pid);
    }
    const [retired] = await primary.waitFor(/Worker \(pid:(\d+)\) has served (\d+) requests \(--max-requests\)/g);
    expect(Number(retired![1])).toBe(firstPid);
    expect(Number(retired![2])).toBeGreaterThanOrEqual(5);
    expect(Number(retired![2])).toBeLessThanOrEqual(8);
    expect(pids.slice(0, 5)).toEqual([firstPid, firstPid, firstPid, firstPid, firstPid]);
    await primary.waitFor(new RegExp(`Worker \\(pid:${firstPid}\\) stopped`, 'g'));
    const next = await get({ port });
    expect(next.status).toBe(200);
    expect(next.pid).not.toBe(firstPid);
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });
});

describe('flagon serve and errors that escape every request', () => {
  it('logs an unhandled rejection and goes on serving from the same worker', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1']);
    const [booted] = await primary.waitFor(BOOTED, 1);
    const pid = Number(booted![1]);
    expect((await get({ port }, '/reject')).body).toBe('answered before the rejection');
    await primary.waitFor(/A promise was rejected and nothing handled it; serving goes on/g, 1, 15_000, 'stderr');
    expect(primary.err()).toContain('a background save failed');
    const next = await get({ port });
    expect([next.status, next.pid]).toEqual([200, pid]);
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });

  it('replaces a worker after an uncaught exception before it drains: no request is refused', {
    timeout: 30_000,
  }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1']);
    const [booted] = await primary.waitFor(BOOTED, 1);
    const pid = Number(booted![1]);
    expect((await get({ port }, '/throw-later')).body).toBe('answered before the throw');
    const replaced = primary.waitFor(new RegExp(`Worker \\(pid:${pid}\\) stopped`, 'g'));
    let stopped = false;
    void replaced.then(() => {
      stopped = true;
    });
    // Requests all along the handover: each is answered, by the old worker or by the new one.
    const answers: Array<{ status: number; pid: number }> = [];
    while (!stopped) answers.push(await get({ port }));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect((await get({ port })).pid).not.toBe(pid);
    expect(primary.out()).toContain(`Worker (pid:${pid}) had an uncaught exception: replacing it`);
    expect(primary.err()).toContain('a timer of the app threw');
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });
});

describe('flagon serve, a worker that asks twice to be replaced', () => {
  it('is replaced once: --max-requests reached, then an uncaught exception', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1', '--max-requests', '2']);
    const [booted] = await primary.waitFor(BOOTED, 1);
    const pid = Number(booted![1]);
    await get({ port });
    await get({ port }, '/throw-later'); // its second request: it retires, then its timer throws
    await primary.waitFor(new RegExp(`Worker \\(pid:${pid}\\) stopped`, 'g'));
    expect(primary.out().match(new RegExp(`Worker \\(pid:${pid}\\) .*: replacing it`, 'g'))).toHaveLength(1);
    expect(primary.out().match(/Booting worker with pid/g)).toHaveLength(2);
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });
});

describe('flagon serve signals', () => {
  it('SIGTTIN adds a worker, SIGTTOU stops the oldest, never the last', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1']);
    const [first] = await primary.waitFor(BOOTED, 1);
    primary.child.kill('SIGTTIN');
    await primary.waitFor(/Handling signal: SIGTTIN; workers: 2/g);
    const [, second] = await primary.waitFor(BOOTED, 2);
    primary.child.kill('SIGTTOU');
    await primary.waitFor(/Handling signal: SIGTTOU; workers: 1/g);
    await primary.waitFor(new RegExp(`Worker \\(pid:${first![1]}\\) stopped \\(exit code 0\\)`, 'g'));
    for (let i = 0; i < 5; i += 1) expect((await get({ port })).pid).toBe(Number(second![1]));
    primary.child.kill('SIGTTOU');
    await primary.waitFor(/SIGTTOU; one worker is the fewest: ignored/g);
    expect((await get({ port })).status).toBe(200);
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });

  it('SIGHUP, and only SIGHUP, makes new workers read the dotenv files again (an edited and a deleted value)', {
    timeout: 30_000,
  }, async () => {
    const project = makeProject({
      'app.ts': `import { App } from 'flagon';
export const app = new App(import.meta.url, { name: 'dotenv-hup' });
app.get('/', () => [process.env.GREETING ?? 'unset', process.env.KEPT].join('|'));
app.get('/pid', () => String(process.pid));
`,
      '.env': 'GREETING=one\nKEPT=from-file\n',
    });
    try {
      const port = await freePort();
      const primary = startServe(
        ['--bind', `127.0.0.1:${port}`, '--workers', '1'],
        { KEPT: 'from-environment' },
        { app: 'app.ts', cwd: project.dir },
      );
      await primary.waitFor(BOOTED, 1);
      expect((await get({ port })).body).toBe('one|from-environment');
      project.write('.env', 'KEPT=from-file\n');
      // A worker that dies is replaced with the environment of the others: the edit waits for SIGHUP.
      process.kill(Number((await get({ port }, '/pid')).body), 'SIGKILL');
      await primary.waitFor(BOOTED, 2);
      expect((await get({ port })).body).toBe('one|from-environment');
      primary.child.kill('SIGHUP');
      await primary.waitFor(/Worker \(pid:\d+\) stopped/g);
      expect((await get({ port })).body).toBe('unset|from-environment');
      project.write('.env', 'GREETING=two\n');
      primary.child.kill('SIGHUP');
      await primary.waitFor(/Worker \(pid:\d+\) stopped/g, 2);
      expect((await get({ port })).body).toBe('two|from-environment');
      primary.child.kill('SIGTERM');
      await expectCleanExit(primary);
    } finally {
      project.remove();
    }
  });

  it('SIGHUP with code that no longer loads keeps the old workers serving', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const dir = tempDir();
    const codeFile = join(dir, 'code.mjs');
    writeFileSync(codeFile, "export const version = 'good';\n");
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '2'], { PREFORK_CODE: codeFile });
    await primary.waitFor(BOOTED, 2);
    writeFileSync(codeFile, "throw new Error('a typo in the new code');\n");
    primary.child.kill('SIGHUP');
    await primary.waitFor(/Reload failed: a new worker could not boot/g);
    expect(primary.err()).toContain('a typo in the new code');
    for (let i = 0; i < 4; i += 1) expect(await get({ port }, '/code')).toMatchObject({ status: 200, body: 'good' });
    expect(primary.child.exitCode).toBe(null);
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });
});

describe('flagon serve connections, logs and proxies', () => {
  it('--keep-alive 0 closes every connection after its answer; the default keeps it', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '1', '--keep-alive', '0']);
    await primary.waitFor(BOOTED, 1);
    expect((await headers(port, '/')).connection).toBe('close');
    primary.child.kill('SIGTERM');
    await primary.exited;
    const other = await freePort();
    const kept = startServe(['--bind', `127.0.0.1:${other}`, '--workers', '1']);
    await kept.waitFor(BOOTED, 1);
    expect((await headers(other, '/')).connection).toBe('keep-alive');
    kept.child.kill('SIGTERM');
    expect((await kept.exited).code).toBe(0);
  });

  it('--access-log FILE gets one whole combined-format line per request, the workers appending to one file', {
    timeout: 30_000,
  }, async () => {
    const port = await freePort();
    const log = join(tempDir(), 'access.log');
    const primary = startServe(['--bind', `127.0.0.1:${port}`, '--workers', '2', '--access-log', log]);
    await primary.waitFor(BOOTED, 2);
    for (let i = 0; i < 6; i += 1) await get({ port }, i === 5 ? '/missing?x=1' : '/');
    const lines = await linesIn(log, 6);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(
      /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET \/ HTTP\/1\.1" 200 19 "-" "-"$/,
    );
    expect(lines.find((line) => line.includes('/missing'))).toMatch(/"GET \/missing\?x=1 HTTP\/1\.1" 404 \d+ "-" "-"$/);
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });

  it('--forwarded-allow-ips: X-Forwarded-For and -Proto count from listed peers only', {
    timeout: 30_000,
  }, async () => {
    const whoami = (port: number): Promise<{ remoteAddr: string; scheme: string; url: string }> =>
      new Promise((resolve, reject) => {
        const forged = { 'X-Forwarded-For': '6.6.6.6', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.test' };
        httpGet({ host: '127.0.0.1', port, path: '/whoami', agent: false, headers: forged }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () => resolve(JSON.parse(body) as { remoteAddr: string; scheme: string; url: string }));
        }).on('error', reject);
      });
    const trusting = await freePort();
    const byDefault = startServe(['--bind', `127.0.0.1:${trusting}`, '--workers', '1']);
    await byDefault.waitFor(BOOTED, 1);
    // 127.0.0.1 is trusted by default (gunicorn's default); X-Forwarded-Host never is.
    expect(await whoami(trusting)).toEqual({
      remoteAddr: '6.6.6.6',
      scheme: 'https',
      url: `https://127.0.0.1:${trusting}/whoami`,
    });
    byDefault.child.kill('SIGTERM');
    await byDefault.exited;
    const strict = await freePort();
    const elsewhere = startServe([
      '--bind',
      `127.0.0.1:${strict}`,
      '--workers',
      '1',
      '--forwarded-allow-ips',
      '10.0.0.1',
    ]);
    await elsewhere.waitFor(BOOTED, 1);
    expect(await whoami(strict)).toEqual({
      remoteAddr: '127.0.0.1',
      scheme: 'http',
      url: `http://127.0.0.1:${strict}/whoami`,
    });
    elsewhere.child.kill('SIGTERM');
    expect((await elsewhere.exited).code).toBe(0);
  });
});

describe('flagon serve --cert/--key, --preload, config', () => {
  it.skipIf(!existsSync('/usr/bin/curl'))(
    'serves HTTPS that curl --cacert accepts, with https URLs (curl from .ci/install-system-deps.sh)',
    { timeout: 30_000 },
    async () => {
      const dir = tempDir();
      const pair = (await loadTls({ cert: 'adhoc' }))!;
      writeFileSync(join(dir, 'cert.pem'), pair.cert);
      writeFileSync(join(dir, 'key.pem'), pair.key);
      const port = await freePort();
      const primary = startServe([
        '--bind',
        `127.0.0.1:${port}`,
        '--workers',
        '1',
        '--cert',
        join(dir, 'cert.pem'),
        '--key',
        join(dir, 'key.pem'),
      ]);
      await primary.waitFor(new RegExp(`Listening at: https://127\\.0\\.0\\.1:${port} `, 'g'));
      await primary.waitFor(BOOTED, 1);
      const { stdout } = await promisify(execFile)('/usr/bin/curl', [
        '-sS',
        '--cacert',
        join(dir, 'cert.pem'),
        '-w',
        '\n%{http_code}',
        `https://127.0.0.1:${port}/whoami`,
      ]);
      const status = stdout.slice(stdout.lastIndexOf('\n') + 1);
      const body = stdout.slice(0, stdout.lastIndexOf('\n'));
      expect(status).toBe('200');
      expect(JSON.parse(body)).toMatchObject({ scheme: 'https', url: `https://127.0.0.1:${port}/whoami` });
      primary.child.kill('SIGTERM');
      await expectCleanExit(primary);
    },
  );

  it('refuses --cert adhoc, and a key that is not the certificate’s, before forking', { timeout: 30_000 }, async () => {
    const adhoc = startServe(['--cert', 'adhoc']);
    expect((await adhoc.exited).code).toBe(2);
    expect(adhoc.err()).toContain('cert is adhoc (by --cert): a throwaway certificate is for development');
    expect(adhoc.out()).not.toContain('Booting worker');
    const dir = tempDir();
    writeFileSync(join(dir, 'cert.pem'), (await loadTls({ cert: 'adhoc' }))!.cert);
    writeFileSync(join(dir, 'key.pem'), (await loadTls({ cert: 'adhoc' }))!.key);
    const mismatched = startServe(['--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')]);
    expect((await mismatched.exited).code).toBe(2);
    expect(mismatched.err()).toMatch(/--key .*key\.pem is not the private key of the certificate/);
  });

  it('--preload: an app that cannot load stops the primary with its error (exit 4), forking nothing', {
    timeout: 30_000,
  }, async () => {
    const primary = startServe(['--workers', '2', '--preload'], { PREFORK_FAIL: '1' });
    expect((await primary.exited).code).toBe(4);
    expect(primary.err()).toContain('Failed to load the app (--preload)');
    expect(primary.err()).toContain('prefork-app refuses to boot (PREFORK_FAIL=1)');
    expect(primary.out()).not.toContain('Booting worker');
  });

  it('reads flagon.config.mjs from the current folder, FLAGON_ variables over it, options over both', {
    timeout: 30_000,
  }, async () => {
    const dir = tempDir();
    const [filePort, envPort] = [await freePort(), await freePort()];
    writeFileSync(
      join(dir, 'flagon.config.mjs'),
      `export default { app: ${JSON.stringify(PREFORK_APP)}, bind: '127.0.0.1:${filePort}', workers: 3, keepAlive: 0 };\n`,
    );
    const primary = startServe(['--workers', '1'], { FLAGON_BIND: `127.0.0.1:${envPort}` }, { cwd: dir, app: null });
    await primary.waitFor(new RegExp(`Listening at: http://127\\.0\\.0\\.1:${envPort} `, 'g'));
    await primary.waitFor(BOOTED, 1);
    expect([...primary.out().matchAll(/Booting worker/g)]).toHaveLength(1); // --workers 1 beat the file's 3
    expect((await headers(envPort, '/')).connection).toBe('close'); // the file's keepAlive: 0
    primary.child.kill('SIGTERM');
    await expectCleanExit(primary);
  });
});
