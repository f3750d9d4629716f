/** flagonPlugin inside a real Fastify 5 over real HTTP: a Flagon App registered under the prefix /flagon. */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagonPlugin } from 'flagon/adapters';
import type { GatewayApp } from 'flagon/gateway';
import { fetchRaw } from '../helpers/http.js';
import { createMountedApp, mountedChecks } from './mounted-app.js';
import { collectingStream } from 'flagon/testing';

const errors = collectingStream();

async function listen(fastify: FastifyInstance): Promise<string> {
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
}

describe("fastify.register(flagonPlugin, { app: app.gatewayApp, prefix: '/flagon' })", () => {
  const fastify = Fastify();
  const hookSaw: string[] = [];
  let base = '';
  beforeAll(async () => {
    // A host-wide hook added before the plugin runs for the plugin's routes too: the host keeps its say.
    fastify.addHook('onRequest', async (request) => {
      hookSaw.push(request.url);
    });
    fastify.get('/', async () => 'host home');
    // Fastify's own JSON parser stays in force outside the plugin.
    fastify.post('/api/items', async (request) => ({ parsedByFastify: request.body }));
    await fastify.register(flagonPlugin, { app: createMountedApp().gatewayApp, prefix: '/flagon', errors });
    base = await listen(fastify);
  });
  afterAll(() => fastify.close());

  it('answers /flagon/users/7 with SCRIPT_NAME /flagon, and urlFor builds /flagon/…', () =>
    mountedChecks.routeAndUrlFor(base));
  it('keeps the 308 slash redirect under the prefix', () => mountedChecks.slashRedirect(base));
  it('keeps redirect(urlFor(…)) under the prefix', () => mountedChecks.redirectToUrlFor(base));
  it('serves the static route under the prefix', () => mountedChecks.staticFile(base));
  it("answers /flagon and /flagon/ with the app's index", () => mountedChecks.index(base));
  it('hands a posted form to Flagon unread', () => mountedChecks.form(base));
  it('hands a JSON body to Flagon unread, though Fastify parses JSON by default', () => mountedChecks.json(base));
  it("hands a 5 MB multipart upload to Flagon, past Fastify's 1 MiB bodyLimit", () => mountedChecks.bigUpload(base));
  it('answers an error in the app with a 500 and keeps the host serving', () =>
    mountedChecks.appErrorIs500(base, () => errors.text));

  it('hands over bodies of any content type, or none, as the app sees them', async () => {
    const host = Fastify();
    const probeBase = await (async () => {
      const probe: GatewayApp = async (environ, startResponse) => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of environ['tsgi.input']) chunks.push(chunk);
        startResponse('200 OK', [['Content-Type', 'text/plain']]);
        return [new TextEncoder().encode(`${environ.CONTENT_TYPE ?? '-'}|${Buffer.concat(chunks).toString()}`)];
      };
      await host.register(flagonPlugin, { app: probe, prefix: '/p' });
      return listen(host);
    })();
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'Content-Type': 'text/csv' }, 'text/csv|a,b'],
      [{ 'Content-Type': 'application/x-unknown; charset=utf-8' }, 'application/x-unknown; charset=utf-8|a,b'],
      [{}, '-|a,b'],
    ];
    try {
      for (const [headers, expected] of cases) {
        const response = await fetchRaw(`${probeBase}/p/x`, { method: 'PUT', headers, body: 'a,b' });
        expect([response.status, response.text]).toEqual([200, expected]);
      }
    } finally {
      await host.close();
    }
  });

  it('leaves paths outside the prefix to Fastify, its own 404 and JSON parser included', async () => {
    expect((await fetchRaw(`${base}/`)).text).toBe('host home');
    const missing = await fetchRaw(`${base}/flagonish/users/7`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({
      message: 'Route GET:/flagonish/users/7 not found',
      statusCode: 404,
    });
    const parsed = await fetchRaw(`${base}/api/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(parsed.text).toBe('{"parsedByFastify":{"a":1}}');
  });

  it("runs the host's onRequest hooks for the plugin's routes", async () => {
    hookSaw.length = 0;
    await fetchRaw(`${base}/flagon/users/2`);
    expect(hookSaw).toEqual(['/flagon/users/2']);
  });

  it('answers HEAD with the headers GET would have', async () => {
    const response = await fetchRaw(`${base}/flagon/static/hello.txt`, { method: 'HEAD' });
    expect([response.status, response.headers['content-length'], response.text]).toEqual([200, '18', '']);
  });
});

describe('flagonPlugin inside nested prefixes', () => {
  it('takes SCRIPT_NAME from every prefix on the way', async () => {
    const fastify = Fastify();
    const seen: string[][] = [];
    const probe: GatewayApp = (environ, startResponse) => {
      seen.push([environ.SCRIPT_NAME, environ.PATH_INFO, environ.QUERY_STRING, environ.REQUEST_URI]);
      startResponse('204 No Content', []);
      return [];
    };
    await fastify.register(
      async (api) => {
        await api.register(flagonPlugin, { app: probe, prefix: '/flagon' });
      },
      { prefix: '/api' },
    );
    try {
      const base = await listen(fastify);
      expect((await fetchRaw(`${base}/api/flagon/caf%C3%A9?q=1`)).status).toBe(204);
      expect(seen).toEqual([['/api/flagon', '/café', 'q=1', '/api/flagon/caf%C3%A9?q=1']]);
    } finally {
      await fastify.close();
    }
  });

  it('fails the registration, naming the fix, without an app', async () => {
    const fastify = Fastify();
    await expect(fastify.register(flagonPlugin, { prefix: '/flagon' } as never).ready()).rejects.toThrow(
      /fastify\.register\(flagonPlugin, \{ app: app\.gatewayApp/,
    );
    await fastify.close();
  });
});
