/**
 * Pipelining and stalled clients, over raw sockets: the cases an outside review found (issue 13). Pipelined requests
 * run one at a time, their answers go out in order, a bad request behind good ones is answered after them, a body
 * handed to node whole is still bound by the write timeout, a slow upload is not the handler's time, and a body left
 * unread closes its connection.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Body, GatewayApp } from 'flagon/gateway';
import { App } from 'flagon';
import { serve, silentStream, type RunningServer, type ServeOptions } from 'flagon/serving';

const LIMIT_MS = 20_000; // a failure bound for waits, never a wait in itself
const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(app: GatewayApp, options: ServeOptions = {}): Promise<RunningServer> {
  const server = await serve(app, { port: 0, errors: silentStream, ...options });
  running.push(server);
  return server;
}

function open(server: RunningServer): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  return once(socket, 'connect').then(() => socket);
}

/** Everything the server sends until it closes the connection. */
function readAll(socket: Socket): Promise<string> {
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  return new Promise((resolve) => socket.once('close', () => resolve(text)));
}

const statuses = (text: string): string[] => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]!);
const get = (path: string, host = 'x'): string => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`;

/** Resolves when `predicate()` holds, checked each time `emitter` fires; fails after LIMIT_MS. */
function until(predicate: () => boolean, onChange: (notify: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('condition not reached')), LIMIT_MS);
    const check = (): void => {
      if (predicate()) {
        clearTimeout(timer);
        resolve();
      }
    };
    onChange(check);
    check();
  });
}

describe('pipelined requests', () => {
  it('run one at a time, so a client that floods and leaves gets every started body closed', async () => {
    let calls = 0;
    let closes = 0;
    const listeners: Array<() => void> = [];
    const notify = (): void => {
      for (const listener of listeners) listener();
    };
    const big = new Uint8Array(256 * 1024);
    const app: GatewayApp = (_environ, startResponse) => {
      calls++;
      notify();
      startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
      const body = (function* () {
        for (let i = 0; i < 64; i++) yield big;
      })() as Body & { close?: () => void };
      body.close = () => {
        closes++;
        notify();
      };
      return body;
    };
    const server = await start(app);
    const socket = await open(server);
    socket.pause(); // never reads: the first answer stalls, and nothing behind it may run
    socket.write(get('/').repeat(50));
    await until(
      () => calls >= 1,
      (f) => listeners.push(f),
    );
    socket.destroy();
    await until(
      () => closes === calls,
      (f) => listeners.push(f),
    );
    expect(calls).toBeLessThanOrEqual(2); // was 50: every pipelined request ran at once, its answer held in memory
    expect(closes).toBe(calls);
  });

  it('get their answers in order, then the 400 for a bad one, and nothing after it', async () => {
    const app = new App(import.meta.url, { staticFolder: null });
    app.get('/n/<int:n>', (req) => `n=${String(req.params.n)}`);
    const server = await start(app.gatewayApp);
    const socket = await open(server);
    const all = readAll(socket);
    socket.write(get('/n/1') + get('/n/2') + get('/n/3', 'a b') + get('/n/4'));
    const text = await all;
    expect(statuses(text)).toEqual(['200', '200', '400']);
    expect([text.includes('n=1'), text.includes('n=2'), text.includes('n=4')]).toEqual([true, true, false]);
  });

  it("let a streamed answer finish before node's own 400 for the garbage behind it", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(97);
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (async function* () {
        for (let i = 0; i < 16; i++) {
          await new Promise((resolve) => setImmediate(resolve));
          yield chunk;
        }
      })();
    };
    const server = await start(app);
    const socket = await open(server);
    const all = readAll(socket);
    socket.write(`${get('/gen')}GET /pid HTTP/1.1\r\nHost x\r\n\r\n`);
    const text = await all;
    expect(statuses(text)).toEqual(['200', '400']);
    expect(text.split('a'.repeat(1024)).length - 1).toBeGreaterThanOrEqual(16 * 64); // the whole 1 MiB body came first
  });
});

describe('stalled and slow clients', () => {
  it('cut a client that takes no bytes of a list body within writeTimeout', async () => {
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
      return [new Uint8Array(32 * 1024 * 1024)];
    };
    const server = await start(app, { writeTimeout: 300 });
    const serverSide = once(server.server, 'connection').then(([accepted]) => once(accepted as Socket, 'close'));
    const socket = await open(server);
    socket.pause(); // a paused client sees no close while it holds unread bytes: the server's side is watched instead
    socket.write(get('/'));
    await serverSide; // was: held open for good, 32 MB in memory
    socket.destroy();
  });

  it('do not count a slow upload against the handler timeout', async () => {
    const app = new App(import.meta.url, { staticFolder: null });
    app.post('/echo', async (req) => `got ${(await req.text()).length}`);
    const server = await start(app.gatewayApp, { handlerTimeout: 300 });
    const socket = await open(server);
    const all = readAll(socket);
    socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\nConnection: close\r\n\r\n');
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // the client's pace is the point of this test
      socket.write('x');
    }
    const text = await all;
    expect(statuses(text)).toEqual(['200']); // was 503 after 300-375 ms
    expect(text).toContain('got 8');
  });

  it('close the connection after a 413 that left a chunked body unread', async () => {
    const app = new App(import.meta.url, { staticFolder: null, config: { MAX_BODY_MEMORY_SIZE: 1000 } });
    app.post('/text', async (req) => `${(await req.text()).length}`);
    app.get('/next', () => 'next');
    const server = await start(app.gatewayApp);
    const socket = await open(server);
    const all = readAll(socket);
    const chunk = `${(500).toString(16)}\r\n${'y'.repeat(500)}\r\n`;
    socket.write(
      `POST /text HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.repeat(4)}0\r\n\r\n${get('/next')}`,
    );
    const text = await all;
    expect(statuses(text)).toEqual(['413']);
    expect(text).toMatch(/\r\nConnection: close\r\n/i); // was keep-alive, on a connection that could serve nothing more
  });
});

describe('long keep-alive connections', () => {
  it('gain no listener per large list body on their socket', async () => {
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
      return [new Uint8Array(200_000)];
    };
    const server = await start(app);
    const accepted = once(server.server, 'connection').then(([socket]) => socket as Socket);
    const socket = await open(server);
    const serverSide = await accepted;
    let received = 0;
    const answered = (n: number): Promise<void> =>
      new Promise((resolve) => {
        const onData = (chunk: Buffer): void => {
          received += chunk.length;
          if (received >= n * 200_000) {
            socket.off('data', onData);
            resolve();
          }
        };
        socket.on('data', onData);
      });
    const before = serverSide.listenerCount('close');
    const all = answered(50);
    socket.write(get('/').repeat(50));
    await all;
    expect(serverSide.listenerCount('close') - before).toBeLessThanOrEqual(1); // was +50, each holding its exchange
    socket.destroy();
  });
});

describe('odd requests', () => {
  it('answer CONNECT with 501 instead of dropping the connection', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse('200 OK', []);
      return [];
    });
    const socket = await open(server);
    const all = readAll(socket);
    socket.write('CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n');
    expect(statuses(await all)).toEqual(['501']);
  });

  it('answer a CONNECT after the request before it on the same connection', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (async function* () {
        await new Promise((resolve) => setImmediate(resolve));
        yield new TextEncoder().encode('slow');
      })();
    });
    const socket = await open(server);
    const all = readAll(socket);
    socket.write(`${get('/slow')}CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n`);
    expect(statuses(await all)).toEqual(['200', '501']); // was: the 501 alone, the 200 never sent
  });
});
