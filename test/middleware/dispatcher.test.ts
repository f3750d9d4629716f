/** dispatcher: the longest mounted prefix wins and moves from PATH_INFO to SCRIPT_NAME, as Werkzeug's DispatcherMiddleware. */
import { describe, expect, it } from 'vitest';
import { App, redirect, urlFor } from 'flagon';
import type { GatewayApp } from 'flagon/gateway';
import { dispatcher, lint } from 'flagon/middleware';
import { TestClient, createEnviron, runApp } from 'flagon/testing';

/** A TSGI app that answers with its name and the two path keys it was given. */
function echo(name: string): GatewayApp {
  return (environ, startResponse) => {
    startResponse('200 OK', [['Content-Type', 'application/json']]);
    return [
      new TextEncoder().encode(JSON.stringify({ app: name, script: environ.SCRIPT_NAME, path: environ.PATH_INFO })),
    ];
  };
}

const site = dispatcher(echo('root'), { '/api': echo('api'), '/api/v1': echo('v1') });

async function seen(path: string, scriptName = ''): Promise<unknown> {
  const response = await runApp(lint(site), createEnviron(path, { scriptName }));
  return JSON.parse(response.text);
}

describe('dispatcher', () => {
  // Each row was checked against werkzeug.middleware.dispatcher.DispatcherMiddleware with SCRIPT_NAME '/pre'.
  it.each([
    ['/', { app: 'root', script: '/pre', path: '/' }],
    ['/api', { app: 'api', script: '/pre/api', path: '' }],
    ['/api/', { app: 'api', script: '/pre/api', path: '/' }],
    ['/apix', { app: 'root', script: '/pre', path: '/apix' }],
    ['/api/v1/x', { app: 'v1', script: '/pre/api/v1', path: '/x' }],
    ['/api/v1', { app: 'v1', script: '/pre/api/v1', path: '' }],
    ['/api/v2/x', { app: 'api', script: '/pre/api', path: '/v2/x' }],
    ['//api', { app: 'root', script: '/pre', path: '//api' }],
  ])('sends %s where Werkzeug does', async (path, expected) => {
    expect(await seen(path, '/pre')).toEqual(expected);
  });

  it('matches the decoded path and keeps REQUEST_URI as sent', async () => {
    const unicode = dispatcher(echo('root'), { '/café': echo('cafe') });
    const response = await runApp(unicode, createEnviron('/caf%C3%A9/menu'));
    expect(JSON.parse(response.text)).toEqual({ app: 'cafe', script: '/café', path: '/menu' });
  });

  it('mounts Flagon apps whose URLs and redirects stay under the prefix', async () => {
    const api = new App(import.meta.url, { name: 'api' });
    api.get('/users/<int:id>', { endpoint: 'user' }, (req) => ({
      id: req.params.id,
      self: urlFor('user', { id: req.params.id }),
    }));
    api.get('/old', () => redirect(urlFor('user', { id: 1 })));
    api.get('/list/', () => 'list');
    api.get('/', () => 'api index');
    const front = new App(import.meta.url, { name: 'front' });
    front.get('/', () => 'front page');
    const client = new TestClient({ gatewayApp: dispatcher(front.gatewayApp, { '/api': api.gatewayApp }) });

    expect((await client.get('/')).text).toBe('front page');
    expect((await client.get('/api/users/7')).json).toEqual({ id: 7, self: '/api/users/7' });
    expect((await client.get('/api/old')).headers.get('Location')).toBe('/api/users/1');
    const slash = await client.get('/api/list');
    expect(slash.status).toBe(308);
    expect(slash.headers.get('Location')).toBe('http://localhost/api/list/');
    expect((await client.get('/elsewhere')).status).toBe(404); // the front app's own 404
    const bare = await client.get('/api'); // an empty PATH_INFO: the mounted App redirects to its root, as Flask
    expect([bare.status, bare.headers.get('Location')]).toEqual([308, 'http://localhost/api/']);
  });

  it('names the fix for a prefix of the wrong shape or a mount that is not an app', () => {
    expect(() => dispatcher(echo('root'), { api: echo('api') })).toThrow(
      "the mount prefix 'api' must start with '/' and not end with one; write '/api'",
    );
    expect(() => dispatcher(echo('root'), { '/api/': echo('api') })).toThrow("write '/api'");
    expect(() => dispatcher(echo('root'), { '/': echo('api') })).toThrow(/the root belongs to the fallback app/);
    const notAnApp = new App(import.meta.url, { name: 'x' }) as unknown as GatewayApp;
    expect(() => dispatcher(echo('root'), { '/x': notAnApp })).toThrow(
      "the app mounted at '/x' is not a TSGI app; pass app.gatewayApp for a Flagon App",
    );
  });
});
