/** toNodeHandler inside real hosts over real HTTP: Express 5, Connect 3, and plain node:http. */
import { createServer, get as httpGet, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import connect from 'connect';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MountError, toNodeHandler } from 'flagon/adapters';
import type { ErrorStream, GatewayApp } from 'flagon/gateway';
import { fetchRaw } from '../helpers/http.js';
import { createMountedApp, mountedChecks } from './mounted-app.js';

/** An error stream that keeps what it is given, so a test can assert what was logged. */
function memoryStream(): ErrorStream & { text: () => string } {
  const lines: string[] = [];
  return {
    write: (text: string) => {
      lines.push(text);
    },
    flush: () => {},
    text: () => lines.join(''),
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const app = createMountedApp();
const errors = memoryStream();
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map(stop));
});

async function start(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  return listen(server);
}

describe("Express 5: host.use('/flagon', toNodeHandler(app.gatewayApp))", () => {
  let base = '';
  beforeAll(async () => {
    const host = express();
    host.get('/', (_req, res) => {
      res.send('host home');
    });
    host.use('/flagon', toNodeHandler(app.gatewayApp, { errors }));
    // After the mount, as the docs say: the mount's bodies are Flagon's, the host's own routes still get parsed JSON.
    host.use(express.json());
    host.post('/api/items', (req, res) => {
      res.json({ parsedByExpress: req.body as unknown });
    });
    base = await start(host);
  });

  it('answers /flagon/users/7 with SCRIPT_NAME /flagon, and urlFor builds /flagon/…', () =>
    mountedChecks.routeAndUrlFor(base));
  it('keeps the 308 slash redirect under the prefix', () => mountedChecks.slashRedirect(base));
  it('keeps redirect(urlFor(…)) under the prefix', () => mountedChecks.redirectToUrlFor(base));
  it('serves the static route under the prefix', () => mountedChecks.staticFile(base));
  it("answers /flagon and /flagon/ with the app's index", () => mountedChecks.index(base));
  it('hands a posted form to Flagon unread', () => mountedChecks.form(base));
  it('hands a JSON body to Flagon unread', () => mountedChecks.json(base));
  it('hands a 5 MB multipart upload to Flagon', () => mountedChecks.bigUpload(base));
  it('answers an error in the app with a 500 and keeps the host serving', () =>
    mountedChecks.appErrorIs500(base, errors.text));

  it('leaves paths outside the prefix to the host, its own 404 included', async () => {
    expect((await fetchRaw(`${base}/`)).text).toBe('host home');
    const missing = await fetchRaw(`${base}/flagonish/users/7`);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Cannot GET /flagonish/users/7'); // Express's finalhandler, not Flagon
    const parsed = await fetchRaw(`${base}/api/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(parsed.text).toBe('{"parsedByExpress":{"a":1}}');
  });

  it('takes SCRIPT_NAME from every mount in the chain (a router inside an app, a parameter in the path)', async () => {
    const seen: Array<[string, string, string]> = [];
    const probe: GatewayApp = (environ, startResponse) => {
      seen.push([environ.SCRIPT_NAME, environ.PATH_INFO, environ.REQUEST_URI]);
      startResponse('204 No Content', []);
      return [];
    };
    const outer = express();
    const router = express.Router();
    router.use('/teams/:team/flagon', toNodeHandler(probe));
    outer.use('/api', router);
    const outerBase = await start(outer);
    expect((await fetchRaw(`${outerBase}/api/teams/caf%C3%A9/flagon/users/%C3%A9t%C3%A9?x=1`)).status).toBe(204);
    expect(seen).toEqual([
      ['/api/teams/café/flagon', '/users/été', '/api/teams/caf%C3%A9/flagon/users/%C3%A9t%C3%A9?x=1'],
    ]);
  });
});

describe('headers the host set before the mount', () => {
  it("keeps every repeated field of the app's (two Set-Cookie), and the app's replace the host's of the same name but Set-Cookie", async () => {
    // On Node 20, writeHead over headers already set (Express's X-Powered-By) set the app's fields one by one: only
    // the last Set-Cookie went out.
    const { App, makeResponse } = await import('flagon');
    const cookies = new App(import.meta.url, { staticFolder: null });
    cookies.get('/two', async () => {
      const response = await makeResponse('two cookies');
      response.setCookie('a', '1');
      response.setCookie('b', '2');
      response.headers.set('Vary', 'Accept');
      return response;
    });
    const host = express();
    host.use((_req, res, next) => {
      res.setHeader('Vary', 'Origin');
      res.setHeader('X-Host', 'kept');
      res.setHeader('Set-Cookie', 'host=1; Path=/');
      next();
    });
    host.use('/flagon', toNodeHandler(cookies.gatewayApp));
    const base = await start(host);
    const raw = await new Promise<string[]>((resolve, reject) => {
      httpGet(`${base}/flagon/two`, { agent: false }, (res) => {
        res.resume();
        resolve(res.rawHeaders);
      }).on('error', reject);
    });
    const values = (name: string) => raw.filter((_, i) => i % 2 === 1 && raw[i - 1]!.toLowerCase() === name);
    expect(values('set-cookie')).toEqual([
      'host=1; Path=/', // the host's own cookie is another cookie: kept
      'a=1; Path=/; HttpOnly; SameSite=Lax',
      'b=2; Path=/; HttpOnly; SameSite=Lax',
    ]);
    expect(values('vary')).toEqual(['Accept']);
    expect(values('x-host')).toEqual(['kept']);
    expect(values('x-powered-by')).toEqual(['Express']);
  });
});

describe('a body parser in front of the mount', () => {
  let base = '';
  beforeAll(async () => {
    const host = express();
    host.use(express.json());
    host.use('/flagon', toNodeHandler(app.gatewayApp, { errors }));
    base = await start(host);
  });

  it('is an error that names the fix when it has read the body', async () => {
    const response = await fetchRaw(`${base}/flagon/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"n":1}',
    });
    expect(response.status).toBe(500);
    // Express's own error page (it shows messages outside production): the error went to the host's next(error).
    expect(response.text).toContain(
      'MountError: the request body of POST /flagon/echo was read before it reached Flagon',
    );
    expect(response.text).toContain('Mount Flagon before the body parsers');
  });

  it('lets through what the parser left alone: a GET and a form post', async () => {
    await mountedChecks.routeAndUrlFor(base);
    await mountedChecks.form(base);
  });

  it('answers 500 itself and logs the fix when the host gives no next()', async () => {
    const log = memoryStream();
    const handler = toNodeHandler(app.gatewayApp, { errors: log });
    const parser = express.json();
    const bare = await start((req, res) => {
      parser(req as express.Request, res as express.Response, () => handler(req, res));
    });
    const response = await fetchRaw(`${bare}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect([response.status, response.text]).toEqual([500, 'Internal Server Error\n']);
    expect(log.text()).toContain('Mount Flagon before the body parsers');
  });

  it('passes the error to Express as a MountError with a stable code', async () => {
    const caught: unknown[] = [];
    const host = express();
    host.use(express.json());
    host.use('/flagon', toNodeHandler(app.gatewayApp));
    host.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      caught.push(error);
      res.status(500).end();
    });
    const hostBase = await start(host);
    await fetchRaw(`${hostBase}/flagon/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '[]',
    });
    expect(caught).toHaveLength(1);
    expect(caught[0]).toBeInstanceOf(MountError);
    expect((caught[0] as MountError).code).toBe('FLAGON_ERR_BODY_CONSUMED');
  });
});

describe('Connect: SCRIPT_NAME from originalUrl minus the stripped url', () => {
  let base = '';
  beforeAll(async () => {
    const host = connect();
    host.use('/flagon', toNodeHandler(app.gatewayApp, { errors }));
    host.use((_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(404, ['Content-Type', 'text/plain']);
      res.end('connect 404');
    });
    base = await start(host);
  });

  it('answers /flagon/users/7 with SCRIPT_NAME /flagon, and urlFor builds /flagon/…', () =>
    mountedChecks.routeAndUrlFor(base));
  it('keeps the 308 slash redirect under the prefix', () => mountedChecks.slashRedirect(base));
  it('keeps redirect(urlFor(…)) under the prefix', () => mountedChecks.redirectToUrlFor(base));
  it("answers /flagon and /flagon/ with the app's index", () => mountedChecks.index(base));
  it('hands a posted form and a 5 MB upload to Flagon', async () => {
    await mountedChecks.form(base);
    await mountedChecks.bigUpload(base);
  });
  it('leaves other paths to the host', async () => {
    expect((await fetchRaw(`${base}/elsewhere`)).text).toBe('connect 404');
  });
});

describe('plain node:http', () => {
  it('serves the app at the root with no options', async () => {
    const root = await start(toNodeHandler(app.gatewayApp, { errors }));
    const response = await fetchRaw(`${root}/users/7`);
    expect(JSON.parse(response.text)).toMatchObject({ self: '/users/7', scriptRoot: '', static: '/static/hello.txt' });
  });

  describe("with { prefix: '/flagon' }", () => {
    let base = '';
    beforeAll(async () => {
      base = await start(toNodeHandler(app.gatewayApp, { errors, prefix: '/flagon/' }));
    });

    it('answers /flagon/users/7 with SCRIPT_NAME /flagon, and urlFor builds /flagon/…', () =>
      mountedChecks.routeAndUrlFor(base));
    it('keeps the 308 slash redirect under the prefix', () => mountedChecks.slashRedirect(base));
    it('keeps redirect(urlFor(…)) under the prefix', () => mountedChecks.redirectToUrlFor(base));
    it("answers /flagon and /flagon/ with the app's index", () => mountedChecks.index(base));
    it('hands a posted form and a 5 MB upload to Flagon', async () => {
      await mountedChecks.form(base);
      await mountedChecks.bigUpload(base);
    });
    it('answers 404 outside the prefix, where no host could take the request', async () => {
      for (const path of ['/', '/flagonish', '/other/flagon']) {
        const response = await fetchRaw(`${base}${path}`);
        expect([path, response.status, response.text]).toEqual([path, 404, 'Not Found\n']);
      }
    });
  });

  it('refuses a prefix that is not a path, naming the fix', () => {
    expect(() => toNodeHandler(app.gatewayApp, { prefix: 'flagon' })).toThrow(/starts with '\/'.*such as '\/flagon'/);
  });
});
