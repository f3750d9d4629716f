/**
 * toFetchHandler and app.fetch on Node: the shared suite in-process and, for comparison, through serve() over real
 * HTTP; then the TSGI rules the Fetch handler keeps (docs/gateway.md §4–§6) with small apps.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, urlFor } from 'flagon';
import { App as LayeredApp } from 'flagon/app';
import { toFetchHandler } from 'flagon/adapters';
import { lint, type Body, type Environ, type ErrorStream, type GatewayApp, type StartResponse } from 'flagon/gateway';
import { serve, silentStream, type RunningServer } from 'flagon/serving';
import { fetchSuite } from './fetch-suite.js';
import { app as suiteApp } from './fixtures/suite-app.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** An error stream that keeps what it is told, to check what the handler logs. */
function recorder(): ErrorStream & { text: string } {
  const stream = {
    text: '',
    write(text: string) {
      stream.text += text;
    },
    flush() {},
  };
  return stream;
}

fetchSuite('app.fetch in-process on Node', () => ({
  send: (path, init) => suiteApp.fetch(new Request(`http://localhost${path}`, init)),
  slack: 0,
  runtime: 'node',
}));

let server: RunningServer;
beforeAll(async () => {
  server = await serve(suiteApp.gatewayApp, { port: 0, errors: silentStream });
});
afterAll(() => server.close());
fetchSuite('serve() on Node, for comparison', () => ({
  send: (path, init) => fetch(`${server.url}${path}`, init),
  slack: 16 * 1024 * 1024,
  runtime: 'node',
}));

describe('the environ a Fetch request becomes', () => {
  it('follows docs/gateway.md §3 (checked by lint) and keeps the raw target', async () => {
    let seen: Environ | undefined;
    const handler = toFetchHandler(
      lint((environ, startResponse) => {
        seen = environ;
        startResponse('200 OK', [['Content-Type', 'text/plain']]);
        return [bytes('ok')];
      }),
    );
    const response = await handler(
      new Request('https://example.com:8443/caf%C3%A9/a%2Fb?q=1&r', {
        headers: { 'X-Request-Id': 'r1', Cookie: 'a=1' },
      }),
    );
    expect(await response.text()).toBe('ok');
    expect(seen).toMatchObject({
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '',
      PATH_INFO: '/café/a/b',
      QUERY_STRING: 'q=1&r',
      REQUEST_URI: '/caf%C3%A9/a%2Fb?q=1&r',
      SERVER_NAME: 'example.com',
      SERVER_PORT: '8443',
      SERVER_PROTOCOL: 'HTTP/1.1',
      'tsgi.url_scheme': 'https',
      HTTP_X_REQUEST_ID: 'r1',
      HTTP_COOKIE: 'a=1',
    });
  });

  it("takes the peer from Deno's info or Bun's server, and passes the runtime's arguments on", async () => {
    let seen: Environ | undefined;
    const handler = toFetchHandler((environ, startResponse) => {
      seen = environ;
      startResponse('204 No Content', []);
      return [];
    });
    const deno = { remoteAddr: { transport: 'tcp', hostname: '10.0.0.5', port: 51000 } };
    await handler(new Request('http://localhost/'), deno);
    expect([seen?.REMOTE_ADDR, seen?.REMOTE_PORT, seen?.['flagon.fetch.context']]).toEqual([
      '10.0.0.5',
      '51000',
      [deno],
    ]);
    const bun = {
      requestIP: (request: Request) =>
        request.url === 'http://localhost/' ? { address: '::1', port: 40000, family: 'IPv6' } : null,
    };
    await handler(new Request('http://localhost/'), bun);
    expect([seen?.REMOTE_ADDR, seen?.REMOTE_PORT]).toEqual(['::1', '40000']);
  });

  it('serves under basePath: SCRIPT_NAME, URLs built under it, and 404 outside it without calling the app', async () => {
    const mounted = new App(import.meta.url, { name: 'based', staticFolder: null });
    mounted.get('/users/<int:id>', { endpoint: 'user' }, (req) => ({
      script: req.scriptRoot,
      path: req.path,
      self: urlFor('user', { id: req.params.id }),
    }));
    const handler = toFetchHandler(mounted.gatewayApp, { basePath: '/blog' });
    expect(await (await handler(new Request('http://localhost/blog/users/3'))).json()).toEqual({
      script: '/blog',
      path: '/users/3',
      self: '/blog/users/3',
    });
    const outside = await handler(new Request('http://localhost/blogger/users/3'));
    expect([outside.status, await outside.text()]).toEqual([404, 'Not Found: this app is served under /blog\n']);
  });

  it('says how to fix a bad basePath, a missing app, and a node request passed to it', async () => {
    const ok: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', []);
      return [];
    };
    expect(() => toFetchHandler(ok, { basePath: 'blog/' })).toThrow(
      "basePath \"blog/\" must start with '/' and not end with one; write '/blog'",
    );
    expect(() => toFetchHandler(undefined as unknown as GatewayApp)).toThrow(
      'app is neither a TSGI app nor a Flagon App; pass app.gatewayApp or the App itself',
    );
    const nodeRequest = { url: '/', headers: { host: 'x' } } as unknown as IncomingMessage;
    await expect(toFetchHandler(ok)(nodeRequest as unknown as Request)).rejects.toThrow(
      'on node:http serve the app with serve(app.gatewayApp)',
    );
  });
});

describe('the request body', () => {
  it('survives a client that goes away after the app stopped listening to the body', async () => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    let firstChunk: Promise<void> | undefined;
    const handler = toFetchHandler((environ, startResponse) => {
      // A reader that takes one chunk and leaves the stream flowing with no listener, as an unpiped parser does.
      const input = environ['tsgi.input'] as NodeJS.ReadableStream;
      firstChunk = new Promise((resolve) => input.once('data', () => resolve()));
      startResponse('413 Content Too Large', []);
      return [bytes('too big')];
    });
    const response = await handler(
      new Request('http://localhost/', { method: 'POST', body, duplex: 'half' } as RequestInit),
    );
    controller.enqueue(bytes('first'));
    await firstChunk;
    controller.error(new Error('client went away'));
    // Before the fix the stream's 'error' had no listener and took the process down (vitest reports it).
    await new Promise((resolve) => setImmediate(resolve));
    expect([response.status, await response.text()]).toEqual([413, 'too big']);
  });
});

describe('app.fetch', () => {
  it('is one function per app, serves the current gatewayApp, and shows details only in DEBUG', async () => {
    const app = new App(import.meta.url, { name: 'fetchy', staticFolder: null });
    app.get('/', () => 'index');
    const handler = app.fetch;
    expect(app.fetch).toBe(handler);
    expect(new App(import.meta.url, { name: 'other', staticFolder: null }).fetch).not.toBe(handler);
    const inner = app.gatewayApp;
    app.gatewayApp = (environ, startResponse) =>
      inner(environ, (status, headers, excInfo) => startResponse(status, [...headers, ['X-Wrapped', 'yes']], excInfo));
    const response = await handler(new Request('http://localhost/'));
    expect([await response.text(), response.headers.get('x-wrapped')]).toEqual(['index', 'yes']);
    const errors = recorder();
    const broken = toFetchHandler(
      () => {
        throw new Error('middleware broke');
      },
      { errors },
    );
    expect(await (await broken(new Request('http://localhost/'))).text()).toBe('Internal Server Error\n');
    expect(errors.text).toContain('middleware broke');
    app.gatewayApp = () => {
      throw new Error('middleware broke');
    };
    app.config.DEBUG = true;
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await (await app.fetch(new Request('http://localhost/'))).text()).toMatch(
        /^Internal Server Error\n\nError: middleware broke\n {4}at /,
      );
    } finally {
      process.stderr.write = write;
    }
  });
});

describe('toFetchHandler(app) for an App', () => {
  it("serves flagon/app's App, its current gatewayApp, with details in DEBUG unless debug says otherwise", async () => {
    const app = new LayeredApp(import.meta.url, { name: 'layered', staticFolder: null });
    app.get('/', () => 'layered');
    const handler = toFetchHandler(app);
    expect(await (await handler(new Request('http://localhost/'))).text()).toBe('layered');
    const inner = app.gatewayApp;
    app.gatewayApp = (environ, startResponse) =>
      inner(environ, (status, headers, excInfo) => startResponse(status, [...headers, ['X-Later', 'yes']], excInfo));
    expect((await handler(new Request('http://localhost/'))).headers.get('x-later')).toBe('yes');
    app.gatewayApp = () => {
      throw new Error('middleware broke');
    };
    const errors = recorder();
    const quiet = toFetchHandler(app, { debug: false, errors });
    app.config.DEBUG = true;
    expect(await (await quiet(new Request('http://localhost/'))).text()).toBe('Internal Server Error\n');
    expect(errors.text).toContain('middleware broke');
    const loud = toFetchHandler(app, { errors: recorder() });
    expect(await (await loud(new Request('http://localhost/'))).text()).toMatch(
      /^Internal Server Error\n\nError: middleware broke/,
    );
  });
});

describe('bodies and close()', () => {
  /** A streamed body that counts its reads and its close() calls. */
  function counted(
    chunks: Array<Uint8Array | string | Error>,
    tail?: Promise<never>,
  ): Body & { reads: number; closes: number; returned: boolean } {
    const body = {
      reads: 0,
      closes: 0,
      returned: false,
      [Symbol.asyncIterator]() {
        let i = 0;
        return {
          next: async (): Promise<IteratorResult<Uint8Array>> => {
            body.reads++;
            if (i < chunks.length) {
              const chunk = chunks[i++]!;
              if (chunk instanceof Error) throw chunk;
              return { done: false, value: chunk as Uint8Array };
            }
            if (tail) return tail;
            return { done: true, value: undefined };
          },
          return: async (): Promise<IteratorResult<Uint8Array>> => {
            body.returned = true;
            return { done: true, value: undefined };
          },
        };
      },
      close() {
        body.closes++;
      },
    };
    return body;
  }
  const streaming =
    (body: Body, status = '200 OK', eager = true): GatewayApp =>
    (_environ, startResponse) => {
      if (eager) startResponse(status, [['Content-Type', 'text/plain']]);
      return body;
    };

  it('gives a list body a Content-Length and closes it at once', async () => {
    const body = Object.assign([bytes('hello '), bytes('world')], {
      closes: 0,
      close() {
        body.closes++;
      },
    });
    const response = await toFetchHandler((_e, startResponse) => {
      startResponse('201 Created', [
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ]);
      return body;
    })(new Request('http://localhost/'));
    expect([
      response.status,
      response.statusText,
      response.headers.get('content-length'),
      response.headers.getSetCookie(),
      body.closes,
    ]).toEqual([201, 'Created', '11', ['a=1', 'b=2'], 1]);
    expect(await response.text()).toBe('hello world');
  });

  it('streams a body to the end, then closes it once', async () => {
    const body = counted([bytes('a'), new Uint8Array(0), bytes('b')]);
    const response = await toFetchHandler(streaming(body))(new Request('http://localhost/'));
    expect([response.headers.get('content-length'), body.closes]).toEqual([null, 0]);
    expect(await response.text()).toBe('ab');
    expect([body.closes, body.returned]).toEqual([1, false]);
  });

  it('reads nothing ahead: one chunk per read of the consumer', async () => {
    const body = counted([bytes('1'), bytes('2'), bytes('3'), bytes('4')]);
    const response = await toFetchHandler(streaming(body))(new Request('http://localhost/'));
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('1');
    expect(body.reads).toBe(1);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('2');
    expect(body.reads).toBe(2);
    await reader.cancel();
    expect([body.closes, body.returned]).toEqual([1, true]);
  });

  it('closes at once when the consumer cancels while the app is still making a chunk', async () => {
    let release!: () => void;
    const pending = new Promise<never>((_resolve, reject) => {
      release = () => reject(new Error('released'));
    });
    const body = counted([bytes('first')], pending);
    const response = await toFetchHandler(streaming(body), { errors: silentStream })(new Request('http://localhost/'));
    const reader = response.body!.getReader();
    await reader.read();
    const waiting = reader.read(); // the app's next() is pending now
    await reader.cancel();
    expect(body.closes).toBe(1);
    release();
    expect((await waiting).done).toBe(true);
    expect(body.closes).toBe(1);
  });

  it('errors the stream when the app fails after the first byte, logs it and closes once', async () => {
    const errors = recorder();
    const body = counted([bytes('partial'), new Error('disk gone')]);
    const response = await toFetchHandler(streaming(body), { errors })(new Request('http://localhost/'));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow('disk gone');
    expect([body.closes, errors.text.includes('disk gone')]).toEqual([1, true]);
  });

  it('answers 500 for failures before the first byte and closes the body', async () => {
    const cases: Array<[string, GatewayApp, Body | null]> = [];
    const thrown = counted([new Error('early')]);
    cases.push(['iteration threw before any byte', streaming(thrown), thrown]);
    const text = counted([42 as unknown as Uint8Array]);
    cases.push(['a chunk was a number', streaming(text), text]);
    const hop = counted([bytes('x')]);
    cases.push([
      'a hop-by-hop header',
      (_e, startResponse) => {
        startResponse('200 OK', [['Connection', 'close']]);
        return hop;
      },
      hop,
    ]);
    const lazy = counted([bytes('x')]);
    cases.push(['no startResponse before the body', streaming(lazy, '200 OK', false), lazy]);
    cases.push([
      'the app rejected',
      async () => {
        throw new Error('rejected');
      },
      null,
    ]);
    for (const [what, app, body] of cases) {
      const errors = recorder();
      const response = await toFetchHandler(app, { errors })(new Request('http://localhost/'));
      expect([what, response.status, await response.text()]).toEqual([what, 500, 'Internal Server Error\n']);
      expect([what, errors.text.startsWith('[flagon] error in the application (GET /)')]).toEqual([what, true]);
      if (body) expect([what, (body as unknown as { closes: number }).closes]).toEqual([what, 1]);
    }
  });

  it('lets excInfo replace the status until the first byte, and rethrows it after', async () => {
    const replaced = await toFetchHandler(async function* replacing(_environ: Environ, startResponse: StartResponse) {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      yield new Uint8Array(0);
      startResponse('503 Service Unavailable', [['Retry-After', '5']], new Error('backend down'));
      yield bytes('later');
    } as unknown as GatewayApp)(new Request('http://localhost/'));
    expect([replaced.status, replaced.headers.get('retry-after'), await replaced.text()]).toEqual([503, '5', 'later']);
    let rethrown: unknown;
    const late = await toFetchHandler((_environ, startResponse) => {
      startResponse('200 OK', []);
      return (async function* () {
        yield bytes('sent');
        try {
          startResponse('500 Internal Server Error', [], new Error('too late'));
        } catch (error) {
          rethrown = error;
        }
      })();
    })(new Request('http://localhost/'));
    expect(await late.text()).toBe('sent');
    expect((rethrown as Error).message).toBe('too late');
  });

  it('sends write() chunks first, and answers HEAD, 204 and 304 with no body and no chunk read', async () => {
    const pushed = await toFetchHandler((_environ, startResponse) => {
      const write = startResponse('200 OK', []);
      write(bytes('pushed '));
      return [bytes('returned')];
    })(new Request('http://localhost/'));
    expect([pushed.headers.get('content-length'), await pushed.text()]).toEqual(['15', 'pushed returned']);
    for (const [method, status] of [
      ['HEAD', '200 OK'],
      ['GET', '204 No Content'],
      ['GET', '304 Not Modified'],
    ] as const) {
      const body = counted([bytes('never read')]);
      const response = await toFetchHandler(streaming(body, status))(new Request('http://localhost/', { method }));
      expect([
        method,
        status,
        response.body,
        response.headers.get('content-length'),
        body.reads,
        body.returned,
        body.closes,
      ]).toEqual([method, status, null, null, 0, true, 1]);
    }
    const headList = await toFetchHandler((_e, startResponse) => {
      startResponse('200 OK', []);
      return [bytes('12345')];
    })(new Request('http://localhost/', { method: 'HEAD' }));
    expect([headList.body, headList.headers.get('content-length')]).toEqual([null, '5']);
  });
});
