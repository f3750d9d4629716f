/** Uploads that go wrong over real HTTP: aborted halfway (plain and through CSRF), an unwritable temp dir, a crash. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from 'flagon';
import type { Body, ErrorStream, GatewayApp } from 'flagon/gateway';
import { serve, type RunningServer } from 'flagon/serving';
import { fetchRaw } from '../helpers/http.js';

const root = mkdtempSync(join(tmpdir(), 'flagon-upload-test-'));
const savedTmpdir = process.env.TMPDIR;
afterAll(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  rmSync(root, { recursive: true, force: true });
});

/** A fresh temp dir, made the process's TMPDIR (os.tmpdir() reads it on each call, as the spooler does). */
function useTempDir(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  process.env.TMPDIR = dir;
  return dir;
}
const uploadsIn = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith('flagon-upload-'));

const B = 'abortboundary';
/** One file part of `size` bytes, as a browser sends it. */
function fileBody(size: number): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${B}\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.alloc(size, 1),
    Buffer.from(`\r\n--${B}--\r\n`),
  ]);
}

/** Counts temp files created in `dir` (inotify), so a client can wait until the server has begun spooling. */
class SpoolWatch {
  created = 0;
  readonly #seen = new Set<string>();
  readonly #watcher: FSWatcher;
  #waiters: Array<{ count: number; resolve: () => void }> = [];
  constructor(dir: string) {
    this.#watcher = watch(dir, (_event, name) => {
      if (!name?.startsWith('flagon-upload-') || this.#seen.has(name)) return; // a second event for a name is its removal
      this.#seen.add(name);
      this.created++;
      this.#waiters = this.#waiters.filter((waiter) => {
        if (waiter.count > this.created) return true;
        waiter.resolve();
        return false;
      });
    });
  }
  until(count: number): Promise<void> {
    return count <= this.created ? Promise.resolve() : new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }
  close(): void {
    this.#watcher.close();
  }
}

/** A count that can be awaited: `until(n)` settles once it has reached n. */
class Counter {
  value = 0;
  #waiters: Array<{ count: number; resolve: () => void }> = [];
  add(): void {
    this.value++;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter.count > this.value) return true;
      waiter.resolve();
      return false;
    });
  }
  until(count: number): Promise<void> {
    return count <= this.value ? Promise.resolve() : new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }
}

/**
 * Wraps a TSGI app to count the requests it got and the responses the server has closed (the server calls close()
 * whatever happened): the signals that a request has started and that it is over, abort or not.
 */
function tally(app: GatewayApp): { app: GatewayApp; started: Counter; closed: Counter } {
  const started = new Counter();
  const closed = new Counter();
  const counted: GatewayApp = async (environ, startResponse) => {
    started.add();
    const body: Body = await app(environ, startResponse);
    const close = async (): Promise<void> => {
      try {
        await body.close?.();
      } finally {
        closed.add();
      }
    };
    return Array.isArray(body) ? Object.assign([...(body as Uint8Array[])], { close }) : Object.assign(body, { close });
  };
  return { app: counted, started, closed };
}

/**
 * Sends the head of a 1.5 MB upload and its first 600 kB, waits until the server has a temp file for it, then sends
 * 4 kB more and cuts the connection: the server's write of that small piece to the temp file (which does not fill the
 * stream's buffer, so nobody waits for it) is still in flight when the abort lands, which used to crash the process.
 */
async function abortHalfway(port: number, path: string, spools: SpoolWatch): Promise<void> {
  const body = fileBody(1_500_000);
  const head = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${B}\r\nContent-Length: ${body.length}\r\n\r\n`;
  const spooling = spools.until(spools.created + 1);
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(head);
  socket.write(body.subarray(0, 600_000));
  await spooling;
  await new Promise<void>((resolve) => socket.write(body.subarray(600_000, 604_000), () => resolve()));
  socket.destroy();
}

/** Uncaught exceptions while a test runs (vitest reports them too, but then the test itself says what went wrong). */
const uncaught: unknown[] = [];
const recordUncaught = (error: unknown): void => {
  uncaught.push(error);
};
beforeAll(() => {
  process.on('uncaughtException', recordUncaught);
});
afterAll(() => {
  process.off('uncaughtException', recordUncaught);
});

const collected: string[] = [];
const errors: ErrorStream = {
  write: (text) => {
    collected.push(text);
  },
  flush: () => undefined,
};
let running: RunningServer | null = null;
let spools: SpoolWatch | null = null;
afterEach(async () => {
  spools?.close();
  spools = null;
  await running?.close();
  running = null;
  collected.length = 0;
});

describe('uploads aborted halfway', () => {
  it('leave the process alive and no temp file, 100 times over', async () => {
    const dir = useTempDir('plain');
    const app = new App(import.meta.url, { name: 'aborts', staticFolder: null });
    app.get('/', () => 'still here');
    app.post('/upload', async (req) => ({ n: (await req.files()).size }));
    const counts = tally(app.gatewayApp);
    running = await serve(counts.app, { port: 0, errors });
    spools = new SpoolWatch(dir);
    for (let i = 0; i < 100; i++) await abortHalfway(running.port, '/upload', spools);
    await counts.closed.until(100);
    expect(uncaught).toEqual([]);
    expect(spools.created).toBe(100);
    expect(uploadsIn(dir)).toEqual([]);
    expect(collected).toEqual([]); // an abort is not an error of the server's
    const after = await fetchRaw(`${running.url}/`);
    expect([after.status, after.text]).toEqual([200, 'still here']);
  }, 60_000);

  it('through CSRF, which reads the form before routing, on a URL that does not exist', async () => {
    const dir = useTempDir('csrf');
    const app = new App(import.meta.url, { name: 'csrf-aborts', staticFolder: null, config: { SECRET_KEY: 'test' } });
    app.enableCsrf();
    app.get('/', () => 'still here');
    const counts = tally(app.gatewayApp);
    running = await serve(counts.app, { port: 0, errors });
    spools = new SpoolWatch(dir);
    for (let i = 0; i < 100; i++) await abortHalfway(running.port, '/no-such-page', spools);
    await counts.closed.until(100);
    expect(uncaught).toEqual([]);
    expect(uploadsIn(dir)).toEqual([]);
    const after = await fetchRaw(`${running.url}/`);
    expect([after.status, after.text]).toEqual([200, 'still here']);
    const refused = await fetchRaw(`${running.url}/no-such-page`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${B}` },
      body: fileBody(600_000),
    });
    expect(refused.status).toBe(400); // a complete upload without a token: CSRF says no, and its temp file goes too
    await counts.closed.until(102);
    expect(uploadsIn(dir)).toEqual([]);
  }, 60_000);
});

describe('a temp dir that cannot be written', () => {
  it.each([
    ['missing (ENOENT)', (dir: string) => join(dir, 'missing'), 'ENOENT'],
    [
      'a file, not a directory (ENOTDIR)',
      (dir: string) => {
        writeFileSync(join(dir, 'file'), '');
        return join(dir, 'file');
      },
      'ENOTDIR',
    ],
  ])(
    '%s: a complete upload is answered 507 with the reason logged, never left hanging',
    async (_name, makeTemp, code) => {
      const dir = useTempDir(`unwritable-${code}`);
      process.env.TMPDIR = makeTemp(dir);
      const app = new App(import.meta.url, { name: 'no-disk', staticFolder: null });
      app.post('/upload', async (req) => ({ n: (await req.files()).size }));
      app.post('/small', async (req) => ({ n: (await req.files()).get('f')?.size }));
      running = await serve(app.gatewayApp, { port: 0, errors });
      const response = await fetchRaw(`${running.url}/upload`, {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${B}` },
        body: fileBody(600_000),
      });
      expect(response.status).toBe(507);
      expect(response.text).toContain('Insufficient Storage');
      expect(collected.join('')).toMatch(new RegExp(`cannot write the upload temp file .*${code}`));
      // a file small enough to stay in memory needs no temp dir
      const small = await fetchRaw(`${running.url}/small`, {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${B}` },
        body: fileBody(1000),
      });
      expect([small.status, JSON.parse(small.text)]).toEqual([200, { n: 1000 }]);
    },
  );
});

describe('a process that dies with an upload in flight', () => {
  it('removes the temp file on its way out', async () => {
    const dir = useTempDir('crash');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/serving/upload-abort.child.ts'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: dir, TSX_TSCONFIG_PATH: 'test/tsconfig.json' },
    });
    const lines: Array<Record<string, unknown>> = [];
    let waiting: (() => void) | null = null;
    child.stdout!.on('data', (data: Buffer) => {
      for (const line of data.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      waiting?.();
    });
    let stderr = '';
    child.stderr!.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    if (lines.length === 0)
      await new Promise<void>((resolve) => {
        waiting = resolve;
      });
    const { port } = lines[0] as { port: number };
    fetchRaw(`http://127.0.0.1:${port}/upload`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${B}` },
      body: fileBody(600_000),
    }).catch(() => undefined);
    expect(await exited).toBe(1);
    expect(lines[1]).toEqual({ spooled: true });
    expect(stderr).toContain('crashed on purpose');
    expect(uploadsIn(dir)).toEqual([]);
  }, 30_000);
});
