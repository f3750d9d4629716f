import { describe, expect, expectTypeOf, it } from 'vitest';
import { App, type Request, Response, jsonify, redirect } from 'flagon';
import { type HTTPError, type InternalServerError, NotFound } from 'flagon/http';
import type { GatewayApp } from 'flagon/gateway';

const newApp = (config: Record<string, unknown> = {}) =>
  new App(import.meta.url, { config: { TESTING: true, ...config }, staticFolder: null });

describe('routes', () => {
  it('serve strings as HTML, objects as JSON, and type req.params from the rule', async () => {
    const app = newApp();
    app.get('/', () => 'Hello, World!');
    app.get('/users/<int:id>', (req) => {
      expectTypeOf(req.params).toEqualTypeOf<{ id: number }>();
      return { id: req.params.id };
    });
    const client = app.testClient();
    const home = await client.get('/');
    expect([home.status, home.headers.get('Content-Type'), home.text]).toEqual([
      200,
      'text/html; charset=utf-8',
      'Hello, World!',
    ]);
    const user = await client.get('/users/42');
    expect([user.headers.get('Content-Type'), user.text]).toEqual(['application/json', '{"id":42}\n']);
  });

  it("follow Flask's return-value rules", async () => {
    const app = newApp();
    const echo: GatewayApp = (environ, start) => {
      start('202 Accepted', [['X-From', 'tsgi']]);
      return [new TextEncoder().encode(environ.PATH_INFO)];
    };
    app.get('/bytes', () => new Uint8Array([104, 105]));
    app.get('/list', () => [1, 2, 3]);
    app.get('/created', () => ['made', 201]);
    app.get('/headers', () => ['x', 200, { 'X-A': '1' }]);
    // After a status, header values may be numbers, and an optional one undefined (Flask: `'made', 201, {'X-Count': 5}`).
    app.get('/number-header', () => ['made', 201, { 'X-Count': 5, 'X-Optional': undefined, 'X-Tags': ['a', 2] }]);
    app.get('/only-headers', () => ['<p>x</p>', { 'X-B': '2' }]);
    app.get('/json-headers', () => [{ ok: true }, 200, { 'X-B': '2' }]);
    // Two records are a list of two, whatever their values: never a body and headers taken from data.
    app.get('/two-users', () => [{ name: 'ada' }, { name: 'bob', 'Set-Cookie': 'admin=1' }]);
    // Inside a tuple an array is the body, JSON, as in Flask (`return ['python', 404], 201` is a 201 list).
    app.get('/list-in-tuple', () => [['python', 404], 201]);
    app.get('/response', () => new Response('r', { status: 418 }));
    app.get('/stream', () =>
      (async function* () {
        yield 'a';
        yield new TextEncoder().encode('b');
      })(),
    );
    app.get('/async', async () => {
      await Promise.resolve();
      return 'later';
    });
    app.get('/tsgi', () => echo);
    app.get('/json', () => jsonify({ a: 1 }, 202));
    app.get('/json-nothing', () => jsonify(undefined));
    app.get('/go', () => redirect('/target?x=<y>'));
    const client = app.testClient();
    expect((await client.get('/bytes')).text).toBe('hi');
    expect((await client.get('/list')).json).toEqual([1, 2, 3]);
    expect((await client.get('/created')).status).toBe(201);
    expect((await client.get('/headers')).headers.get('X-A')).toBe('1');
    const numberHeader = await client.get('/number-header');
    expect([
      numberHeader.status,
      numberHeader.text,
      numberHeader.headers.get('X-Count'),
      numberHeader.headers.has('X-Optional'),
      numberHeader.headers.getAll('X-Tags'),
    ]).toEqual([201, 'made', '5', false, ['a', '2']]);
    const onlyHeaders = await client.get('/only-headers');
    expect([onlyHeaders.text, onlyHeaders.headers.get('X-B')]).toEqual(['<p>x</p>', '2']);
    const jsonHeaders = await client.get('/json-headers');
    expect([jsonHeaders.json, jsonHeaders.headers.get('X-B')]).toEqual([{ ok: true }, '2']);
    const twoUsers = await client.get('/two-users');
    expect([twoUsers.json, twoUsers.headers.get('name'), twoUsers.headers.get('Set-Cookie')]).toEqual([
      [{ name: 'ada' }, { name: 'bob', 'Set-Cookie': 'admin=1' }],
      null,
      null,
    ]);
    const listInTuple = await client.get('/list-in-tuple');
    expect([listInTuple.status, listInTuple.json]).toEqual([201, ['python', 404]]);
    expect((await client.get('/response')).status).toBe(418);
    expect((await client.get('/stream')).text).toBe('ab');
    expect((await client.get('/async')).text).toBe('later');
    const tsgi = await client.get('/tsgi');
    expect([tsgi.status, tsgi.headers.get('X-From'), tsgi.text]).toEqual([202, 'tsgi', '/tsgi']);
    expect([(await client.get('/json')).status, (await client.get('/json')).json]).toEqual([202, { a: 1 }]);
    // Flask's jsonify() is `null\n`; it was `undefined\n`, labelled JSON.
    expect((await client.get('/json-nothing')).text).toBe('null\n');
    const go = await client.get('/go');
    // Werkzeug's Location for the same redirect (python3, Werkzeug 3.1): `<` and `>` percent-encoded.
    expect([go.status, go.headers.get('Location')]).toEqual([302, '/target?x=%3Cy%3E']);
    expect(go.text).toContain('href="/target?x=&lt;y&gt;"');
  });

  it('answer a bad return value with a 500 whose logged error names the view', async () => {
    const app = newApp({ TESTING: false });
    app.get('/nothing', function nothing() {
      return undefined as never;
    });
    app.get('/number', () => 42 as never);
    const logged: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      logged.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect((await app.testClient().get('/nothing')).status).toBe(500);
      expect((await app.testClient().get('/number')).status).toBe(500);
    } finally {
      process.stderr.write = write;
    }
    expect(logged.join('')).toMatch(
      /The view function for 'nothing' did not return a valid response: it returned undefined \(did you forget a return\?\)/,
    );
    expect(logged.join('')).toMatch(/for 'number' did not return a valid response: it returned a number: 42/);
  });

  it('name endpoints after the handler, or make one from the rule', () => {
    const app = newApp();
    app.get('/', () => 'x');
    app.get('/users/<int:id>', () => 'x');
    app.post('/login', () => 'x');
    app.get('/named', function profile() {
      return 'x';
    });
    app.route('/both', { methods: ['GET', 'POST'] }, () => 'x');
    expect(app.router.rules.map((r) => r.endpoint)).toEqual(['index', 'users_id', 'login_post', 'profile', 'both']);
  });

  it('refuse an endpoint taken by another handler, naming both', () => {
    const app = newApp();
    app.get('/a', function page() {
      return 'a';
    });
    expect(() =>
      app.get('/b', function page() {
        return 'b';
      }),
    ).toThrow(
      "'page' is taken by 'page' (GET /a) and would be taken by 'page' (GET /b). Give one of them another endpoint",
    );
    // Two anonymous views whose rules give the same endpoint name: the rules tell them apart.
    app.get('/', () => 'a');
    expect(() => app.post('/', () => 'b')).not.toThrow(); // its own endpoint, index_post
    app.get('/home', { endpoint: 'home' }, () => 'h');
    expect(() => app.route('/start', { endpoint: 'home', methods: ['GET', 'POST'] }, () => 's')).toThrow(
      "'home' is taken by an anonymous function (GET /home) and would be taken by an anonymous function (GET|POST /start)",
    );
    const shared = () => 'same';
    app.get('/c', { endpoint: 'shared' }, shared);
    expect(() => app.get('/d', { endpoint: 'shared' }, shared)).not.toThrow();
  });

  it("point a bad rule's error at the app's line, not at the router's frames", () => {
    const app = newApp();
    const error = (() => {
      try {
        app.get('/hello/<name', () => 'x');
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(SyntaxError);
    // Its first frame is this file (ten frames of the router and the App filled the stack before).
    expect(error.stack?.split('\n')[1]).toContain('routes.test.ts');
    expect(() => app.get('/x/<integer:id>', () => 'x')).toThrow('add your own: app.addConverter(name, factory)');
  });

  it('make methods on get() a TypeError', () => {
    const app = newApp();
    expect(() => app.get('/x', { methods: ['POST'] } as never, () => 'x')).toThrow(/app.get\(\) always means GET/);
  });

  it('answer OPTIONS automatically with Allow, unless turned off', async () => {
    const app = newApp();
    app.route('/items', { methods: ['GET', 'POST'] }, () => 'x');
    app.route('/manual', { methods: ['GET'], provideAutomaticOptions: false }, () => 'x');
    const client = app.testClient();
    const options = await client.options('/items');
    expect([options.status, options.headers.get('Allow'), options.text]).toEqual([200, 'GET, HEAD, OPTIONS, POST', '']);
    expect((await client.options('/manual')).status).toBe(405);
    expect((await client.delete('/items')).headers.get('Allow')).toBe('GET, HEAD, OPTIONS, POST');
  });

  it('accept the global Fetch Response a view returns (as Hono code does), body streamed, cookies kept apart', async () => {
    const app = newApp();
    app.get('/fetch', () => {
      const headers = new Headers({ 'Content-Type': 'application/json', 'X-Kind': 'fetch' });
      headers.append('Set-Cookie', 'a=1; Path=/');
      headers.append('Set-Cookie', 'b=2; Path=/');
      return new globalThis.Response('{"ok":true}', { status: 201, headers });
    });
    app.get(
      '/stream',
      () =>
        new globalThis.Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('one '));
              controller.enqueue(new TextEncoder().encode('two'));
              controller.close();
            },
          }),
        ),
    );
    const client = app.testClient();
    const response = await client.get('/fetch');
    expect([
      response.status,
      response.json,
      response.headers.get('Content-Type'),
      response.headers.get('X-Kind'),
      response.headers.getAll('Set-Cookie'),
    ]).toEqual([201, { ok: true }, 'application/json', 'fetch', ['a=1; Path=/', 'b=2; Path=/']]);
    expect((await client.get('/stream')).text).toBe('one two');
  });

  it('take a GET view and a POST view on one rule, as Flask does, and still refuse a real duplicate', async () => {
    const app = newApp();
    app.get('/login', function login() {
      return 'the form';
    });
    app.post('/login', function doLogin() {
      return 'logged in';
    });
    expect(() =>
      app.post('/login', function again() {
        return '';
      }),
    ).toThrow(/duplicates rule '\/login' \(endpoint 'doLogin'\) for POST/);
    const client = app.testClient();
    expect((await client.get('/login')).text).toBe('the form');
    expect((await client.post('/login')).text).toBe('logged in');
    expect((await client.options('/login')).headers.get('Allow')).toBe('GET, HEAD, OPTIONS, POST');
  });
});

describe('decorators', () => {
  it('register static and instance methods when the class is defined, with this intact', async () => {
    const app = newApp();
    let constructed = 0;
    @app.routes
    class Pages {
      greeting = 'thanks';
      constructor() {
        constructed++;
      }
      @app.get('/about') static about() {
        return `About ${this.name}`;
      }
      @app.post('/contact') send(req: Request) {
        return [`${this.greeting} ${req.method}`, 201];
      }
      @app.route('/both', { methods: ['GET', 'PUT'] }) both() {
        return this.greeting;
      }
    }
    expect(app.router.rules.map((r) => r.endpoint)).toEqual(['about', 'send', 'both']);
    expect(constructed).toBe(0);
    const client = app.testClient();
    expect((await client.get('/about')).text).toBe('About Pages');
    const sent = await client.post('/contact');
    expect([sent.status, sent.text]).toEqual([201, 'thanks POST']);
    expect((await client.put('/both')).text).toBe('thanks');
    expect(constructed).toBe(1);
    expect(Pages.about()).toBe('About Pages');
  });

  it('find the class through a static decorated method too', async () => {
    const app = newApp();
    (class Mixed {
      @app.get('/s') static s() {
        return 'static';
      }
      @app.get('/i') i() {
        return this instanceof Mixed ? 'instance' : 'lost';
      }
    });
    expect((await app.testClient().get('/i')).text).toBe('instance');
  });

  it('say how to fix an instance method whose class Flagon cannot see', async () => {
    const app = newApp();
    (class Lonely {
      @app.get('/lonely') view() {
        return 'x';
      }
    });
    await expect(app.testClient().get('/lonely')).rejects.toThrow(
      /Put @app.routes above the class, or make 'view' static/,
    );
  });

  it('say that @app.get needs its rule, when written without parentheses', () => {
    const app = newApp();
    const withoutParentheses = app.get as unknown as (value: unknown, context: ClassMethodDecoratorContext) => void;
    // It was "Cannot read properties of undefined (reading 'Scaffold')".
    expect(
      () =>
        class Status {
          @withoutParentheses static health() {
            return 'ok';
          }
        },
    ).toThrow("@app.get needs its URL rule: write @app.get('/path') above 'health', with the parentheses");
    expect(() => app.route(undefined as unknown as string, {}, () => 'x')).toThrow(
      "app.route() takes the URL rule first, a string such as '/users/<int:id>', not undefined",
    );
  });

  it('register hooks and error handlers', async () => {
    const app = newApp();
    const seen: string[] = [];
    (class Hooks {
      @app.beforeRequest static before(req: Request) {
        seen.push(`before ${req.path}`);
      }
      @app.errorHandler(404) static missing() {
        return ['custom 404', 404];
      }
    });
    const response = await app.testClient().get('/nope');
    expect([response.status, response.text, seen]).toEqual([404, 'custom 404', ['before /nope']]);
  });
});

describe('errorHandler types its argument from the key', () => {
  it('an HTTPError for a code, an InternalServerError for 500, an instance for a class', async () => {
    // `(e) => e.code` did not compile: the argument was `unknown` whatever the key (coming-from-flask.md's rows).
    const app = new App(import.meta.url, { staticFolder: null });
    class Teapot extends Error {
      readonly brewing = true;
    }
    app.errorHandler(404, (e) => {
      expectTypeOf(e).toEqualTypeOf<HTTPError>();
      return [{ code: e.code, description: e.description }, e.status, e.headers];
    });
    app.errorHandler(500, (e) => {
      expectTypeOf(e).toEqualTypeOf<InternalServerError>();
      return [`failed: ${String((e.originalException as Error).message)}`, 500];
    });
    app.errorHandler(Teapot, (e) => {
      expectTypeOf(e).toEqualTypeOf<Teapot>();
      return [`brewing: ${e.brewing}`, 418];
    });
    new App(import.meta.url).errorHandler(NotFound, (e: NotFound) => e); // an annotated class still compiles
    app.get('/boom', () => {
      throw new Error('disk full');
    });
    app.get('/tea', () => {
      throw new Teapot();
    });
    app.config.PROPAGATE_EXCEPTIONS = false;
    const client = app.testClient();
    expect(JSON.parse((await client.get('/nowhere')).text)).toMatchObject({ code: 404 });
    expect((await client.get('/boom')).text).toBe('failed: disk full');
    expect(await client.get('/tea')).toMatchObject({ status: 418, text: 'brewing: true' });
  });
});
