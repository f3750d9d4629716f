import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { App } from 'flagon';
import { APIDOCS_ENDPOINTS, apiDocs, type ApiDocsOptions } from 'flagon/app';

const swaggerVersion = (createRequire(import.meta.url)('swagger-ui-dist/package.json') as { version: string }).version;

const DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'Pets <&> "API"', version: '1.0.0' },
  paths: { '/pets': { get: { summary: 'List pets', responses: { '200': { description: 'The pets' } } } } },
};

function newApp(options: ApiDocsOptions = { document: () => DOCUMENT }): App {
  const app = new App(import.meta.url, { config: { TESTING: true }, staticFolder: null });
  app.get('/pets', () => ({ pets: [] }));
  apiDocs(app, options);
  return app;
}

describe('apiDocs', () => {
  it('registers the apidocs blueprint: the document, the page, its start script and the assets', () => {
    const app = newApp();
    expect(app.router.rules.map((rule) => [rule.rule, rule.endpoint])).toEqual([
      ['/pets', 'pets'],
      ['/openapi.json', 'apidocs.openapi'],
      ['/docs', 'apidocs.docs'],
      ['/docs/flagon-api-docs.js', 'apidocs.start'],
      ['/docs/assets/<path:filename>', 'apidocs.asset'],
    ]);
  });

  it('serves the document as application/json, built once at the first request, with an ETag', async () => {
    let builds = 0;
    const app = newApp({
      document: () => {
        builds++;
        return DOCUMENT;
      },
    });
    expect(builds).toBe(0); // lazily: not at setup
    const client = app.testClient();
    // Two first requests at once share one build.
    const [first] = await Promise.all([client.get('/openapi.json'), client.get('/docs')]);
    expect(first.status).toBe(200);
    expect(first.headers.get('Content-Type')).toBe('application/json');
    expect(first.json).toEqual(DOCUMENT);
    const etag = first.headers.get('ETag');
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await client.get('/openapi.json', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    expect(builds).toBe(1);
    const head = await client.head('/openapi.json');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers.get('Content-Length'))).toBe(first.body.length);
  });

  it('serves app.openapi() by default, without its own routes, with the openapi options given', async () => {
    const app = new App(import.meta.url, { config: { TESTING: true }, staticFolder: null });
    app.get('/pets', { summary: 'List pets' }, () => ({ pets: [] }));
    app.get('/health', () => 'ok');
    apiDocs(app, { openapi: { info: { title: 'Pets', version: '2.0.0' }, exclude: ['health'] } });
    const response = await app.testClient().get('/openapi.json');
    expect(response.status).toBe(200);
    const expected = app.openapi({
      info: { title: 'Pets', version: '2.0.0' },
      exclude: [...APIDOCS_ENDPOINTS, 'health'],
    });
    expect(response.json).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(Object.keys(expected.paths)).toEqual(['/pets']);
    expect((await app.testClient().get('/docs')).text).toContain('<title>Pets</title>');
  });

  it('builds a document that failed again at the next request', async () => {
    let calls = 0;
    const app = newApp({
      document: () => {
        if (++calls === 1) throw new Error('not yet');
        return DOCUMENT;
      },
    });
    await expect(app.testClient().get('/openapi.json')).rejects.toThrow('not yet');
    expect((await app.testClient().get('/openapi.json')).json).toEqual(DOCUMENT);
  });

  it("serves the page with a 'self'-only CSP, no inline script, the title escaped and versioned asset URLs", async () => {
    const response = await newApp().testClient().get('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('Content-Security-Policy')!;
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'self'",
    ]);
    const html = response.text;
    expect(html).toContain('<title>Pets &lt;&amp;&gt; &quot;API&quot;</title>');
    expect(html).toContain('data-openapi-url="/openapi.json"');
    expect(html).toContain(`<link rel="stylesheet" href="/docs/assets/swagger-ui.css?v=${swaggerVersion}">`);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[1])).toEqual([
      ` src="/docs/assets/swagger-ui-bundle.js?v=${swaggerVersion}"`,
      ' src="/docs/flagon-api-docs.js"',
    ]);
    expect(scripts.every((m) => m[2] === '')).toBe(true);
    expect(html).not.toMatch(/<style|style=| on[a-z]+=/);
  });

  it('takes the title from the options, and escapes it', async () => {
    const html = (
      await newApp({ document: () => DOCUMENT, title: '</title><script>x</script>' })
        .testClient()
        .get('/docs')
    ).text;
    expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>');
  });

  it('serves the assets from the npm package with their type, an ETag and Last-Modified, and 304s', async () => {
    const client = newApp().testClient();
    const folder = createRequire(import.meta.url)
      .resolve('swagger-ui-dist/package.json')
      .replace(/package\.json$/, '');
    for (const [file, type] of [
      ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
      ['swagger-ui.css', 'text/css; charset=utf-8'],
      ['favicon-32x32.png', 'image/png'],
    ] as const) {
      const response = await client.get(`/docs/assets/${file}?v=${swaggerVersion}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('Content-Type'), file).toBe(type);
      expect(Buffer.from(response.body).equals(readFileSync(folder + file)), file).toBe(true);
      const etag = response.headers.get('ETag')!;
      expect(etag, file).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      expect(response.headers.get('Last-Modified'), file).toMatch(/ GMT$/);
      const cached = await client.get(`/docs/assets/${file}`, { headers: { 'If-None-Match': etag } });
      expect(cached.status, file).toBe(304);
      const head = await client.head(`/docs/assets/${file}`);
      expect([head.status, head.body.length, head.headers.get('ETag')], file).toEqual([200, 0, etag]);
    }
    expect((await client.get('/docs/assets/nothing.js')).status).toBe(404);
    expect((await client.get('/docs/assets/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it("serves only the files the page loads, not the rest of the package's folder", async () => {
    const client = newApp().testClient();
    // swagger-ui-dist's demo index.html loads petstore.swagger.io and has no CSP; the rest is not for browsers
    for (const file of [
      'index.html',
      'package.json',
      'swagger-ui-bundle.js.map',
      'swagger-initializer.js',
      'README.md',
    ])
      expect((await client.get(`/docs/assets/${file}`)).status, file).toBe(404);
  });

  it('serves the start script, which reads its settings from the page and names no other origin', async () => {
    const client = newApp().testClient();
    const response = await client.get('/docs/flagon-api-docs.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(response.text).toContain("getAttribute('data-openapi-url')");
    expect(response.text).toContain('validatorUrl: null');
    expect(response.text).not.toMatch(/https?:/);
    const cached = await client.get('/docs/flagon-api-docs.js', {
      headers: { 'If-None-Match': response.headers.get('ETag')! },
    });
    expect(cached.status).toBe(304);
  });

  it('takes other paths, and builds its URLs under the mount point (SCRIPT_NAME)', async () => {
    const app = newApp({ document: () => DOCUMENT, openapiPath: '/api/spec.json', docsPath: '/api/reference' });
    const client = app.testClient();
    expect((await client.get('/api/spec.json')).json).toEqual(DOCUMENT);
    expect((await client.get('/api/reference/assets/swagger-ui.css')).status).toBe(200);
    const html = (await client.get('/api/reference', { baseUrl: 'http://localhost/shop' })).text;
    expect(html).toContain('data-openapi-url="/shop/api/spec.json"');
    expect(html).toContain('src="/shop/api/reference/flagon-api-docs.js"');
    expect((await client.get('/openapi.json')).status).toBe(404);
  });

  it('refuses bad options with a message that names the fix', () => {
    const app = new App(import.meta.url, { config: { TESTING: true }, staticFolder: null });
    expect(() => apiDocs(app, { docsPath: 'docs' })).toThrow("docsPath must start with '/', as '/docs'");
    expect(() => apiDocs(app, { ui: 'redoc' as 'swagger' })).toThrow("ui must be 'swagger' or 'scalar'");
    // Scalar is opt-in: its package (about 300 MB installed, with its dependencies) is not Flagon's.
    expect(() => apiDocs(app, { ui: 'scalar' })).toThrow('run `npm install @scalar/api-reference`');
    apiDocs(app, { document: () => DOCUMENT });
    expect(() => apiDocs(app, { document: () => DOCUMENT })).toThrow(/apidocs/);
  });

  it('can be put behind a login with a before-request hook on its endpoints, as docs/validation.md shows', async () => {
    const app = newApp();
    app.beforeRequest((req) => {
      if (req.endpoint?.startsWith('apidocs.') && req.headers.get('Authorization') !== 'Bearer s3cret')
        return ['Log in first', 401];
    });
    const client = app.testClient();
    for (const path of ['/docs', '/openapi.json', '/docs/flagon-api-docs.js', '/docs/assets/swagger-ui.css'])
      expect((await client.get(path)).status, path).toBe(401);
    expect((await client.get('/pets')).status).toBe(200);
    expect((await client.get('/docs', { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
  });

  it('is setup: after the first request it throws as any setup method', async () => {
    const app = newApp();
    await app.testClient().get('/pets');
    expect(() => apiDocs(app, { document: () => DOCUMENT, docsPath: '/docs2' })).toThrow(/setup/i);
  });
});
