/**
 * The Flagon App the host tests mount under /flagon, and the requests they send it: one app, so Express, Connect,
 * node:http and Fastify are held to the same answers.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { App, redirect, urlFor } from 'flagon';
import { fetchRaw, type TestResponse } from '../helpers/http.js';

/** A fresh App (its static folder is ./static beside this file) with one route per thing a mount can get wrong. */
export function createMountedApp(): App {
  const app = new App(import.meta.url, { name: 'mounted' });
  app.get('/users/<int:id>', { endpoint: 'user' }, (req) => ({
    id: req.params.id,
    self: urlFor('user', { id: req.params.id }),
    scriptRoot: req.scriptRoot,
    path: req.path,
    url: req.url,
    static: urlFor('static', { filename: 'hello.txt' }),
  }));
  app.get('/', () => 'index');
  // A rule with a trailing slash: asking without it gets a 308 to the slashed URL (Werkzeug's strict_slashes).
  app.get('/docs/', () => 'docs');
  app.get('/go', () => redirect(urlFor('user', { id: 3 })));
  app.post('/form', async (req) => (await req.form()).toObjectAll());
  app.post('/echo', async (req) => ({ type: req.mimetype, body: (await req.json()) as unknown }));
  app.post('/upload', async (req) => {
    const file = (await req.files()).get('file');
    if (file === undefined) return ['no file', 400];
    return {
      filename: file.filename,
      size: file.size,
      sha256: createHash('sha256')
        .update(await file.bytes())
        .digest('hex'),
    };
  });
  app.get('/boom', () => {
    throw new Error('the view failed');
  });
  return app;
}

/** A multipart/form-data body with one file of `size` bytes, and its SHA-256. */
export function upload(size: number): { body: Buffer; contentType: string; sha256: string } {
  const boundary = 'flagon-mount-boundary-7f3a';
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 0xff;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return {
    body,
    contentType: `multipart/form-data; boundary=${boundary}`,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

const json = (response: TestResponse): unknown => JSON.parse(response.text);

/**
 * The checks every host must pass with the app mounted under `/flagon` at `base` (`http://127.0.0.1:port`): the
 * Done-when list of issue 16, shared by the Express, Connect, node:http and Fastify tests.
 */
export const mountedChecks = {
  async routeAndUrlFor(base: string): Promise<void> {
    const response = await fetchRaw(`${base}/flagon/users/7?tab=posts`);
    expect(response.status).toBe(200);
    expect(json(response)).toEqual({
      id: 7,
      self: '/flagon/users/7',
      scriptRoot: '/flagon',
      path: '/users/7',
      url: `${base}/flagon/users/7?tab=posts`,
      static: '/flagon/static/hello.txt',
    });
  },

  async slashRedirect(base: string): Promise<void> {
    const response = await fetchRaw(`${base}/flagon/docs?x=1`);
    expect(response.status).toBe(308);
    expect(new URL(response.headers.location ?? '', base).href).toBe(`${base}/flagon/docs/?x=1`);
    const followed = await fetchRaw(`${base}/flagon/docs/`);
    expect([followed.status, followed.text]).toEqual([200, 'docs']);
  },

  async redirectToUrlFor(base: string): Promise<void> {
    const response = await fetchRaw(`${base}/flagon/go`);
    expect(response.status).toBe(302);
    expect(new URL(response.headers.location ?? '', base).pathname).toBe('/flagon/users/3');
  },

  async staticFile(base: string): Promise<void> {
    const response = await fetchRaw(`${base}/flagon/static/hello.txt`);
    expect([response.status, response.text]).toEqual([200, 'hello from static\n']);
  },

  async index(base: string): Promise<void> {
    for (const path of ['/flagon', '/flagon/']) {
      const response = await fetchRaw(`${base}${path}`);
      expect([path, response.status, response.text]).toEqual([path, 200, 'index']);
    }
  },

  async form(base: string): Promise<void> {
    const response = await fetchRaw(`${base}/flagon/form`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=Ada+Lovelace&lang=ts&lang=py',
    });
    expect([response.status, json(response)]).toEqual([200, { name: ['Ada Lovelace'], lang: ['ts', 'py'] }]);
  },

  async json(base: string): Promise<void> {
    const response = await fetchRaw(`${base}/flagon/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"n":[1,2]}',
    });
    expect([response.status, json(response)]).toEqual([200, { type: 'application/json', body: { n: [1, 2] } }]);
  },

  async bigUpload(base: string): Promise<void> {
    const { body, contentType, sha256 } = upload(5 * 1024 * 1024);
    const response = await fetchRaw(`${base}/flagon/upload`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body,
    });
    expect([response.status, json(response)]).toEqual([200, { filename: 'big.bin', size: 5 * 1024 * 1024, sha256 }]);
  },

  /** `logged` reads the host's error stream, where the App logs the exception (the request's `tsgi.errors`). */
  async appErrorIs500(base: string, logged: () => string): Promise<void> {
    const before = logged().length;
    const response = await fetchRaw(`${base}/flagon/boom`);
    expect(response.status).toBe(500);
    expect(response.text).not.toContain('the view failed');
    // The app (not the host) handled it: its log line is on the host's error stream.
    expect(logged().slice(before)).toContain('Exception on /boom [GET]');
    // The host is still up and serving.
    expect((await fetchRaw(`${base}/flagon/users/1`)).status).toBe(200);
  },
};
