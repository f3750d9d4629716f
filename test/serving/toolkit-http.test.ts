/**
 * The toolkit's Werkzeug/Flask behaviours over real HTTP: an app built from Router, Request.application and Response
 * alone, served by serve() on 127.0.0.1.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from 'flagon/routing';
import { serve, silentStream, type RunningServer } from 'flagon/serving';
import { Request, Response, sendFromDirectory } from 'flagon/wrappers';
import { exchangeRaw, fetchRaw } from '../helpers/http.js';

const files = mkdtempSync(join(tmpdir(), 'flagon-static-'));
writeFileSync(join(files, 'hello.txt'), '0123456789');
writeFileSync(join(tmpdir(), 'flagon-secret.txt'), 'secret');

const router = new Router();
router.add('/docs/', { endpoint: 'docs' });
router.add('/about', { endpoint: 'about' });
router.add('/items/<int:id>', { endpoint: 'item' });
router.add('/items/<int:id>', { endpoint: 'item_update', methods: ['PUT', 'PATCH'] });
router.add('/items/<name>', { endpoint: 'item_create', methods: ['POST'] });
router.add('/etag', { endpoint: 'etag', methods: ['GET', 'PUT'] });
router.add('/echo', { endpoint: 'echo', methods: ['POST'] });
router.add('/static/<path:filename>', { endpoint: 'static' });

const app = Request.application(
  async (request) => {
    const { endpoint, params } = router.match(request.path, {
      method: request.method,
      host: request.host,
      scheme: request.scheme,
      scriptName: request.scriptRoot,
      queryString: request.environ.QUERY_STRING,
    });
    request.params = params;
    switch (endpoint) {
      case 'etag': {
        const response = new Response('0123456789', { mimetype: 'text/plain' });
        response.setEtag('v2');
        return response.makeConditional(request);
      }
      case 'echo':
        return new Response(JSON.stringify(await request.json()), { mimetype: 'application/json' });
      case 'static':
        return sendFromDirectory(files, String(params.filename), { request });
      default:
        return new Response(`${endpoint} ${JSON.stringify(params)}`, { mimetype: 'text/plain' });
    }
  },
  { maxContentLength: 1024 },
);

let server: RunningServer;
beforeAll(async () => {
  server = await serve(app, { port: 0, errors: silentStream });
});
afterAll(() => server.close());

const url = (path: string): string => `${server.url}${path}`;
const raw = (head: string): Promise<string> =>
  exchangeRaw(server.port, `${head}\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);

describe('routing over HTTP', () => {
  it('redirects /docs to /docs/ with 308 to the absolute URL, query kept', async () => {
    const response = await fetchRaw(url('/docs?page=2&q=a%20b'));
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe(`http://127.0.0.1:${server.port}/docs/?page=2&q=a%20b`);
    expect(response.text).toContain('Redirecting...');
  });

  it('answers 404 for a leaf requested with a trailing slash', async () => {
    expect((await fetchRaw(url('/about/'))).status).toBe(404);
    expect((await fetchRaw(url('/about'))).status).toBe(200);
  });

  it('merges // with a 308', async () => {
    const response = await fetchRaw(url('//items//5'));
    expect([response.status, response.headers.location]).toEqual([308, `http://127.0.0.1:${server.port}/items/5`]);
  });

  it('answers 405 with Allow as the set of methods for the path', async () => {
    const response = await fetchRaw(url('/items/5'), { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(new Set(response.headers.allow?.split(', '))).toEqual(new Set(['GET', 'HEAD', 'PATCH', 'POST', 'PUT']));
    expect((await fetchRaw(url('/items/5'), { method: 'POST' })).text).toBe('item_create {"name":"5"}');
  });

  it('answers HEAD without a body but with the Content-Length of GET', async () => {
    const text = await raw('HEAD /items/5 HTTP/1.1');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toMatch(/\r\nContent-Length: 13\r\n/); // item {"id":5}
    expect(text.endsWith('\r\n\r\n')).toBe(true);
  });
});

describe('conditional requests over HTTP', () => {
  it('304 for a matching If-None-Match', async () => {
    const response = await fetchRaw(url('/etag'), { headers: { 'If-None-Match': '"v2"' } });
    expect([response.status, response.text, response.headers.etag]).toEqual([304, '', '"v2"']);
  });
  it('206 with Content-Range for one range', async () => {
    const response = await fetchRaw(url('/etag'), { headers: { Range: 'bytes=3-5' } });
    expect([
      response.status,
      response.text,
      response.headers['content-range'],
      response.headers['content-length'],
    ]).toEqual([206, '345', 'bytes 3-5/10', '3']);
  });
  it('416 with bytes */N for a range past the end', async () => {
    const response = await fetchRaw(url('/etag'), { headers: { Range: 'bytes=20-' } });
    expect([response.status, response.headers['content-range']]).toEqual([416, 'bytes */10']);
  });
  it('412 when If-Match fails', async () => {
    expect((await fetchRaw(url('/etag'), { method: 'PUT', headers: { 'If-Match': '"v1"' } })).status).toBe(412);
  });
});

describe('request bodies over HTTP', () => {
  it('413 before reading a body whose declared length is over the limit', async () => {
    const response = await fetchRaw(url('/echo'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `"${'x'.repeat(5000)}"`,
    });
    expect(response.status).toBe(413);
    expect(response.text).toContain('<title>413 Content Too Large</title>');
  });
  it('413 for a chunked body that passes the limit', async () => {
    const chunk = 'x'.repeat(600);
    const body = `258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`;
    const text = await exchangeRaw(
      server.port,
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
  });
  it('415 for JSON with the wrong content type, 400 for malformed JSON', async () => {
    expect(
      (await fetchRaw(url('/echo'), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' })).status,
    ).toBe(415);
    const bad = await fetchRaw(url('/echo'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{oops',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain('JSON at position'); // no parser detail outside debug
    expect(
      (
        await fetchRaw(url('/echo'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"__proto__":{}}',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await fetchRaw(url('/echo'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"a":[1]}',
        })
      ).text,
    ).toBe('{"a":[1]}');
  });
});

describe('sendFromDirectory over HTTP', () => {
  it('serves a file, with ranges', async () => {
    expect((await fetchRaw(url('/static/hello.txt'))).text).toBe('0123456789');
    expect((await fetchRaw(url('/static/hello.txt'), { headers: { Range: 'bytes=-3' } })).text).toBe('789');
  });
  it.each([
    ['/static/../flagon-secret.txt'],
    ['/static/%2e%2e/flagon-secret.txt'],
    ['/static/..%2fflagon-secret.txt'],
    ['/static/%2E%2E%5Cflagon-secret.txt'],
    ['/static//etc/passwd'],
    ['/static/nope.txt'],
    ['/static/.'],
  ])('answers 404 to %s, never 403 and never the file', async (path) => {
    const text = await raw(`GET ${path} HTTP/1.1`);
    expect(text).toMatch(/^HTTP\/1\.1 (404|308) /);
    expect(text).not.toContain('secret');
  });
});
