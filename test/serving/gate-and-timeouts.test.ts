import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { Body, GatewayApp } from 'flagon/gateway';
import { serve, type RunningServer, type ServeOptions } from 'flagon/serving';
import { collectingStream, type CollectingStream } from 'flagon/testing';
import { bytes, exchangeRaw, fetchRaw } from '../helpers/http.js';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(
  app: GatewayApp,
  options: ServeOptions = {},
): Promise<RunningServer & { errors: CollectingStream }> {
  const errors = collectingStream();
  const server = await serve(app, { port: 0, errors, closeTimeout: 100, ...options });
  running.push(server);
  return Object.assign(server, { errors });
}

/** An app that counts its calls and echoes the host it was asked for. */
function countingApp(): GatewayApp & { calls: number } {
  const app: GatewayApp = (environ, startResponse) => {
    counted.calls++;
    startResponse('200 OK', [['Content-Type', 'text/plain']]);
    return [bytes(`host=${environ.HTTP_HOST ?? ''}`)];
  };
  const counted = Object.assign(app, { calls: 0 });
  return counted;
}

describe('the request gate of serve() (docs/gateway.md §6.6)', () => {
  const refused: Array<[string, string, number]> = [
    ['HTTP/2.0 over HTTP/1 framing', 'GET / HTTP/2.0\r\nHost: a\r\n\r\n', 505],
    ['a version-less request line (HTTP/0.9)', 'GET /\r\nHost: a\r\n\r\n', 505],
    ['HTTP/1.2, which node refuses', 'GET / HTTP/1.2\r\nHost: a\r\n\r\n', 505],
    ['a Host with a space', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n', 400],
    ['a Host with a path', 'GET / HTTP/1.1\r\nHost: evil.example/x\r\n\r\n', 400],
    ['a Host with userinfo', 'GET / HTTP/1.1\r\nHost: good@evil.example\r\n\r\n', 400],
    ['a Host port out of range', 'GET / HTTP/1.1\r\nHost: a:99999999\r\n\r\n', 400],
    ['an unclosed IPv6 literal', 'GET / HTTP/1.1\r\nHost: [::1\r\n\r\n', 400],
    ['* with GET', 'GET * HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['an absolute target with userinfo', 'GET http://good@evil.example/ HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    [
      'two Content-Type fields',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Type: a/b\r\nContent-Type: c/d\r\nContent-Length: 0\r\n\r\n',
      400,
    ],
    ['chunked under HTTP/1.0', 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    [
      'identity before chunked',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n',
      501,
    ],
    [
      'gzip before chunked, over two lines',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      501,
    ],
    ['gzip as the final coding', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nabc', 400],
    ['xchunked', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n', 400],
    ['a head over 16 KiB', `GET / HTTP/1.1\r\nHost: a\r\nX: ${'a'.repeat(17_000)}\r\n\r\n`, 431],
  ];
  for (const [name, raw, code] of refused) {
    it(`answers ${code} and closes, without calling the app: ${name}`, async () => {
      const app = countingApp();
      const server = await start(app);
      const answer = await exchangeRaw(server.port, raw);
      expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${code} [^\\r]+\\r\\n[\\s\\S]*Connection: close\\r\\n`, 'i'));
      expect(app.calls).toBe(0);
      expect(server.errors.text).toBe('');
    });
  }

  it('never serves a request smuggled behind a refused head', async () => {
    const app = countingApp();
    const server = await start(app);
    const answer = await exchangeRaw(
      server.port,
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n',
    );
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(app.calls).toBe(0);
  });

  it('serves OPTIONS *, and an absolute-form target with its authority as the host (RFC 9112 §3.2.2)', async () => {
    const app = countingApp();
    const server = await start(app);
    expect(await exchangeRaw(server.port, 'OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 200 OK/,
    );
    expect(
      await exchangeRaw(server.port, 'GET http://x.example:81/p HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'),
    ).toMatch(/host=x\.example:81$/);
    expect(app.calls).toBe(2);
  });
});

describe('the handler timeout of serve()', () => {
  it('answers 503 and closes when the app gives no headers in time, and closes a body that comes later', async () => {
    let release: (() => void) | undefined;
    let closed = 0;
    const app: GatewayApp = (_environ, startResponse) =>
      new Promise<Body>((resolve) => {
        release = () => {
          startResponse('200 OK', []);
          resolve(
            Object.assign([bytes('late')], {
              close: () => {
                closed++;
              },
            }),
          );
        };
      });
    const server = await start(app, { handlerTimeout: 200 });
    const response = await fetchRaw(`${server.url}/slow`);
    expect(response.status).toBe(503);
    expect(response.headers.connection).toBe('close');
    expect(server.errors.text).toContain('handler timeout');
    release!();
    await expect.poll(() => closed).toBe(1);
    expect((await fetchRaw(`${server.url}/`)).status).toBe(503); // the server still answers (this app never does in time)
  });

  it('lets a stream run past the timeout once its headers are out, with quiet gaps between chunks', async () => {
    let closed = 0;
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/event-stream']]);
      return Object.assign(
        (async function* events() {
          for (let i = 0; i < 4; i++) {
            yield bytes(`data: ${i}\n\n`);
            await new Promise((resolve) => setTimeout(resolve, 120)); // longer, in all, than the handler timeout
          }
        })(),
        {
          close: () => {
            closed++;
          },
        },
      );
    };
    const server = await start(app, { handlerTimeout: 100, writeTimeout: 100 });
    const response = await fetchRaw(`${server.url}/events`);
    expect(response.status).toBe(200);
    expect(response.complete).toBe(true);
    expect(response.text).toBe('data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\n');
    expect(closed).toBe(1);
  });

  it('is off with handlerTimeout: 0', async () => {
    let answer: (() => void) | undefined;
    const app: GatewayApp = (_environ, startResponse) =>
      new Promise<Body>((resolve) => {
        answer = () => {
          startResponse('200 OK', []);
          resolve([bytes('done')]);
        };
      });
    const server = await start(app, { handlerTimeout: 0 });
    const pending = fetchRaw(`${server.url}/`);
    await expect.poll(() => answer !== undefined).toBe(true);
    // Nothing answers in the meantime; then the app does.
    await new Promise((resolve) => setTimeout(resolve, 300));
    answer!();
    expect((await pending).text).toBe('done');
  });
});

describe('the write timeout of serve()', () => {
  it('cuts a connection whose client stops reading, and closes the body', async () => {
    let closed = 0;
    const chunk = new Uint8Array(256 * 1024);
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
      return Object.assign(
        (function* forever() {
          for (;;) yield chunk;
        })(),
        {
          close: () => {
            closed++;
          },
        },
      );
    };
    const server = await start(app, { writeTimeout: 200 });
    const socket = connect(server.port, '127.0.0.1');
    socket.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    socket.pause(); // a client that takes nothing
    socket.on('error', () => {});
    await expect.poll(() => closed, { timeout: 5_000 }).toBe(1);
    expect(server.errors.text).toContain('writeTimeout');
    const open = await new Promise<number>((resolve) =>
      server.server.getConnections((_error, count) => resolve(count)),
    );
    expect(open).toBe(0);
    socket.destroy();
  });
});

describe('HEAD through serve()', () => {
  it('claims no Content-Length of 0 for an empty HEAD body, and keeps the length of a list it can count', async () => {
    const app: GatewayApp = (environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return environ.REQUEST_METHOD === 'HEAD' && environ.PATH_INFO === '/empty' ? [] : [bytes('hello')];
    };
    const server = await start(app);
    expect(await exchangeRaw(server.port, 'HEAD /counted HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')).toMatch(
      /Content-Length: 5\r\n/,
    );
    const empty = await exchangeRaw(server.port, 'HEAD /empty HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(empty).not.toMatch(/content-length: 0/i);
    const get = await exchangeRaw(server.port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(get).toMatch(/Content-Length: 5\r\n/);
  });
});

describe('a request body that goes wrong while the app reads it (docs/gateway.md §6.6)', () => {
  /** Sends `raw` and collects every byte until the server closes (a reset after the answer counts as the close). */
  const untilClosed = (port: number, raw: string): Promise<string> =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(raw));
      let text = '';
      socket.on('data', (data: Buffer) => {
        text += data.toString('latin1');
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(text));
    });

  /** An app that reads the whole body, then answers how much it read; it records how its read ended. */
  function readingApp(startFirst = false): GatewayApp & { reads: string[] } {
    const reads: string[] = [];
    const app: GatewayApp = async (environ, startResponse) => {
      if (startFirst) startResponse('200 OK', [['Content-Type', 'text/plain']]);
      let size = 0;
      try {
        for await (const chunk of environ['tsgi.input']) size += chunk.length;
        reads.push(`read ${size}`);
      } catch {
        reads.push('read failed');
      }
      if (!startFirst) startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return [bytes(`read ${size}`)];
    };
    return Object.assign(app, { reads });
  }

  it('answers 400 to a bad chunk size, alone, and the app never reads a clean end', async () => {
    // Before: the connection was cut without an answer, though node's own default sends 400 here.
    const app = readingApp();
    const server = await start(app);
    const raw = await untilClosed(
      server.port,
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\nabc\r\n0\r\n\r\n',
    );
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*Connection: close\r\n\r\nBad Request\n$/);
    await expect.poll(() => app.reads).toEqual(['read failed']);
    expect((await fetchRaw(`${server.url}/`)).status).toBe(200);
  });

  it('answers 408 to a body that stops coming within requestTimeout (headersTimeout follows it down)', async () => {
    const app = readingApp();
    // A requestTimeout under the default headersTimeout (20 s) made node throw a RangeError from serve().
    const server = await start(app, { requestTimeout: 500, connectionsCheckingInterval: 100 });
    const raw = await untilClosed(server.port, 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc');
    expect(raw).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*\r\n\r\nRequest Timeout\n$/);
    await expect.poll(() => app.reads).toEqual(['read failed']);
  });

  it('only cuts the connection once the app has begun its own answer: never a second status line', async () => {
    // A stream whose first chunk is out before it reads the body: the bad chunk comes after that.
    const app: GatewayApp = (environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (async function* () {
        yield bytes('started;');
        for await (const chunk of environ['tsgi.input']) void chunk;
        yield bytes('read all');
      })();
    };
    const server = await start(app);
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () =>
        socket.write('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n'),
      );
      let text = '';
      socket.on('data', (data: Buffer) => {
        text += data.toString('latin1');
        if (text.includes('started;')) socket.write('zz\r\n');
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(raw).not.toContain('read all');
  });

  it('refuses a headersTimeout longer than requestTimeout, saying which to change', async () => {
    await expect(serve(countingApp(), { port: 0, requestTimeout: 1_000, headersTimeout: 2_000 })).rejects.toThrow(
      'headersTimeout (2000 ms) must not be longer than requestTimeout (1000 ms), which includes the head: lower headersTimeout or raise requestTimeout',
    );
  });
});
