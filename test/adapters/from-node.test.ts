/**
 * fromNodeListener: an Express 5 app (and plain node listeners) mounted inside a Flagon App with dispatcher, over real
 * HTTP through serve(): Express's view of the mount (baseUrl, originalUrl, path), its own 404 and body parsers, bodies
 * streamed both ways with back-pressure, a client that goes away, and listeners that fail.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from 'flagon';
import { fromNodeListener } from 'flagon/adapters';
import type { ErrorStream } from 'flagon/gateway';
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

/** What the streaming route did: chunks written, and whether Express saw the response close early. */
const feed = { written: 0, closedEarly: 0, finished: 0 };
const CHUNK = 256 * 1024;

const legacy = express();
legacy.get('/hello', (req, res) => {
  res.json({
    baseUrl: req.baseUrl,
    path: req.path,
    url: req.url,
    originalUrl: req.originalUrl,
    ip: req.ip,
    protocol: req.protocol,
    hostname: req.hostname,
    query: req.query,
  });
});
legacy.post('/json', express.json(), (req, res) => {
  res.status(201).json({ got: req.body as unknown });
});
legacy.post('/form', express.urlencoded({ extended: false }), (req, res) => {
  res.json(req.body as unknown);
});
legacy.post('/count', (req, res) => {
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.byteLength;
  });
  req.on('end', () => res.json({ size, complete: req.complete }));
});
legacy.get('/cookies', (_req, res) => {
  res.cookie('a', '1').cookie('b', '2').send('two cookies');
});
legacy.get('/away', (req, res) => res.redirect(`${req.baseUrl}/hello`));
legacy.get('/feed', (_req, res) => {
  res.on('close', () => {
    if (!res.writableFinished) feed.closedEarly++;
  });
  res.on('finish', () => {
    feed.finished++;
  });
  res.setHeader('Content-Type', 'application/octet-stream');
  const chunk = Buffer.alloc(CHUNK, 102);
  const pump = (): void => {
    while (feed.written < 256 && !res.destroyed) {
      feed.written++;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
});

/** A listener written for http.createServer that frames its own body: the TSGI server must get plain bytes. */
function framed(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  res.write('one ');
  setImmediate(() => res.end('two'));
}

let server: RunningServer;
beforeAll(async () => {
  const site = dispatcher(flagon.gatewayApp, {
    '/express': fromNodeListener(legacy),
    '/framed': fromNodeListener(framed),
    '/throws': fromNodeListener(() => {
      throw new Error('listener exploded');
    }),
    '/hangs-up': fromNodeListener((_req, res) => {
      res.destroy();
    }),
    '/rejects': fromNodeListener(async () => {
      throw new Error('async listener failed');
    }),
  });
  server = await serve(site, { port: 0, errors });
});
afterAll(() => server.close());

describe('an Express app mounted with fromNodeListener', () => {
  it('sees its mount as req.baseUrl and the path below it, and answers its own 404', async () => {
    const hello = await fetch(`${server.url}/express/hello?x=1&y=caf%C3%A9`);
    expect(await hello.json()).toEqual({
      baseUrl: '/express',
      path: '/hello',
      url: '/hello?x=1&y=caf%C3%A9',
      originalUrl: '/express/hello?x=1&y=caf%C3%A9',
      ip: '127.0.0.1',
      protocol: 'http',
      hostname: '127.0.0.1',
      query: { x: '1', y: 'café' },
    });
    expect(hello.headers.get('x-powered-by')).toBe('Express');
    const missing = await fetch(`${server.url}/express/nope`);
    expect([missing.status, (await missing.text()).includes('Cannot GET /express/nope')]).toEqual([404, true]);
    expect(await (await fetch(`${server.url}/users/7`)).json()).toEqual({ flagon: 7 });
  });

  it('parses JSON and form bodies with its own parsers, and reads a 5 MB body to the end', async () => {
    const json = await fetch(`${server.url}/express/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":[1,2]}',
    });
    expect([json.status, await json.json()]).toEqual([201, { got: { a: [1, 2] } }]);
    const form = await fetch(`${server.url}/express/form`, {
      method: 'POST',
      body: new URLSearchParams({ name: 'Ada', lang: 'en' }),
    });
    expect(await form.json()).toEqual({ name: 'Ada', lang: 'en' });
    const big = new Uint8Array(5 * 1024 * 1024).fill(9);
    expect(await (await fetch(`${server.url}/express/count`, { method: 'POST', body: big })).json()).toEqual({
      size: big.byteLength,
      complete: true,
    });
  });

  it('sends each Set-Cookie apart, redirects under the mount, and answers HEAD with its length and no body', async () => {
    const cookies = await fetch(`${server.url}/express/cookies`);
    expect(cookies.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    const away = await fetch(`${server.url}/express/away`, { redirect: 'manual' });
    expect([away.status, away.headers.get('location')]).toEqual([302, '/express/hello']);
    const head = await fetchRaw(`${server.url}/express/cookies`, { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.text]).toEqual([200, '11', '']);
  });

  it('streams the response with back-pressure, and a client that goes away closes res', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/express/feed`, { signal: controller.signal });
    const reader = response.body!.getReader();
    let read = 0;
    while (read < 4 * CHUNK) read += (await reader.read()).value!.byteLength;
    await new Promise((resolve) => setImmediate(resolve));
    // res.write() returned false once the client fell behind: what was written is what was read plus the buffers.
    expect(feed.written * CHUNK).toBeLessThan(read + 32 * 1024 * 1024);
    expect(feed.written).toBeLessThan(256);
    controller.abort();
    const deadline = Date.now() + 10_000;
    while (feed.closedEarly === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect([feed.closedEarly, feed.finished]).toEqual([1, 0]);
  });
});

describe('node listeners that do it their own way', () => {
  it('gets plain bytes from a listener that sets Transfer-Encoding itself', async () => {
    const response = await fetchRaw(`${server.url}/framed`);
    expect([response.status, response.text, response.headers['transfer-encoding']]).toEqual([
      200,
      'one two',
      'chunked',
    ]);
  });

  it('answers 500 when the listener throws, rejects or hangs up before answering, and logs why', async () => {
    errors.text = '';
    for (const path of ['/throws', '/rejects', '/hangs-up']) {
      const response = await fetchRaw(`${server.url}${path}`);
      expect([path, response.status, response.text]).toEqual([path, 500, 'Internal Server Error\n']);
    }
    expect(errors.text).toContain('Error: listener exploded');
    expect(errors.text).toContain('Error: async listener failed');
    expect(errors.text).toContain('the mounted node listener closed its response before finishing it');
  });

  it('says what to pass when given something else', () => {
    expect(() => fromNodeListener({} as unknown as () => void)).toThrow(
      'pass a (req, res) function, e.g. an Express app',
    );
  });
});
