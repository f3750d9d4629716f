/** Body limits over real HTTP at limit−1, limit and limit+1, declared (Content-Length) and chunked (none). */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from 'flagon';
import { serve, silentStream, type RunningServer } from 'flagon/serving';

const app = new App(import.meta.url, {
  name: 'limits',
  staticFolder: null,
  config: { MAX_BODY_MEMORY_SIZE: 1000, MAX_FORM_MEMORY_SIZE: 100, MAX_FORM_PARTS: 3 },
});
app.post('/bytes', async (req) => ({ n: (await req.bytes()).byteLength }));
app.post('/json', async (req) => ({ n: ((await req.json()) as string).length }));
app.post('/capped', async (req) => {
  req.maxContentLength = 500;
  return { n: (await req.bytes()).byteLength };
});
app.post('/form', async (req) => ({ n: (await req.form()).size }));
app.post('/files', async (req) => {
  req.maxFileSize = 100;
  return { n: (await req.files()).size };
});

let server: RunningServer;
beforeAll(async () => {
  server = await serve(app.gatewayApp, { port: 0, errors: silentStream });
});
afterAll(() => server.close());

interface Sent {
  status: number;
  text: string;
  sent: number;
}

/**
 * POSTs `body`, declared (Content-Length) or chunked (Transfer-Encoding: chunked, in 64 kB writes, each after the last
 * was taken); a chunked sender stops as soon as the answer arrives, and reports how much it had sent.
 */
function post(path: string, type: string, body: Buffer, chunked: boolean): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string> = { 'Content-Type': type };
    if (!chunked) headers['Content-Length'] = String(body.length);
    const req = request(`${server.url}${path}`, { method: 'POST', headers, agent: false }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, sent }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    if (!chunked) {
      sent = body.length;
      req.end(body);
      return;
    }
    const next = (): void => {
      if (answered || req.destroyed) return;
      if (sent >= body.length) {
        req.end();
        return;
      }
      const piece = body.subarray(sent, sent + 65_536);
      sent += piece.length;
      req.write(piece, next);
    };
    next();
  });
}

const B = 'lim';
const multipart = (parts: Array<{ name: string; value: string; filename?: string }>): Buffer =>
  Buffer.from(
    `${parts.map((part) => `--${B}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n\r\n${part.value}\r\n`).join('')}--${B}--\r\n`,
  );
const MP = `multipart/form-data; boundary=${B}`;

describe.each([false, true])('chunked: %s', (chunked) => {
  it('MAX_BODY_MEMORY_SIZE (bytes(), json()): 413 naming the key at limit+1, 200 at limit and limit−1', async () => {
    for (const size of [999, 1000])
      expect((await post('/bytes', 'application/octet-stream', Buffer.alloc(size), chunked)).status).toBe(200);
    const over = await post('/bytes', 'application/octet-stream', Buffer.alloc(1001), chunked);
    expect([over.status, over.text.includes('MAX_BODY_MEMORY_SIZE')]).toEqual([413, true]);
    const json = (length: number) => Buffer.from(JSON.stringify('x'.repeat(length - 2)));
    for (const size of [999, 1000])
      expect((await post('/json', 'application/json', json(size), chunked)).status).toBe(200);
    expect((await post('/json', 'application/json', json(1001), chunked)).status).toBe(413);
  });

  it('maxContentLength set on the request', async () => {
    for (const size of [499, 500])
      expect((await post('/capped', 'application/octet-stream', Buffer.alloc(size), chunked)).status).toBe(200);
    const over = await post('/capped', 'application/octet-stream', Buffer.alloc(501), chunked);
    expect([over.status, over.text.includes('MAX_CONTENT_LENGTH')]).toEqual([413, true]);
  });

  it('MAX_FORM_MEMORY_SIZE for an urlencoded form', async () => {
    const form = (size: number) => Buffer.from(`a=${'x'.repeat(size - 2)}`);
    for (const size of [99, 100])
      expect((await post('/form', 'application/x-www-form-urlencoded', form(size), chunked)).status).toBe(200);
    expect((await post('/form', 'application/x-www-form-urlencoded', form(101), chunked)).status).toBe(413);
  });

  it('MAX_FORM_MEMORY_SIZE per multipart field, MAX_FORM_PARTS, and maxFileSize', async () => {
    for (const size of [99, 100])
      expect((await post('/form', MP, multipart([{ name: 'a', value: 'x'.repeat(size) }]), chunked)).status).toBe(200);
    expect((await post('/form', MP, multipart([{ name: 'a', value: 'x'.repeat(101) }]), chunked)).status).toBe(413);
    const fields = (n: number) => multipart(Array.from({ length: n }, (_, i) => ({ name: `f${i}`, value: 'v' })));
    for (const n of [2, 3]) expect((await post('/form', MP, fields(n), chunked)).status).toBe(200);
    expect((await post('/form', MP, fields(4), chunked)).status).toBe(413);
    for (const size of [99, 100])
      expect(
        (await post('/files', MP, multipart([{ name: 'f', value: 'x'.repeat(size), filename: 'a' }]), chunked)).status,
      ).toBe(200);
    expect(
      (await post('/files', MP, multipart([{ name: 'f', value: 'x'.repeat(101), filename: 'a' }]), chunked)).status,
    ).toBe(413);
  });
});

it('stops reading a chunked body past the limit: the 413 arrives while most of a 64 MB body is unsent', async () => {
  const huge = Buffer.alloc(64 * 1024 * 1024);
  const response = await post('/bytes', 'application/octet-stream', huge, true);
  expect(response.status).toBe(413);
  expect(response.sent).toBeLessThan(huge.length / 2);
}, 30_000);
