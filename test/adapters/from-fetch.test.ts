/**
 * fromFetchHandler: a Hono app (and a bare Fetch function) mounted inside a Flagon App with dispatcher, over real
 * HTTP through serve(): its own routes and 404, its base path, bodies streamed both ways, cookies, HEAD, and a
 * response the client abandons being cancelled.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from 'flagon';
import { fromFetchHandler } from 'flagon/adapters';
import type { Environ, ErrorStream } from 'flagon/gateway';
import { dispatcher } from 'flagon/middleware';
import { serve, type RunningServer } from 'flagon/serving';
import { fetchRaw } from '../helpers/http.js';

const errors: ErrorStream & { text: string } = {
  text: '',
  write(text: string) {
    errors.text += text;
  },
  flush() {},
};

const flagon = new App(import.meta.url, { name: 'host', staticFolder: null });
flagon.get('/users/<int:id>', (req) => ({ flagon: req.params.id }));

/** What the endless stream did: chunks made, and whether its cancel() ran. */
const ticker = { made: 0, cancelled: 0 };
const hono = new Hono<{ Bindings: Environ }>().basePath('/hono');
hono.get('/hello', (c) =>
  c.json({ path: c.req.path, url: c.req.url, scriptName: c.env.SCRIPT_NAME, pathInfo: c.env.PATH_INFO }),
);
hono.post('/count', async (c) => {
  let size = 0;
  let chunks = 0;
  for await (const chunk of c.req.raw.body!) {
    size += chunk.byteLength;
    chunks++;
  }
  return c.json({ size, streamed: chunks > 1 });
});
hono.post('/headers', async (c) =>
  c.json({
    size: (await c.req.arrayBuffer()).byteLength,
    te: c.req.header('transfer-encoding') ?? null,
    connection: c.req.header('connection') ?? null,
  }),
);
hono.post('/json', async (c) => c.json({ got: await c.req.json() }, 201));
hono.get('/cookies', (c) => {
  c.header('Set-Cookie', 'a=1; Path=/hono', { append: true });
  c.header('Set-Cookie', 'b=2; Path=/hono', { append: true });
  return c.text('two cookies');
});
hono.get(
  '/ticker',
  () =>
    new Response(
      new ReadableStream(
        {
          pull(controller) {
            ticker.made++;
            controller.enqueue(new Uint8Array(64 * 1024).fill(116));
          },
          cancel() {
            ticker.cancelled++;
          },
        },
        { highWaterMark: 0 },
      ),
    ),
);
hono.get('/not-a-response', () => 'oops' as unknown as Response);

const plain = (request: Request): Response =>
  new Response(`plain sees ${new URL(request.url).pathname}${new URL(request.url).search}`);

let server: RunningServer;
beforeAll(async () => {
  const site = dispatcher(flagon.gatewayApp, {
    '/hono': fromFetchHandler(hono.fetch),
    '/plain': fromFetchHandler(plain, { stripScriptName: true }),
  });
  server = await serve(site, { port: 0, errors });
});
afterAll(() => server.close());

describe('a Hono app mounted with fromFetchHandler', () => {
  it('answers its own routes under its base path, sees the environ as c.env, and leaves the rest to Flagon', async () => {
    const hello = await fetch(`${server.url}/hono/hello?x=1`);
    expect(await hello.json()).toEqual({
      path: '/hono/hello',
      url: `${server.url}/hono/hello?x=1`,
      scriptName: '/hono',
      pathInfo: '/hello',
    });
    const missing = await fetch(`${server.url}/hono/nope`);
    expect([missing.status, await missing.text()]).toEqual([404, '404 Not Found']);
    expect(await (await fetch(`${server.url}/users/7`)).json()).toEqual({ flagon: 7 });
  });

  it('gets the request body streamed from tsgi.input, and JSON with its status', async () => {
    const big = new Uint8Array(5 * 1024 * 1024).fill(7);
    expect(await (await fetch(`${server.url}/hono/count`, { method: 'POST', body: big })).json()).toEqual({
      size: big.byteLength,
      streamed: true,
    });
    const json = await fetch(`${server.url}/hono/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":[1,2]}',
    });
    expect([json.status, await json.json()]).toEqual([201, { got: { a: [1, 2] } }]);
  });

  it('gets a chunked upload without the hop-by-hop headers of the connection it came on', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(1000));
        c.enqueue(new Uint8Array(500));
        c.close();
      },
    });
    const response = await fetch(`${server.url}/hono/headers`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(await response.json()).toEqual({ size: 1500, te: null, connection: null });
  });

  it('sends each Set-Cookie apart, and HEAD without a body', async () => {
    const cookies = await fetch(`${server.url}/hono/cookies`);
    expect(cookies.headers.getSetCookie()).toEqual(['a=1; Path=/hono', 'b=2; Path=/hono']);
    const head = await fetchRaw(`${server.url}/hono/cookies`, { method: 'HEAD' });
    expect([head.status, head.text]).toEqual([200, '']);
  });

  it('cancels the Response body when the client goes away', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/hono/ticker`, { signal: controller.signal });
    const reader = response.body!.getReader();
    let read = 0;
    while (read < 256 * 1024) read += (await reader.read()).value!.byteLength;
    controller.abort();
    const deadline = Date.now() + 10_000;
    while (ticker.cancelled === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ticker.cancelled).toBe(1);
    // Pull-based all the way: the socket's buffers bound what was made, not the 'endless' stream.
    expect(ticker.made * 64 * 1024).toBeLessThan(read + 32 * 1024 * 1024);
  });

  it('refuses a Fetch app that returns no Response with a 500 whose log says so', async () => {
    errors.text = '';
    const response = await fetch(`${server.url}/hono/not-a-response`);
    expect(response.status).toBe(500);
    expect(errors.text).toContain(
      'TypeError: the Fetch app returned string, not a Response; did you forget to return one?',
    );
  });
});

describe('a bare Fetch function with stripScriptName', () => {
  it('sees the path below the mount, query included', async () => {
    expect(await (await fetch(`${server.url}/plain/a/b%20c?q=1`)).text()).toBe('plain sees /a/b%20c?q=1');
  });

  it('says what to pass when given something else', () => {
    expect(() => fromFetchHandler(hono as unknown as (request: Request) => Response)).toThrow(
      "pass the Fetch app's handler function, e.g. honoApp.fetch",
    );
  });
});
