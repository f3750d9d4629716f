import { afterEach, describe, expect, it } from 'vitest';
import { lint, type Body, type Environ, type GatewayApp } from 'flagon/gateway';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { SERVE_DEFAULTS, createRequestListener, serve, type RunningServer, type ServeOptions } from 'flagon/serving';
import { collectingStream, type CollectingStream } from 'flagon/testing';
import { bytes, exchangeRaw, fetchRaw, firstDataEvent, sleep } from '../helpers/http.js';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(
  app: GatewayApp,
  options: ServeOptions = {},
): Promise<RunningServer & { errors: CollectingStream }> {
  const errors = collectingStream();
  const server = await serve(app, { port: 0, errors, ...options });
  running.push(server);
  return Object.assign(server, { errors });
}

/** A body that records how the server used it. */
function trackedBody(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Body & { closeCalls: number } {
  const body = {
    closeCalls: 0,
    close() {
      body.closeCalls++;
    },
    ...(Symbol.asyncIterator in chunks
      ? { [Symbol.asyncIterator]: () => (chunks as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]() }
      : { [Symbol.iterator]: () => (chunks as Iterable<Uint8Array>)[Symbol.iterator]() }),
  };
  return body as Body & { closeCalls: number };
}

const text =
  (body: string, status = '200 OK'): GatewayApp =>
  (_environ, startResponse) => {
    startResponse(status, [['Content-Type', 'text/plain; charset=utf-8']]);
    return [bytes(body)];
  };

describe('serve()', () => {
  it('binds 127.0.0.1 by default, reports the port, and answers', async () => {
    const server = await start(text('hello'));
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const response = await fetchRaw(server.url);
    expect([response.status, response.text, response.headers['content-type']]).toEqual([
      200,
      'hello',
      'text/plain; charset=utf-8',
    ]);
  });

  it('applies the documented timeouts and header limit', async () => {
    const server = await start(text('x'));
    expect(server.server.headersTimeout).toBe(SERVE_DEFAULTS.headersTimeout);
    expect(server.server.requestTimeout).toBe(SERVE_DEFAULTS.requestTimeout);
    expect(server.server.keepAliveTimeout).toBe(SERVE_DEFAULTS.keepAliveTimeout);
    expect((server.server as unknown as { maxHeaderSize: number }).maxHeaderSize).toBe(SERVE_DEFAULTS.maxHeaderSize);
    const custom = await start(text('x'), { headersTimeout: 1000, requestTimeout: 2000, keepAliveTimeout: 300 });
    expect([custom.server.headersTimeout, custom.server.requestTimeout, custom.server.keepAliveTimeout]).toEqual([
      1000, 2000, 300,
    ]);
  });

  it('answers 431 to a head larger than maxHeaderSize', async () => {
    const server = await start(text('x'));
    const response = await fetchRaw(server.url, { headers: { 'X-Big': 'a'.repeat(20_000) } });
    expect(response.status).toBe(431);
  });

  it('says how to fix a port that is taken', async () => {
    const first = await start(text('x'));
    await expect(serve(text('x'), { port: first.port })).rejects.toThrow(/already in use.*port: 0/);
  });

  it('refuses a port that is not a whole number from 0 to 65535, before binding anything', async () => {
    // Node took '5000' as a port, and 'abc' as a Unix socket's path, made in the working folder.
    for (const port of ['5000', 'abc', 70_000, -1, 80.5, Number.NaN])
      await expect(serve(text('x'), { port: port as number })).rejects.toThrow(
        /port must be a whole number from 0 to 65535 \(0 picks a free port\), not /,
      );
  });

  it('builds an environ that passes lint, with headers, paths and the body', async () => {
    let seen: Environ | undefined;
    let plain: unknown[] = [];
    let received = '';
    const app: GatewayApp = async (environ, startResponse) => {
      seen = { ...environ };
      // a plain object: reads, `in` and enumeration work as on any object literal
      plain = [
        Object.getPrototypeOf(environ) === Object.prototype,
        'HTTP_ACCEPT' in environ,
        'HTTP_MISSING' in environ,
        Object.keys(environ).includes('PATH_INFO'),
        JSON.stringify(Object.keys(environ)) === JSON.stringify(Object.keys(seen)),
      ];
      for await (const chunk of environ['tsgi.input']) received += Buffer.from(chunk).toString();
      startResponse('200 OK', []);
      return [];
    };
    const server = await start(lint(app));
    const response = await fetchRaw(`${server.url}/caf%C3%A9/%FF?x=%20y&z`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'X-Forwarded-For': '1.1.1.1', X_Forwarded_For: '6.6.6.6', Accept: 'a' },
      body: 'payload',
    });
    expect(response.status).toBe(200);
    expect(seen).toMatchObject({
      REQUEST_METHOD: 'POST',
      SCRIPT_NAME: '',
      PATH_INFO: '/café/\uFFFD',
      QUERY_STRING: 'x=%20y&z',
      REQUEST_URI: '/caf%C3%A9/%FF?x=%20y&z',
      SERVER_NAME: '127.0.0.1',
      SERVER_PORT: String(server.port),
      SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: '127.0.0.1',
      CONTENT_TYPE: 'text/plain',
      CONTENT_LENGTH: '7',
      HTTP_X_FORWARDED_FOR: '1.1.1.1',
      HTTP_ACCEPT: 'a',
      HTTP_HOST: `127.0.0.1:${server.port}`,
      'tsgi.version': [1, 1],
      'tsgi.url_scheme': 'http',
      'tsgi.input_terminated': true,
      'tsgi.multithread': false,
      'tsgi.multiprocess': false,
      'tsgi.run_once': false,
    });
    expect(seen?.REMOTE_PORT).toMatch(/^\d+$/);
    expect(Object.keys(seen ?? {})).not.toContain('HTTP_CONTENT_TYPE');
    expect(received).toBe('payload');
    expect(plain).toEqual([true, true, false, true, true]);
  });

  it('joins repeated headers, cookies with "; "', async () => {
    let seen: Environ | undefined;
    const server = await start((environ, startResponse) => {
      seen = environ;
      startResponse('204 No Content', []);
      return [];
    });
    await exchangeRaw(
      server.port,
      'GET / HTTP/1.1\r\nHost: x\r\nAccept: a\r\nAccept: b\r\nCookie: a=1\r\nCookie: b=2\r\nConnection: close\r\n\r\n',
    );
    expect([seen?.HTTP_ACCEPT, seen?.HTTP_COOKIE]).toEqual(['a, b', 'a=1; b=2']);
  });

  it('fills the address keys from each connection, on every request it carries', async () => {
    const addresses: GatewayApp = (environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return [bytes(`${environ.REMOTE_ADDR} ${environ.REMOTE_PORT} ${environ.SERVER_NAME} ${environ.SERVER_PORT}|`)];
    };
    const mounted = createServer(createRequestListener(addresses)); // no serverName: read off the socket
    await new Promise<void>((resolve) => mounted.listen(0, '127.0.0.1', resolve));
    try {
      const port = (mounted.address() as AddressInfo).port;
      const ask = (requests: number) =>
        new Promise<{ local: number; answer: string }>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write(
              'GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(requests - 1) +
                'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
            );
          });
          let answer = '';
          socket.on('data', (data: Buffer) => {
            answer += data.toString('latin1');
          });
          socket.on('end', () => resolve({ local: socket.localPort!, answer }));
          socket.on('error', reject);
        });
      const [first, second] = await Promise.all([ask(2), ask(1)]);
      const bodies = (answer: string) => [...answer.matchAll(/\r\n\r\n([^|]*)\|/g)].map((m) => m[1]);
      expect(bodies(first.answer)).toEqual([
        `127.0.0.1 ${first.local} 127.0.0.1 ${port}`,
        `127.0.0.1 ${first.local} 127.0.0.1 ${port}`,
      ]);
      expect(bodies(second.answer)).toEqual([`127.0.0.1 ${second.local} 127.0.0.1 ${port}`]);
    } finally {
      await new Promise((resolve) => mounted.close(resolve));
    }
  });

  it('rejects a request with two Host headers, or none in HTTP/1.1, with 400 (RFC 9112 §3.2)', async () => {
    const server = await start(text('never'));
    expect(await exchangeRaw(server.port, 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*more than one Host/,
    );
    expect(await exchangeRaw(server.port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await exchangeRaw(server.port, 'GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*never$/);
  });
});

describe('serve() framing', () => {
  it('sends a one-chunk body with Content-Length, headers and body in one write', async () => {
    const server = await start(text('hello world'));
    const first = await firstDataEvent(server.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(first).toMatch(/\r\nContent-Length: 11\r\n/);
    expect(first).not.toMatch(/Transfer-Encoding/);
    expect(first.endsWith('\r\n\r\nhello world')).toBe(true);
  });

  it('sends every one-chunk body byte for byte, whether it goes to node as text or as bytes', async () => {
    // Short ASCII bodies are handed to node as a string (a faster path there); the rest as they are.
    const ascii = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => 32 + (i % 95));
    const backing = new Uint8Array(64).fill(0x41);
    const bodies: Record<string, Uint8Array> = {
      empty: new Uint8Array(0),
      ascii: ascii(13),
      controls: Uint8Array.from([0, 9, 10, 13, 27, 127]),
      'ascii-512': ascii(512),
      'ascii-513': ascii(513),
      utf8: bytes('café ☕ 𝄞'),
      invalid: Uint8Array.from([0x68, 0x69, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
      view: backing.subarray(10, 20), // a plain Uint8Array with an offset, not a Buffer
      latin1: Uint8Array.from([0x63, 0x61, 0x66, 0xe9]),
    };
    const server = await start((environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
      return [bodies[environ.PATH_INFO.slice(1)]!];
    });
    for (const [name, body] of Object.entries(bodies)) {
      const response = await fetchRaw(`${server.url}/${name}`);
      expect([name, response.headers['content-length'], [...response.body]]).toEqual([
        name,
        String(body.byteLength),
        [...body],
      ]);
    }
  });

  it('adds up a list of chunks into Content-Length', async () => {
    const server = await start((_e, startResponse) => {
      startResponse('200 OK', []);
      return [bytes('ab'), bytes(''), bytes('cde')];
    });
    const raw = await exchangeRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/Content-Length: 5\r\n/);
    expect(raw.endsWith('\r\n\r\nabcde')).toBe(true);
  });

  it('keeps the Content-Length the app declared', async () => {
    const server = await start((_e, startResponse) => {
      startResponse('200 OK', [['Content-Length', '3']]);
      return (function* () {
        yield bytes('abc');
      })();
    });
    const raw = await exchangeRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/Content-Length: 3\r\n/);
    expect(raw).not.toMatch(/Transfer-Encoding/);
    // in any case: a list body with the app's own lower-case content-length gets no second one
    const lower = await start((_e, startResponse) => {
      startResponse('200 OK', [['content-length', '2']]);
      return [bytes('ab')];
    });
    const rawLower = await exchangeRaw(lower.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(rawLower.match(/content-length/gi)).toHaveLength(1);
    expect(rawLower.endsWith('\r\n\r\nab')).toBe(true);
  });

  it('streams generators and async generators with chunked framing', async () => {
    const server = await start(async (_e, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (async function* () {
        yield bytes('one,');
        await sleep(5);
        yield bytes('two');
      })();
    });
    const raw = await exchangeRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/Transfer-Encoding: chunked\r\n/);
    expect(raw.endsWith('\r\n\r\n4\r\none,\r\n3\r\ntwo\r\n0\r\n\r\n')).toBe(true);
  });

  it('sends headers with the first non-empty chunk, so startResponse may come late', async () => {
    const server = await start((_e, startResponse) =>
      (function* () {
        yield bytes('');
        startResponse('201 Created', [['X-Late', 'yes']]);
        yield bytes('made');
      })(),
    );
    const response = await fetchRaw(server.url);
    expect([response.status, response.headers['x-late'], response.text]).toEqual([201, 'yes', 'made']);
  });

  it('supports the legacy write()', async () => {
    const server = await start((_e, startResponse) => {
      const write = startResponse('200 OK', []);
      write(bytes('pushed,'));
      return [bytes('returned')];
    });
    const response = await fetchRaw(server.url);
    expect([response.text, response.headers['transfer-encoding']]).toEqual(['pushed,returned', 'chunked']);
  });

  it('answers HEAD without a body but with the Content-Length of GET', async () => {
    const server = await start(text('twelve bytes'));
    const raw = await exchangeRaw(server.port, 'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/Content-Length: 12\r\n/);
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
  });

  it('reads nothing of a streamed body for HEAD when its headers are known, and closes it', async () => {
    let produced = 0;
    const body = trackedBody(
      (function* () {
        for (;;) {
          produced++;
          yield bytes('x');
        }
      })(),
    );
    const server = await start((_e, startResponse) => {
      startResponse('200 OK', []);
      return body;
    });
    const raw = await exchangeRaw(server.port, 'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(produced).toBe(0);
    expect(body.closeCalls).toBe(1);
  });

  it('sends no Content-Length and no body with 204 and 304', async () => {
    for (const status of ['204 No Content', '304 Not Modified']) {
      const server = await start((_e, startResponse) => {
        startResponse(status, [['ETag', '"x"']]);
        return [bytes('ignored')];
      });
      const raw = await exchangeRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(raw).toMatch(new RegExp(`^HTTP/1\\.1 ${status}\\r\\n`));
      expect(raw).not.toMatch(/Content-Length|Transfer-Encoding|ignored/);
    }
  });

  it('waits for drain instead of buffering a fast body for a slow client', async () => {
    let produced = 0;
    const chunk = new Uint8Array(64 * 1024);
    const server = await start((_e, startResponse) => {
      startResponse('200 OK', []);
      return (function* () {
        for (let i = 0; i < 1000; i++) {
          produced++;
          yield chunk;
        }
      })(); // 64 MB if nothing stops it
    });
    const { connect } = await import('node:net');
    const socket = connect(server.port, '127.0.0.1');
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    socket.pause();
    await sleep(300);
    const whilePaused = produced;
    socket.destroy();
    expect(whilePaused).toBeGreaterThan(0);
    expect(whilePaused).toBeLessThan(500); // socket buffers hold a few MB; without back-pressure all 1000 are made at once
  });
});

describe('serve() errors', () => {
  it('turns a throw before the headers into a plain 500 without the stack, and logs it', async () => {
    const server = await start(() => {
      throw new Error('secret detail');
    });
    const response = await fetchRaw(server.url);
    expect([response.status, response.headers['content-type'], response.text]).toEqual([
      500,
      'text/plain; charset=utf-8',
      'Internal Server Error\n',
    ]);
    expect(server.errors.text).toMatch(/error in the application \(GET \/\):\nError: secret detail/);
  });

  it('shows the stack in the 500 only in debug mode', async () => {
    const server = await start(
      async () => {
        throw new Error('debug detail');
      },
      { debug: true },
    );
    const response = await fetchRaw(server.url);
    expect(response.status).toBe(500);
    expect(response.text).toMatch(/Error: debug detail\n\s+at /);
  });

  it.each<[string, GatewayApp]>([
    ['no startResponse', () => []],
    [
      'a string body',
      (_e, s) => {
        s('200 OK', []);
        return 'text' as unknown as Body;
      },
    ],
    [
      'a number chunk',
      (_e, s) => {
        s('200 OK', []);
        return [42] as unknown as Body;
      },
    ],
    [
      'a bad status',
      (_e, s) => {
        s('OK', []);
        return [];
      },
    ],
    [
      'a header with CR LF',
      (_e, s) => {
        s('200 OK', [['X-A', 'a\r\nSet-Cookie: evil=1']]);
        return [bytes('x')];
      },
    ],
    [
      'a hop-by-hop header',
      (_e, s) => {
        s('200 OK', [['Transfer-Encoding', 'gzip']]);
        return [bytes('x')];
      },
    ],
    [
      'startResponse twice',
      (_e, s) => {
        s('200 OK', []);
        s('201 Created', []);
        return [];
      },
    ],
  ])('answers 500 to an app that breaks the spec: %s', async (_name, app) => {
    const server = await start(app);
    const response = await fetchRaw(server.url);
    expect([response.status, response.statusMessage, response.text]).toEqual([
      500,
      'Internal Server Error',
      'Internal Server Error\n',
    ]);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('lets the app replace its status with excInfo before any byte went out', async () => {
    const server = await start((_e, startResponse) => {
      startResponse('200 OK', []);
      startResponse('503 Service Unavailable', [['Retry-After', '1']], new Error('db down'));
      return [bytes('later')];
    });
    const response = await fetchRaw(server.url);
    expect([response.status, response.headers['retry-after'], response.text]).toEqual([503, '1', 'later']);
  });

  it('cuts the connection when the body throws after the first chunk, and calls close()', async () => {
    const body = trackedBody(
      (function* () {
        yield bytes('first chunk');
        throw new Error('mid-stream');
      })(),
    );
    const server = await start((_e, startResponse) => {
      startResponse('200 OK', []);
      return body;
    });
    const response = await fetchRaw(server.url);
    expect(response.status).toBe(200);
    expect(response.text).toBe('first chunk');
    expect(response.complete).toBe(false);
    expect(body.closeCalls).toBe(1);
    expect(server.errors.text).toContain('mid-stream');
  });

  it('cuts a Content-Length response short too, so the client cannot mistake it for complete', async () => {
    const server = await start((_e, startResponse) => {
      startResponse('200 OK', [['Content-Length', '100']]);
      return (async function* () {
        yield bytes('ten bytes!');
        throw new Error('gone');
      })();
    });
    const response = await fetchRaw(server.url);
    expect([response.text, response.complete]).toEqual(['ten bytes!', false]);
  });

  it('rethrows excInfo once the headers are out, which cuts the connection', async () => {
    const server = await start((_e, startResponse) =>
      (function* () {
        startResponse('200 OK', []);
        yield bytes('partial');
        startResponse('500 Internal Server Error', [], new Error('too late'));
      })(),
    );
    const response = await fetchRaw(server.url);
    expect([response.status, response.complete]).toEqual([200, false]);
    expect(server.errors.text).toContain('too late');
  });

  it('calls close() exactly once when the body finishes, throws before the headers, or the client leaves', async () => {
    const finished = trackedBody([bytes('done')]);
    const throwsEarly = trackedBody(
      // biome-ignore lint/correctness/useYield: a body that throws before its first chunk is the case under test
      (function* () {
        throw new Error('early');
      })(),
    );
    let produced = 0;
    const endless = trackedBody(
      (async function* () {
        for (;;) {
          produced++;
          yield bytes('tick\n');
          await sleep(5);
        }
      })(),
    );
    const bodies: Record<string, Body> = { '/finished': finished, '/early': throwsEarly, '/endless': endless };
    const server = await start((environ, startResponse) => {
      startResponse('200 OK', []);
      return bodies[environ.PATH_INFO]!;
    });

    expect((await fetchRaw(`${server.url}/finished`)).text).toBe('done');
    expect((await fetchRaw(`${server.url}/early`)).status).toBe(500);
    const { connect } = await import('node:net');
    const socket = connect(server.port, '127.0.0.1');
    socket.write('GET /endless HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    socket.destroy();
    for (let i = 0; i < 100 && endless.closeCalls === 0; i++) await sleep(10);
    const producedAtClose = produced;
    await sleep(50);

    expect([finished.closeCalls, throwsEarly.closeCalls, endless.closeCalls]).toEqual([1, 1, 1]);
    expect(produced - producedAtClose).toBeLessThanOrEqual(1); // the server stopped asking for chunks
  });

  it('survives a close() that throws or rejects', async () => {
    let calls = 0;
    const server = await start((environ, startResponse) => {
      startResponse('200 OK', []);
      return Object.assign([bytes('ok')], {
        close:
          environ.PATH_INFO === '/sync'
            ? () => {
                calls++;
                throw new Error('close threw');
              }
            : async () => {
                calls++;
                throw new Error('close rejected');
              },
      });
    });
    expect((await fetchRaw(`${server.url}/sync`)).text).toBe('ok');
    expect((await fetchRaw(`${server.url}/async`)).text).toBe('ok');
    await sleep(10);
    expect(calls).toBe(2);
    expect(server.errors.text).toMatch(/close threw[\s\S]*close rejected/);
  });
});
