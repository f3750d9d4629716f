import { describe, expect, it } from 'vitest';
import { App, Blueprint, MethodView, View, makeResponse, request, type Request } from 'flagon';
import type { ClassView, ViewDecorator } from 'flagon/app';

// Flask 3.1's tests/test_views.py, case by case, plus what Flagon adds (constructor arguments, errors that name the fix).
const newApp = (config: Record<string, unknown> = {}) =>
  new App(import.meta.url, { config: { TESTING: true, ...config }, staticFolder: null });

const allow = (header: string | null) => (header ?? '').split(', ').sort();

/** Flask's common_test: GET and POST answer with their method, PUT is a 405, OPTIONS lists both. */
async function commonTest(app: App) {
  const client = app.testClient();
  expect((await client.get('/')).text).toBe('GET');
  expect((await client.post('/')).text).toBe('POST');
  expect((await client.put('/')).status).toBe(405);
  expect(allow((await client.options('/')).headers.get('Allow'))).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
}

describe('View', () => {
  it('serves a basic view with its static methods (test_basic_view)', async () => {
    class Index extends View {
      static override methods = ['GET', 'POST'];
      dispatchRequest(req: Request) {
        return req.method;
      }
    }
    const app = newApp();
    app.addUrlRule('/', { view: Index.asView('index') });
    await commonTest(app);
    expect(app.router.rules[0]!.endpoint).toBe('index');
  });

  it('applies decorators in order, the first innermost, and each sees the endpoint name (test_view_decorators)', async () => {
    const seen: string[] = [];
    const ran: string[] = [];
    const tag =
      (label: string): ViewDecorator =>
      (view) => {
        seen.push(`${label} wraps ${view.name}`);
        return async (req) => {
          ran.push(label);
          const response = await makeResponse(await view(req));
          response.headers.add('X-Parachute', label);
          return response;
        };
      };
    class Index extends View {
      static override decorators = [tag('inner'), tag('outer')];
      dispatchRequest() {
        return 'Awesome';
      }
    }
    const view = Index.asView('index');
    expect(seen).toEqual(['inner wraps index', 'outer wraps ']);
    expect([view.name, view.viewClass]).toEqual(['index', Index]);
    const app = newApp();
    app.addUrlRule('/', { view });
    const response = await app.testClient().get('/');
    expect([response.text, response.headers.getAll('X-Parachute')]).toEqual(['Awesome', ['inner', 'outer']]);
    expect(ran).toEqual(['outer', 'inner']);
  });

  it('keeps the request context across an await behind a synchronous decorator', async () => {
    const passThrough: ViewDecorator = (view) => (req) => view(req);
    class Slow extends View {
      static override decorators = [passThrough];
      async dispatchRequest() {
        await new Promise<void>((resolve) => setImmediate(resolve));
        return `still ${request.path}`;
      }
    }
    const app = newApp();
    app.addUrlRule('/slow', { view: Slow.asView('slow') });
    expect((await app.testClient().get('/slow')).text).toBe('still /slow');
  });

  it('makes an instance per request by default, with the arguments given to asView', async () => {
    const made: string[] = [];
    class Greet extends View {
      readonly #greeting: string;
      constructor(greeting: string, punctuation = '!') {
        super();
        this.#greeting = `${greeting}, <name>${punctuation}`;
        made.push(greeting);
      }
      dispatchRequest(req: Request) {
        return this.#greeting.replace('<name>', String(req.params.name));
      }
    }
    const app = newApp();
    app.addUrlRule('/hello/<name>', { view: Greet.asView('hello', 'Hi', '?') });
    const client = app.testClient();
    expect((await client.get('/hello/ann')).text).toBe('Hi, ann?');
    expect((await client.get('/hello/bob')).text).toBe('Hi, bob?');
    expect(made).toEqual(['Hi', 'Hi']);
  });

  it('shares one instance, made by asView, when initEveryRequest is false (test_init_once)', async () => {
    let n = 0;
    class CountInit extends View {
      static override initEveryRequest = false;
      constructor() {
        super();
        n += 1;
      }
      dispatchRequest() {
        return String(n);
      }
    }
    const app = newApp();
    app.addUrlRule('/', { view: CountInit.asView('index') });
    expect(n).toBe(1);
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('1');
    expect((await client.get('/')).text).toBe('1');
  });

  it('reads viewClass on each request, so a replaced class serves the route (test_view_patching)', async () => {
    class Index extends MethodView {
      get(): string {
        throw new RangeError('not this class');
      }
      post(): string {
        throw new RangeError('not this class');
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
    const view: ClassView = Index.asView('index');
    view.viewClass = Other;
    const app = newApp();
    app.addUrlRule('/', { view });
    await commonTest(app);
  });

  it('refuses a second view for an endpoint (test_endpoint_override), and the first keeps working', async () => {
    class Index extends View {
      static override methods = ['GET', 'POST'];
      dispatchRequest(req: Request) {
        return req.method;
      }
    }
    const app = newApp();
    app.addUrlRule('/', { view: Index.asView('index') });
    expect(() => app.addUrlRule('/other', { view: Index.asView('index') })).toThrow(
      /overwriting an existing endpoint function: 'index'/,
    );
    await commonTest(app);
  });

  it('takes provideAutomaticOptions from the class (test_view_provide_automatic_options_attr_*)', async () => {
    class Off extends View {
      static override provideAutomaticOptions = false;
      dispatchRequest() {
        return 'Hello World!';
      }
    }
    class On extends View {
      static override provideAutomaticOptions = true;
      dispatchRequest() {
        return 'Hello World!';
      }
    }
    const off = newApp();
    off.addUrlRule('/', { view: Off.asView('index') });
    expect((await off.testClient().options('/')).status).toBe(405);
    const on = newApp({ PROVIDE_AUTOMATIC_OPTIONS: false });
    on.addUrlRule('/', { view: On.asView('index') });
    expect(allow((await on.testClient().options('/')).headers.get('Allow'))).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });

  it('answers OPTIONS itself when its methods list OPTIONS (test_provide_automatic_options_method_disable)', async () => {
    class Index extends View {
      static override methods = ['OPTIONS'];
      dispatchRequest() {
        return ['', { 'X-Test': 'test' }];
      }
    }
    const app = newApp();
    app.addUrlRule('/', { view: Index.asView('index') });
    expect((await app.testClient().options('/')).headers.get('X-Test')).toBe('test');
  });

  it('names the fix when a plain JavaScript subclass has no dispatchRequest', async () => {
    // TypeScript refuses to call asView on an abstract class; JavaScript has no such check, hence the casts.
    abstract class Bare extends View {}
    class Concrete extends View {
      dispatchRequest() {
        return '';
      }
    }
    const app = newApp();
    app.addUrlRule('/', { view: (Bare as unknown as typeof Concrete).asView('index') });
    await expect(app.testClient().get('/')).rejects.toThrow(
      /Bare extends View but has no dispatchRequest\(req\): define it/,
    );
  });
});

describe('MethodView', () => {
  it('dispatches by method (test_method_based_view)', async () => {
    class Index extends MethodView {
      get() {
        return 'GET';
      }
      post() {
        return 'POST';
      }
    }
    const app = newApp();
    app.addUrlRule('/', { view: Index.asView('index') });
    await commonTest(app);
  });

  it('lists methods as Flask does: no HEAD unless it has head(), null when it has none', () => {
    class Get extends MethodView {
      get() {
        return '';
      }
    }
    class Head extends MethodView {
      get() {
        return '';
      }
      head() {
        return '';
      }
    }
    class Empty extends MethodView {}
    expect(Get.methods).toEqual(['GET']);
    expect([...Head.methods!].sort()).toEqual(['GET', 'HEAD']);
    expect([Empty.methods, MethodView.methods]).toEqual([null, null]);
  });

  it("inherits its parent's methods (test_view_inheritance)", async () => {
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
    const app = newApp();
    app.addUrlRule('/', { view: BetterIndex.asView('index') });
    expect(allow((await app.testClient().options('/')).headers.get('Allow'))).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'POST',
    ]);
  });

  it("adds a parent's explicit methods to its own (test_methods_var_inheritance)", async () => {
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
    const app = newApp();
    app.addUrlRule('/', { view: ChildView.asView('index') });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('GET');
    expect((await client.open('PROPFIND', '/')).text).toBe('PROPFIND');
    expect([...ChildView.methods!].sort()).toEqual(['GET', 'PROPFIND']);
  });

  // JavaScript has one parent per class: Flask's multiple inheritance is a mixin here.
  // TypeScript's mixin pattern needs a constructor of `any[]` (TS2545).
  // biome-ignore lint/suspicious/noExplicitAny: a mixin base needs a constructor of any[] (TS2545)
  type MethodViewClass = new (...args: any[]) => MethodView;
  const WithGet = <B extends MethodViewClass>(Base: B) =>
    class extends Base {
      get() {
        return 'GET';
      }
    };
  class DeleteView extends MethodView {
    delete() {
      return 'DELETE';
    }
  }
  class PostView extends MethodView {
    post() {
      return 'POST';
    }
  }

  it('collects the methods of every class it is made of (test_multiple_inheritance)', async () => {
    class GetDeleteView extends WithGet(DeleteView) {}
    const app = newApp();
    app.addUrlRule('/', { view: GetDeleteView.asView('index') });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('GET');
    expect((await client.delete('/')).text).toBe('DELETE');
    expect([...GetDeleteView.methods!].sort()).toEqual(['DELETE', 'GET']);
  });

  it('lets static methods replace the collected list (test_remove_method_from_parent)', async () => {
    class Only extends WithGet(PostView) {
      static override methods = ['GET'];
    }
    const app = newApp();
    app.addUrlRule('/', { view: Only.asView('index') });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('GET');
    expect((await client.post('/')).status).toBe(405);
    expect(Only.methods).toEqual(['GET']);
  });

  it('answers HEAD with get() and no body (test_implicit_head), or with head() (test_explicit_head)', async () => {
    class Implicit extends MethodView {
      get(req: Request) {
        return ['Blub', { 'X-Method': req.method }];
      }
    }
    class Explicit extends MethodView {
      get() {
        return 'GET';
      }
      head() {
        return ['', { 'X-Method': 'HEAD' }];
      }
    }
    const app = newApp();
    app.addUrlRule('/implicit', { view: Implicit.asView('implicit') });
    app.addUrlRule('/explicit', { view: Explicit.asView('explicit') });
    const client = app.testClient();
    const get = await client.get('/implicit');
    expect([get.text, get.headers.get('X-Method')]).toEqual(['Blub', 'GET']);
    const head = await client.head('/implicit');
    expect([head.text, head.headers.get('X-Method')]).toEqual(['', 'HEAD']);
    expect((await client.get('/explicit')).text).toBe('GET');
    const explicit = await client.head('/explicit');
    expect([explicit.text, explicit.headers.get('X-Method')]).toEqual(['', 'HEAD']);
  });

  it('names the fix when its rule allows a method it has no function for (Flask: "Unimplemented method")', async () => {
    class Partial extends MethodView {
      static override methods = ['GET', 'PUT'];
      get() {
        return 'GET';
      }
    }
    const app = newApp();
    app.addUrlRule('/', { view: Partial.asView('index') });
    await expect(app.testClient().put('/')).rejects.toThrow(
      "Partial has no put() for PUT requests, but its rule allows PUT: define put(req), or remove 'PUT' from its methods",
    );
    const quiet = newApp({ TESTING: false });
    quiet.logger.error = () => undefined; // the 500 is the point here, not its log line
    quiet.addUrlRule('/', { view: Partial.asView('index') });
    expect((await quiet.testClient().put('/')).status).toBe(500);
  });
});

describe('rules without a view', () => {
  it('make an alias, as the Flask tutorial\'s add_url_rule("/", endpoint="index"): the blog serves "/", both build it', async () => {
    const app = newApp({ SERVER_NAME: 'localhost' });
    const blog = new Blueprint('blog', import.meta.url);
    blog.get('/', function index() {
      return 'blog index';
    });
    app.registerBlueprint(blog);
    app.addUrlRule('/', { endpoint: 'index' });
    const response = await app.testClient().get('/');
    expect([response.status, response.text]).toEqual([200, 'blog index']);
    expect([app.urlFor('index'), app.urlFor('blog.index')]).toEqual(['http://localhost/', 'http://localhost/']);
  });

  it('get their view later from app.endpoint(), as a call or a decorator, or from app.viewFunctions', async () => {
    const app = newApp();
    app.addUrlRule('/a', { endpoint: 'a' });
    app.addUrlRule('/b', { endpoint: 'b' });
    app.addUrlRule('/c', { endpoint: 'c' });
    app.endpoint('a', () => 'a view');
    class Pages {
      @app.endpoint('b')
      static b() {
        return 'b view';
      }
    }
    app.viewFunctions.set('c', () => 'c view');
    const client = app.testClient();
    expect([(await client.get('/a')).text, (await client.get('/b')).text, (await client.get('/c')).text]).toEqual([
      'a view',
      'b view',
      'c view',
    ]);
    expect(Pages.b()).toBe('b view');
    expect(() => app.endpoint('d', () => 'late')).toThrow(
      "The setup method 'endpoint' can no longer be called on the app",
    );
  });

  it('get their view from bp.endpoint() under the full endpoint name, as Flask (test_endpoint_decorator)', async () => {
    const app = newApp();
    app.addUrlRule('/foo', { endpoint: 'bar' });
    const bp = new Blueprint('bp', import.meta.url);
    bp.endpoint('bar', function foobar() {
      return String(request.endpoint);
    });
    bp.addUrlRule('/own', { endpoint: 'own' });
    bp.endpoint('bp.own', () => 'own view');
    app.registerBlueprint(bp, { urlPrefix: '/bp_prefix' });
    const client = app.testClient();
    expect((await client.get('/foo')).text).toBe('bar');
    expect((await client.get('/bp_prefix/bar')).status).toBe(404);
    expect((await client.get('/bp_prefix/own')).text).toBe('own view');
  });

  it('answer a request with an error that names the fix while the endpoint has no view', async () => {
    const app = newApp();
    app.addUrlRule('/x', { endpoint: 'x' });
    await expect(app.testClient().get('/x')).rejects.toThrow(
      "No view function is registered for the endpoint 'x': its rule '/x' was added without one. Register it with app.endpoint('x', view)",
    );
  });

  it('are still duplicates when they come first: the view rule after them is refused', () => {
    const app = newApp();
    app.addUrlRule('/', { endpoint: 'index' });
    expect(() =>
      app.get('/', function home() {
        return '';
      }),
    ).toThrow(/duplicates rule '\/' \(endpoint 'index'\)/);
  });
});
