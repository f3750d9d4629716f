/** The request context reaches every place a request's code runs: views, hooks, promise callbacks, timers, streamed bodies. */
import { describe, expect, it } from 'vitest';
import { App, currentApp, g, request, urlFor, type Request } from 'flagon';

const newApp = () => new App(import.meta.url, { name: 'paths', config: { TESTING: true }, staticFolder: null });
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('context without hooks', () => {
  it('works in a plain view: request, g, currentApp and urlFor', async () => {
    const app = newApp();
    app.get('/plain/<int:n>', function plain() {
      g.seen = request.args.get('q');
      return `${request.path} ${String(g.seen)} ${currentApp.name} ${urlFor('plain', { n: 2 })}`;
    });
    expect((await app.testClient().get('/plain/1', { query: { q: 'x' } })).text).toBe('/plain/1 x paths /plain/2');
  });

  it('survives awaits in async views and async decorated methods', async () => {
    const app = newApp();
    (
      @app.routes
      class Views {
        @app.get('/static-async') static async s() {
          await tick();
          return `static ${request.path}`;
        }
        @app.get('/instance-async') async i(req: Request) {
          await tick();
          return `instance ${request.path} ${req.method}`;
        }
      }
    );
    const client = app.testClient();
    expect((await client.get('/static-async')).text).toBe('static /static-async');
    expect((await client.get('/instance-async')).text).toBe('instance /instance-async GET');
  });

  it('keeps concurrent async requests apart', async () => {
    const app = newApp();
    app.get('/slow/<int:n>', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5 - (request.params as { n: number }).n));
      await tick();
      return request.path;
    });
    const client = app.testClient();
    const texts = await Promise.all([1, 2, 3, 4].map(async (n) => (await client.get(`/slow/${n}`)).text));
    expect(texts).toEqual(['/slow/1', '/slow/2', '/slow/3', '/slow/4']);
  });

  it('gives error handlers the context after a plain view fails', async () => {
    const app = newApp();
    app.errorHandler(ReferenceError, async () => {
      await tick();
      return [`failed at ${request.path}`, 500];
    });
    app.get('/fails', () => {
      throw new ReferenceError('x');
    });
    expect((await app.testClient().get('/fails')).text).toBe('failed at /fails');
  });

  it('gives async hooks the context on a 404, when no view runs', async () => {
    const app = newApp();
    const seen: string[] = [];
    app.beforeRequest(async () => {
      await tick();
      seen.push(`before ${request.path}`);
    });
    app.teardownRequest(async () => {
      await tick();
      seen.push(`teardown ${request.path}`);
    });
    expect((await app.testClient().get('/nowhere')).status).toBe(404);
    expect(seen).toEqual(['before /nowhere', 'teardown /nowhere']);
  });

  it('keeps the request in a promise callback of a non-async view, and in a timer it starts', async () => {
    const app = newApp();
    app.get('/then', () => tick().then(() => request.path));
    app.get(
      '/timer',
      () => new Promise((resolve) => setTimeout(() => resolve(`${request.method} ${request.path}`), 1)),
    );
    const client = app.testClient();
    expect((await client.get('/then')).text).toBe('/then');
    expect((await client.get('/timer')).text).toBe('GET /timer');
  });
});
