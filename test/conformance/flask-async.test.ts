/**
 * Port of Flask's tests/test_async.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to Flagon. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt. One `it` per upstream test (parametrized cases loop inside it). Flask runs `async def` views,
 * handlers and hooks through asgiref; in Flagon every view, handler and hook may be an async function, and
 * `await asyncio.sleep(0)` is `await setImmediate()` (one turn of the event loop).
 */
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { App, Blueprint, MethodView, View, request, type Request, type Response } from 'flagon';

class AppError extends Error {}

class BlueprintError extends Error {}

class AsyncView extends View {
  static override methods = ['GET', 'POST'];

  async dispatchRequest(): Promise<string> {
    await tick();
    return request.method;
  }
}

class AsyncMethodView extends MethodView {
  async get(): Promise<string> {
    await tick();
    return 'GET';
  }

  async post(): Promise<string> {
    await tick();
    return 'POST';
  }
}

/** Flask's `async_app` fixture: `Flask(__name__)`, not TESTING. */
function asyncApp(): App {
  const app = new App(import.meta.url, { staticFolder: null });

  async function index(): Promise<string> {
    await tick();
    return request.method;
  }
  app.route('/', { methods: ['GET', 'POST'] }, index);
  app.route('/home', { methods: ['GET', 'POST'] }, index);

  app.errorHandler(AppError, async function handle() {
    return ['', 412];
  });

  app.route('/error', {}, async function error() {
    throw new AppError();
  });

  const blueprint = new Blueprint('bp', import.meta.url);

  blueprint.route('/', { methods: ['GET', 'POST'] }, async function bpIndex(req: Request) {
    await tick();
    return req.method;
  });

  blueprint.errorHandler(BlueprintError, async function bpHandle() {
    return ['', 412];
  });

  blueprint.route('/error', {}, async function bpError() {
    throw new BlueprintError();
  });

  app.registerBlueprint(blueprint, { urlPrefix: '/bp' });

  app.addUrlRule('/view', { view: AsyncView.asView('view') });
  app.addUrlRule('/methodview', { view: AsyncMethodView.asView('methodview') });

  return app;
}

describe('flask tests/test_async.py', () => {
  it('test_async_route', async () => {
    for (const path of ['/', '/home', '/bp/', '/view', '/methodview']) {
      const testClient = asyncApp().testClient();
      let response = await testClient.get(path);
      expect(response.text, path).toContain('GET');
      response = await testClient.post(path);
      expect(response.text, path).toContain('POST');
    }
  });

  it('test_async_error_handler', async () => {
    for (const path of ['/error', '/bp/error']) {
      const testClient = asyncApp().testClient();
      const response = await testClient.get(path);
      expect(response.status, path).toBe(412);
    }
  });

  it('test_async_before_after_request', async () => {
    let appBeforeCalled = false;
    let appAfterCalled = false;
    let bpBeforeCalled = false;
    let bpAfterCalled = false;

    const app = new App(import.meta.url, { staticFolder: null });

    app.route('/', {}, function index() {
      return '';
    });

    app.beforeRequest(async function before() {
      await tick();
      appBeforeCalled = true;
    });

    app.afterRequest(async function after(response: Response) {
      await tick();
      appAfterCalled = true;
      return response;
    });

    const blueprint = new Blueprint('bp', import.meta.url);

    blueprint.route('/', {}, function bpIndex() {
      return '';
    });

    blueprint.beforeRequest(async function bpBefore() {
      await tick();
      bpBeforeCalled = true;
    });

    blueprint.afterRequest(async function bpAfter(response: Response) {
      await tick();
      bpAfterCalled = true;
      return response;
    });

    app.registerBlueprint(blueprint, { urlPrefix: '/bp' });

    const testClient = app.testClient();
    await testClient.get('/');
    expect(appBeforeCalled).toBe(true);
    expect(appAfterCalled).toBe(true);
    await testClient.get('/bp/');
    expect(bpBeforeCalled).toBe(true);
    expect(bpAfterCalled).toBe(true);
  });
});
