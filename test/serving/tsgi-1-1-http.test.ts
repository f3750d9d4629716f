/**
 * TSGI 1.1 over real HTTP: body chunks may be strings, which serve() (and the raw-socket example server) send as
 * UTF-8, with Content-Length counting UTF-8 bytes, never UTF-16 units.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { App, Response } from 'flagon';
import { lint, type Body, type BodyChunk, type GatewayApp } from 'flagon/gateway';
import { serve, type RunningServer } from 'flagon/serving';
import { collectingStream } from 'flagon/testing';
import { serveRaw } from '../../examples/raw-socket-server/server.js';
import { bytes, exchangeRaw, fetchRaw } from '../helpers/http.js';

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(app: GatewayApp): Promise<RunningServer> {
  const server = await serve(app, { port: 0, errors: collectingStream() });
  running.push(server);
  return server;
}

const SNOWMAN = 'héllo ☃'; // 7 UTF-16 units, 10 UTF-8 bytes
const plain =
  (body: () => Body): GatewayApp =>
  (_environ, startResponse) => {
    startResponse('200 OK', [['Content-Type', 'text/plain; charset=utf-8']]);
    return body();
  };

// A list body is asserted without lint(): lint hands the server its own iterable, so the list fast path (the one that
// adds Content-Length) would not run.
describe('serve() with string chunks (TSGI 1.1)', () => {
  it('sends a list of strings with a Content-Length of their UTF-8 bytes', async () => {
    const server = await start(plain(() => ['Hello, ', 'World!']));
    const response = await fetchRaw(server.url);
    expect([response.status, response.headers['content-length'], response.text]).toEqual([200, '13', 'Hello, World!']);
  });

  it('counts non-ASCII text in UTF-8 bytes, for one chunk and for several', async () => {
    const one = await start(plain(() => [SNOWMAN]));
    const single = await fetchRaw(one.url);
    expect([single.headers['content-length'], single.body.byteLength, single.text, single.complete]).toEqual([
      '10',
      10,
      SNOWMAN,
      true,
    ]);
    const long = `${'ü'.repeat(600)}🎉`; // past the 512-byte single-chunk path, and a surrogate pair
    const many = await start(plain(() => [SNOWMAN, long, '€']));
    const several = await fetchRaw(many.url);
    expect([several.headers['content-length'], several.text, several.complete]).toEqual([
      String(10 + 1204 + 3),
      `${SNOWMAN}${long}€`,
      true,
    ]);
  });

  it('streams strings from a sync generator and from an async generator, chunked', async () => {
    const sync = await start(
      lint(
        plain(() =>
          (function* () {
            yield 'one ';
            yield SNOWMAN;
          })(),
        ),
      ),
    );
    const fromSync = await fetchRaw(sync.url);
    expect([fromSync.headers['transfer-encoding'], fromSync.text, fromSync.complete]).toEqual([
      'chunked',
      `one ${SNOWMAN}`,
      true,
    ]);
    const async = await start(
      lint(
        plain(() =>
          (async function* () {
            yield 'two ';
            yield SNOWMAN;
          })(),
        ),
      ),
    );
    const fromAsync = await fetchRaw(async.url);
    expect([fromAsync.headers['transfer-encoding'], fromAsync.text, fromAsync.complete]).toEqual([
      'chunked',
      `two ${SNOWMAN}`,
      true,
    ]);
  });

  it('takes strings in write(), mixed with bytes', async () => {
    const server = await start(
      lint((_environ, startResponse) => {
        const write = startResponse('200 OK', [['Content-Type', 'text/plain; charset=utf-8']]);
        write('pushed ');
        write(bytes('bytes '));
        write(SNOWMAN);
        return [];
      }),
    );
    const response = await fetchRaw(server.url);
    expect([response.text, response.complete]).toEqual([`pushed bytes ${SNOWMAN}`, true]);
  });

  it('mixes strings and bytes in a list and in a stream', async () => {
    const list = await start(plain(() => ['a', bytes('β'), 'c']));
    const fromList = await fetchRaw(list.url);
    expect([fromList.headers['content-length'], fromList.text]).toEqual(['4', 'aβc']);
    const stream = await start(
      lint(
        plain(() =>
          (async function* (): AsyncGenerator<BodyChunk> {
            yield bytes('x');
            yield 'ÿ';
            yield bytes('z');
          })(),
        ),
      ),
    );
    expect((await fetchRaw(stream.url)).text).toBe('xÿz');
  });

  it('skips an empty string chunk: it does not end the chunked response', async () => {
    const server = await start(
      lint(
        plain(() =>
          (async function* () {
            yield 'a';
            yield '';
            yield 'b';
            yield bytes('');
            yield 'c';
          })(),
        ),
      ),
    );
    const raw = await exchangeRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    // Node may send the three writes as one chunk (Node 24 does): what matters is that no empty chunk ended the
    // response early, so the whole body arrives and exactly one last-chunk closes it.
    expect(dechunk(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toBe('abc');
  });

  it('skips an empty string passed to write()', async () => {
    const server = await start((_environ, startResponse) => {
      const write = startResponse('200 OK', [['Content-Type', 'text/plain']]);
      write('');
      write('x');
      return [];
    });
    const raw = await exchangeRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(raw.slice(raw.indexOf('\r\n\r\n') + 4)).toBe('1\r\nx\r\n0\r\n\r\n');
  });

  it('trusts a Content-Length the app gave for a string body', async () => {
    const server = await start(
      lint((_environ, startResponse) => {
        startResponse('200 OK', [
          ['Content-Type', 'text/plain; charset=utf-8'],
          ['Content-Length', '10'],
        ]);
        return (function* () {
          yield SNOWMAN;
        })();
      }),
    );
    const response = await fetchRaw(server.url);
    expect([
      response.headers['content-length'],
      response.headers['transfer-encoding'],
      response.text,
      response.complete,
    ]).toEqual(['10', undefined, SNOWMAN, true]);
  });

  it('answers HEAD to a string list with the GET length and no body', async () => {
    const server = await start(plain(() => [SNOWMAN]));
    const response = await fetchRaw(server.url, { method: 'HEAD' });
    expect([response.headers['content-length'], response.body.byteLength]).toEqual(['10', 0]);
  });

  it('still answers 500 to a chunk that is neither a string nor bytes, and says what it was', async () => {
    const errors = collectingStream();
    const server = await serve(
      (_environ, startResponse) => {
        startResponse('200 OK', []);
        return [42] as unknown as Body;
      },
      { port: 0, errors },
    );
    running.push(server);
    const response = await fetchRaw(server.url);
    expect([response.status, response.text]).toEqual([500, 'Internal Server Error\n']);
    expect(errors.text).toContain('body chunk 0 is a number (42); chunks are strings or Uint8Array');
  });
});

describe('an App whose view returns text', () => {
  it('hands the server a string chunk (no encoding pass) with the UTF-8 Content-Length', async () => {
    const app = new App(import.meta.url);
    app.get('/', () => SNOWMAN);
    app.get('/response', () => new Response(SNOWMAN, { mimetype: 'text/plain' }));
    const seen: string[] = [];
    const recording: GatewayApp = async (environ, startResponse) => {
      const body = await app.gatewayApp(environ, startResponse);
      for (const chunk of body as Iterable<BodyChunk>) seen.push(typeof chunk);
      return body;
    };
    const server = await start(recording);
    for (const path of ['/', '/response']) {
      const response = await fetchRaw(`${server.url}${path}`);
      expect([path, response.status, response.headers['content-length'], response.text]).toEqual([
        path,
        200,
        '10',
        SNOWMAN,
      ]);
    }
    expect(seen).toEqual(['string', 'string']);
  });
});

describe('the raw-socket example server with string chunks', () => {
  it('sends strings as UTF-8 with their byte length, and streams them', async () => {
    const list = await serveRaw(
      plain(() => [SNOWMAN, '!']),
      0,
    );
    running.push(list);
    const fromList = await fetchRaw(list.url);
    expect([fromList.headers['content-length'], fromList.text]).toEqual(['11', `${SNOWMAN}!`]);
    const stream = await serveRaw(
      plain(() =>
        (async function* () {
          yield 'a';
          yield '';
          yield SNOWMAN;
        })(),
      ),
      0,
    );
    running.push(stream);
    expect((await fetchRaw(stream.url)).text).toBe(`a${SNOWMAN}`);
  });
});

/** The content of a chunked body (RFC 9112 §7.1), which must end with its last-chunk and nothing after it. */
function dechunk(framed: string): string {
  let content = '';
  let at = 0;
  for (;;) {
    const lineEnd = framed.indexOf('\r\n', at);
    const size = Number.parseInt(framed.slice(at, lineEnd), 16);
    if (size === 0) {
      expect(framed.slice(lineEnd)).toBe('\r\n\r\n');
      return content;
    }
    content += framed.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
