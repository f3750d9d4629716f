/**
 * Soak: 200,000 keep-alive requests through a route that reads and writes the session and renders a template, from
 * several pipelining connections. Every answer is 200, and the server's heap after GC grows by less than 5 MB between
 * a warm-up of 10,000 requests and the end. The server runs in its own process (node --expose-gc), so the heap
 * measured is the server's alone.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const WARM_UP = 10_000;
const REQUESTS = 200_000;
const CONNECTIONS = 8;
/** Requests in flight per connection. */
const DEPTH = 16;
const HEAP_GROWTH_LIMIT = 5 * 1024 * 1024;

let child: ChildProcess;
let port = 0;
let pid = 0;

beforeAll(async () => {
  child = fork('test/fixtures/adversarial/soak-server.ts', [], {
    cwd: root,
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, TSX_TSCONFIG_PATH: 'test/tsconfig.json' },
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the soak server exited with ${String(code)}`);
  });
  const [ready] = (await Promise.race([once(child, 'message'), exited])) as [{ port: number; pid: number }];
  ({ port, pid } = ready);
}, 30_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = once(child, 'exit');
    child.disconnect(); // the server closes and exits on its own
    await exited;
  }
});

/** The server's heap after full garbage collection, in bytes. */
async function serverHeap(): Promise<number> {
  const answer = once(child, 'message');
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the soak server exited with ${String(code)}`);
  });
  child.send('heap');
  const [message] = (await Promise.race([answer, exited])) as [{ heap: number }];
  return message.heap;
}

interface Tally {
  responses: number;
  statuses: Map<string, number>;
  /** Bodies that are not the rendered template. */
  badBodies: number;
  /** The highest session count seen on any connection: the session round-trips when it is above 1. */
  maxCount: number;
}

/**
 * Sends `total` GET /count requests over `CONNECTIONS` keep-alive connections, each with up to `DEPTH` pipelined,
 * every request carrying the session cookie of the latest answer on its connection.
 */
async function load(total: number): Promise<Tally> {
  const tally: Tally = { responses: 0, statuses: new Map(), badBodies: 0, maxCount: 0 };
  const perConnection = Array.from(
    { length: CONNECTIONS },
    (_, i) => Math.floor(total / CONNECTIONS) + (i < total % CONNECTIONS ? 1 : 0),
  );
  await Promise.all(
    perConnection.map(
      (quota) =>
        new Promise<void>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1');
          let cookie = '';
          let sent = 0;
          let received = 0;
          let buffer = '';
          const request = (): string =>
            `GET /count HTTP/1.1\r\nHost: soak\r\n${cookie === '' ? '' : `Cookie: session=${cookie}\r\n`}\r\n`;
          const sendUpTo = (): void => {
            let batch = '';
            while (sent < quota && sent - received < DEPTH) {
              batch += request();
              sent++;
            }
            if (batch !== '') socket.write(batch);
          };
          socket.on('connect', sendUpTo);
          socket.on('data', (data: Buffer) => {
            buffer += data.toString('latin1');
            let start = 0;
            for (;;) {
              const headEnd = buffer.indexOf('\r\n\r\n', start);
              if (headEnd < 0) break;
              const head = buffer.slice(start, headEnd);
              const length = /\r\nContent-Length: (\d+)/i.exec(head);
              if (!length) {
                reject(new Error(`an answer without Content-Length: ${head.slice(0, 200)}`));
                socket.destroy();
                return;
              }
              const bodyEnd = headEnd + 4 + Number(length[1]);
              if (buffer.length < bodyEnd) break;
              const status = head.slice(9, 12);
              tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
              const session = /\r\nSet-Cookie: session=([^;\r]*)/i.exec(head);
              if (session) cookie = session[1]!;
              const count = /count: (\d+)<\/p>/.exec(buffer.slice(headEnd + 4, bodyEnd));
              if (count) tally.maxCount = Math.max(tally.maxCount, Number(count[1]));
              else tally.badBodies++;
              start = bodyEnd;
              received++;
              tally.responses++;
            }
            buffer = buffer.slice(start);
            if (received === quota) {
              socket.end();
              resolve();
            } else {
              sendUpTo();
            }
          });
          socket.on('error', reject);
          socket.on('close', () => {
            if (received < quota)
              reject(new Error(`the server closed a connection after ${received} of ${quota} answers`));
          });
        }),
    ),
  );
  return tally;
}

describe('soak', () => {
  it(`${REQUESTS.toLocaleString('en')} session + template requests: all 200, heap growth under 5 MB`, async () => {
    const warm = await load(WARM_UP);
    expect(warm.statuses).toEqual(new Map([['200', WARM_UP]]));
    const heapBefore = await serverHeap();

    const started = performance.now();
    const run = await load(REQUESTS);
    const seconds = (performance.now() - started) / 1000;
    const heapAfter = await serverHeap();

    const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(2);
    const figures = `${REQUESTS} requests in ${seconds.toFixed(1)} s (${Math.round(REQUESTS / seconds)} req/s); heap after GC ${mb(heapBefore)} MB → ${mb(heapAfter)} MB (${mb(heapAfter - heapBefore)} MB)`;
    expect(run.statuses, figures).toEqual(new Map([['200', REQUESTS]]));
    expect(run.badBodies, figures).toBe(0);
    expect(run.maxCount, 'the session counter round-trips').toBeGreaterThan(100);
    expect(heapAfter - heapBefore, figures).toBeLessThan(HEAP_GROWTH_LIMIT);
    expect(child.exitCode).toBeNull();
    expect(child.pid).toBe(pid);
    if (process.env.FLAGON_SOAK_FIGURES) console.log(`soak: ${figures}`); // quiet unless asked for
  }, 300_000);
});
