/**
 * Port of Flask's tests/test_views.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65). BSD-3-Clause, Copyright 2010 Pallets: see LICENSE-pallets.txt.
 */
import { describe, expect, it } from 'vitest';
import { type App, MethodView, Response, View, makeResponse, request, type Request } from 'flagon';
import { flaskApp } from './support.js';

const allow = (rv: { headers: { get(name: string): string | null } }): string[] =>
  (rv.headers.get('Allow') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();

async function commonTest(app: App): Promise<void> {
  const c = app.testClient();
  expect((await c.get('/')).text).toBe('GET');
  expect((await c.post('/')).text).toBe('POST');
  expect((await c.put('/')).status).toBe(405);
  expect(allow(await c.open('OPTIONS', '/'))).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
}

describe('flask tests/test_views.py', () => {
  it('test_basic_view', async () => {
    const app = flaskApp();
    class Index extends View {
      static override methods = ['GET', 'POST'];
      override dispatchRequest() {
        return request.method;
      }
    }
    app.addUrlRule('/', { view: Index.asView('index') });
    await commonTest(app);
  });

  it('test_method_based_view', async () => {
    const app = flaskApp();
    class Index extends MethodView {
      get() {
        return 'GET';
      }
      post() {
        return 'POST';
      }
    }
    app.addUrlRule('/', { view: Index.asView('index') });
    await commonTest(app);
  });

  it('test_view_patching', async () => {
    const app = flaskApp();
    class Index extends MethodView {
      get(): string {
        throw new RangeError();
      }
      post(): string {
        throw new RangeError();
      }
    }
    class Other extends Index {
      override get() {
        return 'GET';
      }
      override post() {
        return 'POST';
      }
    }
    const view = Index.asView('index');
    view.viewClass = Other;
    app.addUrlRule('/', { view });
    await commonTest(app);
  });

  it('test_view_inheritance', async () => {
    const app = flaskApp();
    class Index extends MethodView {
      get() {
        return 'GET';
      }
      post() {
        return 'POST';
      }
    }
    class BetterIndex extends Index {
      delete() {
        return 'DELETE';
      }
    }
    app.addUrlRule('/', { view: BetterIndex.asView('index') });
    expect(allow(await app.testClient().open('OPTIONS', '/'))).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST']);
  });

  it('test_view_decorators', async () => {
    const app = flaskApp();
    const addXParachute = (f: (req: Request) => unknown) => async (req: Request) => {
      const resp = await makeResponse(await f(req));
      resp.headers.set('X-Parachute', 'awesome');
      return resp;
    };
    class Index extends View {
      static override decorators = [addXParachute];
      override dispatchRequest() {
        return 'Awesome';
      }
    }
    app.addUrlRule('/', { view: Index.asView('index') });
    const rv = await app.testClient().get('/');
    expect(rv.headers.get('X-Parachute')).toBe('awesome');
    expect(rv.text).toBe('Awesome');
  });

  it('test_view_provide_automatic_options_attr', async () => {
    let app = flaskApp();
    class Index1 extends View {
      static override provideAutomaticOptions = false;
      override dispatchRequest() {
        return 'Hello World!';
      }
    }
    app.addUrlRule('/', { view: Index1.asView('index') });
    expect((await app.testClient().open('OPTIONS', '/')).status).toBe(405);
    app = flaskApp();
    class Index3 extends View {
      override dispatchRequest() {
        return 'Hello World!';
      }
    }
    app.addUrlRule('/', { view: Index3.asView('index') });
    expect(allow(await app.testClient().open('OPTIONS', '/'))).toContain('OPTIONS');
  });

  it('test_view_provide_automatic_options_attr (Index2: methods=["OPTIONS"])', async () => {
    const app = flaskApp();
    class Index2 extends View {
      static override methods = ['OPTIONS'];
      static override provideAutomaticOptions = true;
      override dispatchRequest() {
        return 'Hello World!';
      }
    }
    app.addUrlRule('/', { view: Index2.asView('index') });
    expect(allow(await app.testClient().open('OPTIONS', '/'))).toEqual(['OPTIONS']);
  });

  it('test_implicit_head', async () => {
    const app = flaskApp();
    class Index extends MethodView {
      get() {
        return new Response('Blub', { headers: { 'X-Method': request.method } });
      }
    }
    app.addUrlRule('/', { view: Index.asView('index') });
    const client = app.testClient();
    let rv = await client.get('/');
    expect([rv.text, rv.headers.get('X-Method')]).toEqual(['Blub', 'GET']);
    rv = await client.head('/');
    expect([rv.text, rv.headers.get('X-Method')]).toEqual(['', 'HEAD']);
  });

  it('test_explicit_head', async () => {
    const app = flaskApp();
    class Index extends MethodView {
      get() {
        return 'GET';
      }
      head() {
        return new Response('', { headers: { 'X-Method': 'HEAD' } });
      }
    }
    app.addUrlRule('/', { view: Index.asView('index') });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('GET');
    const rv = await client.head('/');
    expect([rv.text, rv.headers.get('X-Method')]).toEqual(['', 'HEAD']);
  });

  it('test_endpoint_override', async () => {
    const app = flaskApp({ DEBUG: true });
    class Index extends View {
      static override methods = ['GET', 'POST'];
      override dispatchRequest() {
        return request.method;
      }
    }
    app.addUrlRule('/', { view: Index.asView('index') });
    expect(() => app.addUrlRule('/', { view: Index.asView('index') })).toThrow();
    await commonTest(app);
  });

  it('test_methods_var_inheritance', async () => {
    const app = flaskApp();
    class BaseView extends MethodView {
      static override methods = ['GET', 'PROPFIND'];
    }
    class ChildView extends BaseView {
      get() {
        return 'GET';
      }
      propfind() {
        return 'PROPFIND';
      }
    }
    app.addUrlRule('/', { view: ChildView.asView('index') });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('GET');
    expect((await client.open('PROPFIND', '/')).text).toBe('PROPFIND');
    expect(new Set(ChildView.methods)).toEqual(new Set(['PROPFIND', 'GET']));
  });

  it.skip('test_multiple_inheritance', () => {
    /* N/A: Python multiple inheritance (class GetDeleteView(GetView, DeleteView)). */
  });

  it.skip('test_remove_method_from_parent', () => {
    /* N/A: Python multiple inheritance. */
  });

  it('test_init_once', async () => {
    const app = flaskApp();
    let n = 0;
    class CountInit extends View {
      static override initEveryRequest = false;
      constructor() {
        super();
        n += 1;
      }
      override dispatchRequest() {
        return String(n);
      }
    }
    app.addUrlRule('/', { view: CountInit.asView('index') });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('1');
    expect((await client.get('/')).text).toBe('1');
  });
});
