import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, silentStream, type RunningServer } from 'flagon/serving';
import type { GatewayApp } from 'flagon/gateway';
import { hello } from '../../examples/hello-gateway/app.js';
import { mountAt, securityHeaders } from '../../examples/middleware/middleware.js';
import { serveRaw } from '../../examples/raw-socket-server/server.js';
import { fetchRaw, type TestResponse } from '../helpers/http.js';

const wrapped = mountAt('/greet', securityHeaders(hello));
const apps: Record<string, GatewayApp> = { hello, wrapped };
type Server = Pick<RunningServer, 'url' | 'close'>;
const servers: Record<string, { flagon: Server; raw: Server }> = {};

beforeAll(async () => {
  for (const [name, app] of Object.entries(apps)) {
    servers[name] = { flagon: await serve(app, { port: 0, errors: silentStream }), raw: await serveRaw(app, 0) };
  }
});
afterAll(async () => {
  for (const pair of Object.values(servers)) await Promise.all([pair.flagon.close(), pair.raw.close()]);
});

/** What must agree between two servers: status, the app's own headers, the body. Date, Connection, framing may differ. */
function essentials(response: TestResponse) {
  const {
    date: _date,
    connection: _connection,
    'keep-alive': _keepAlive,
    'transfer-encoding': _te,
    ...headers
  } = response.headers;
  return { status: response.status, headers, body: response.text };
}

const requests: Array<[app: string, path: string, method?: string]> = [
  ['hello', '/'],
  ['hello', '/?name=Ada'],
  ['hello', '/?name=%3Cb%3Ex%3C%2Fb%3E'],
  ['hello', '/anything/else?name=caf%C3%A9'],
  ['hello', '/?name=Ada', 'HEAD'],
  ['wrapped', '/greet/?name=Grace'],
  ['wrapped', '/greet'],
  ['wrapped', '/elsewhere'],
];

describe('the examples on both servers', () => {
  it('escape the name: the curl check of the hello example', async () => {
    const response = await fetchRaw(`${servers.hello!.flagon.url}/?name=<b>x</b>`);
    expect(response.text).toContain('<h1>Hello, &#60;b&#62;x&#60;/b&#62;!</h1>');
    expect(response.text).not.toContain('<b>');
  });

  it.each(requests)('agree on %s %s (%s)', async (app, path, method = 'GET') => {
    const pair = servers[app]!;
    const [viaFlagon, viaRaw] = await Promise.all([
      fetchRaw(`${pair.flagon.url}${path}`, { method }),
      fetchRaw(`${pair.raw.url}${path}`, { method }),
    ]);
    expect(essentials(viaRaw)).toEqual(essentials(viaFlagon));
    expect(viaFlagon.complete && viaRaw.complete).toBe(true);
  });

  it('show the middleware at work', async () => {
    const response = await fetchRaw(`${servers.wrapped!.flagon.url}/greet/?name=Grace`);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.text).toContain('Hello, Grace!');
    expect((await fetchRaw(`${servers.wrapped!.flagon.url}/other`)).status).toBe(404);
  });
});
