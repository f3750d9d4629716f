/**
 * Resource exhaustion: 100 multipart uploads cut off halfway, then 100 HEADs and 100 conditional GETs answered 304 on
 * a streamed file response, and 100 HEADs of a bare stream. Afterwards no upload temp file is left, the process holds
 * no more file descriptors than before (within a small slack), it is the same process, and it still answers.
 */
import { EventEmitter, once } from 'node:events';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Response } from 'flagon';
import { serve, type RunningServer } from 'flagon/serving';
import { collectingStream } from 'flagon/testing';

const FILE = fileURLToPath(new URL('../fixtures/adversarial/stream-body.txt', import.meta.url));
const UPLOADS = 100;
const STREAM_REQUESTS = 100;
const CONCURRENCY = 10;
/** File descriptors the process may gain over a run (a lazily opened log, a timer's handle, …). */
const FD_SLACK = 10;
/** A failure bound for waits on the server, never a wait in itself. */
const LIMIT_MS = 30_000;
const BOUNDARY = 'exhaustion-boundary-a41c';

const uploadDir = mkdtempSync(join(tmpdir(), 'flagon-adversarial-'));
const savedTmpdir = process.env.TMPDIR;
const fdCount = (): number | null => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : null);
const leftovers = (): string[] => readdirSync(uploadDir).filter((name) => name.startsWith('flagon-upload-'));

const events = new EventEmitter();
let uploadsSettled = 0;
const app = new App(import.meta.url, {
  name: 'exhaustion',
  staticFolder: null,
  config: { MAX_CONTENT_LENGTH: 10_000_000 },
});
app.post('/upload', async (req) => {
  try {
    return String((await req.files()).get('f')?.size ?? -1);
  } finally {
    uploadsSettled++;
    events.emit('settled');
  }
});
app.get('/etag-stream', (req) =>
  new Response(createReadStream(FILE), { mimetype: 'text/plain', headers: { ETag: '"v1"' } }).makeConditional(req),
);
app.get('/bare-stream', () => createReadStream(FILE));
app.get('/pid', () => String(process.pid));

let server: RunningServer;
/** The server's side of every connection still open. */
const serverSockets = new Set<Socket>();
const errors = collectingStream();
beforeAll(async () => {
  process.env.TMPDIR = uploadDir; // os.tmpdir() reads it on each call: the spool files land here
  server = await serve(app.gatewayApp, { port: 0, errors });
  server.server.on('connection', (socket: Socket) => {
    serverSockets.add(socket);
    socket.on('close', () => {
      serverSockets.delete(socket);
      events.emit('socket-closed');
    });
  });
});
afterAll(async () => {
  await server?.close();
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  rmSync(uploadDir, { recursive: true, force: true });
});

/** Resolves once `predicate` holds, re-checking on each `event`; rejects with `describe()` after LIMIT_MS. */
async function until(event: string, predicate: () => boolean, describe: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(describe())), LIMIT_MS);
  });
  try {
    while (!predicate()) await Promise.race([once(events, event), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends raw bytes with `Connection: close` and resolves with what came back once the socket has closed. */
function roundTrip(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write(raw));
    let text = '';
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
  });
}

/**
 * Lets what the libuv threadpool still holds (a stream's open or close queued by a request that already got its
 * answer) finish: the pool takes work in order, so once later stats are done the earlier work has run.
 */
async function settleThreadpool(): Promise<void> {
  for (let round = 0; round < 2; round++) await Promise.all(Array.from({ length: 16 }, () => stat(FILE)));
  await new Promise((resolve) => setImmediate(resolve));
}

async function inBatches(count: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await one(next++);
    }),
  );
}

async function stillServing(): Promise<void> {
  const answer = await roundTrip('GET /pid HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(answer.endsWith(`\r\n\r\n${process.pid}`)).toBe(true);
}

async function allServerSocketsClosed(): Promise<void> {
  await until(
    'socket-closed',
    () => serverSockets.size === 0,
    () => `${serverSockets.size} server-side connections still open`,
  );
}

/** The multipart body: one 1.5 MB file part. */
const uploadBody = Buffer.concat([
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  ),
  Buffer.alloc(1_500_000, 'u'),
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);
const uploadHead = `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${uploadBody.length}\r\n\r\n`;

/** Upload temp files seen appearing in the upload folder while a watch is on. */
const spooled = new Set<string>();

/**
 * Sends the head and half the body, waits until the server has spooled the part to a temp file (so the abort finds
 * one to remove), then destroys the socket.
 */
async function abortedUpload(): Promise<void> {
  const seenBefore = spooled.size;
  const socket = connect(server.port, '127.0.0.1');
  socket.on('error', () => undefined);
  const closed = once(socket, 'close');
  await once(socket, 'connect');
  socket.write(uploadHead);
  socket.write(uploadBody.subarray(0, uploadBody.length >> 1));
  try {
    await until(
      'spooled',
      () => spooled.size > seenBefore,
      () => 'an upload was never spooled to a temp file',
    );
  } finally {
    socket.destroy();
    await closed;
  }
}

describe('exhaustion', () => {
  it(`${UPLOADS} uploads cut off halfway leave no temp file and no descriptor behind`, async () => {
    // The warm-up: one complete upload (spooled, then removed) and the answer path, before counting descriptors.
    const whole = await roundTrip(
      `${uploadHead.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')}${uploadBody.toString('latin1')}`,
    );
    expect(whole).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\n1500000$/);
    await stillServing();
    await allServerSocketsClosed();
    await settleThreadpool();
    const settledBefore = uploadsSettled;
    const before = fdCount();

    // One at a time, each cut off once its temp file exists (a watch on the folder says when).
    const spotter = watch(uploadDir, (_event, name) => {
      if (name?.startsWith('flagon-upload-') && !spooled.has(name)) {
        spooled.add(name);
        events.emit('spooled');
      }
    });
    try {
      for (let i = 0; i < UPLOADS; i++) await abortedUpload();
      await until(
        'settled',
        () => uploadsSettled - settledBefore >= UPLOADS,
        () =>
          `only ${uploadsSettled - settledBefore} of ${UPLOADS} aborted uploads settled (req.files() neither resolved nor rejected)`,
      );
      await allServerSocketsClosed();
      await noTempFiles();
      await settleThreadpool();
    } finally {
      spotter.close();
    }
    const after = fdCount();

    expect(leftovers()).toEqual([]);
    if (before !== null && after !== null)
      expect(after - before, `descriptors before ${before}, after ${after}`).toBeLessThanOrEqual(FD_SLACK);
    await stillServing();
  }, 120_000);

  it(`${STREAM_REQUESTS} HEADs and ${STREAM_REQUESTS} 304s of a streamed file, and ${STREAM_REQUESTS} HEADs of a bare stream, close every stream`, async () => {
    const head = (path: string) => `HEAD ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
    const conditional = 'GET /etag-stream HTTP/1.1\r\nHost: x\r\nIf-None-Match: "v1"\r\nConnection: close\r\n\r\n';
    // The warm-up: each kind once, checked, before counting descriptors.
    expect(await roundTrip(head('/etag-stream'))).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*ETag: "v1"/i);
    expect(await roundTrip(conditional)).toMatch(/^HTTP\/1\.1 304 /);
    expect(await roundTrip(head('/bare-stream'))).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const full = await roundTrip('GET /etag-stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(full).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(full.length - full.indexOf('\r\n\r\n') - 4 >= 16_384).toBe(true); // the body as such, chunked or not
    await allServerSocketsClosed();
    await settleThreadpool();
    const before = fdCount();

    const statuses = new Map<string, number>();
    const tally = (answer: string): void => {
      const line = answer.split('\r\n', 1)[0]!;
      statuses.set(line, (statuses.get(line) ?? 0) + 1);
    };
    await inBatches(STREAM_REQUESTS, async () => tally(await roundTrip(head('/etag-stream'))));
    await inBatches(STREAM_REQUESTS, async () => tally(await roundTrip(conditional)));
    await inBatches(STREAM_REQUESTS, async () => tally(await roundTrip(head('/bare-stream'))));
    await allServerSocketsClosed();
    await settleThreadpool();
    const after = fdCount();

    expect(statuses).toEqual(
      new Map([
        ['HTTP/1.1 200 OK', 2 * STREAM_REQUESTS],
        ['HTTP/1.1 304 Not Modified', STREAM_REQUESTS],
      ]),
    );
    if (before !== null && after !== null)
      expect(after - before, `descriptors before ${before}, after ${after}`).toBeLessThanOrEqual(FD_SLACK);
    await stillServing();
  }, 120_000);
});

/** Waits, on the folder's change events, until no upload temp file is left in it (or reports those left). */
async function noTempFiles(): Promise<void> {
  if (leftovers().length === 0) return;
  const watcher = watch(uploadDir, () => events.emit('tmp-changed'));
  try {
    await until(
      'tmp-changed',
      () => leftovers().length === 0,
      () => `upload temp files left: ${leftovers().join(', ')}`,
    );
  } finally {
    watcher.close();
  }
}
