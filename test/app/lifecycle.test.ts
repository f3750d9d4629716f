import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import {
  App,
  Blueprint,
  HTTPError,
  type InternalServerError,
  type NotFound,
  Response,
  afterThisRequest,
  currentApp,
  g,
  makeResponse,
  request,
  session,
  urlFor,
  abort,
} from 'flagon';
import type { GatewayApp, StartResponse } from 'flagon/gateway';
import { SessionUnavailable } from 'flagon/sessions';
import { createEnviron } from 'flagon/testing';

const newApp = (config: Record<string, unknown> = {}) =>
  new App(import.meta.url, { name: 'lifecycle', config: { TESTING: true, ...config }, staticFolder: null });
const quietly = async <T>(fn: () => Promise<T>): Promise<T> => {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await fn();
  } finally {
    process.stderr.write = write;
  }
};

describe('contexts', () => {
  it('make request, g and currentApp work in views, after awaits and in streamed bodies', async () => {
    const app = newApp();
    app.beforeRequest(() => {
      g.user = 'ada';
    });
    app.get('/ctx', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return `${request.path} ${String(g.user)} ${currentApp.name}`;
    });
    app.get('/stream', () =>
      (async function* () {
        await new Promise((resolve) => setTimeout(resolve, 1));
        yield `${request.args.get('n')}:`;
        yield String(g.user);
      })(),
    );
    const client = app.testClient();
    expect((await client.get('/ctx')).text).toBe('/ctx ada lifecycle');
    expect((await client.get('/stream', { query: { n: '7' } })).text).toBe('7:ada');
  });

  it('say how to fix a proxy used outside a request', async () => {
    expect(() => request.path).toThrow(
      /Working outside of request context: `request` is only available while a request is handled/,
    );
    expect(() => g.x).toThrow(/app.appContext\(\).run\(fn\)/);
    const app = newApp();
    expect(
      await app.appContext().run(async () => {
        g.value = 1;
        return `${currentApp.name} ${String(g.value)}`;
      }),
    ).toBe('lifecycle 1');
  });
});

describe('hooks', () => {
  it("run in Flask's order, and before-hooks see 404s", async () => {
    const app = newApp();
    const order: string[] = [];
    app.beforeRequest(() => {
      order.push('before 1');
    });
    app.beforeRequest(() => {
      order.push('before 2');
    });
    app.afterRequest((r) => {
      order.push('after 1');
      return r;
    });
    app.afterRequest((r) => {
      order.push('after 2');
      return r;
    });
    app.teardownRequest(() => {
      order.push('teardown 1');
    });
    app.teardownRequest(() => {
      order.push('teardown 2');
    });
    app.get('/', () => {
      order.push('view');
      afterThisRequest((r) => {
        order.push('after this');
        return r;
      });
      return 'ok';
    });
    await app.testClient().get('/');
    expect(order).toEqual([
      'before 1',
      'before 2',
      'view',
      'after this',
      'after 2',
      'after 1',
      'teardown 2',
      'teardown 1',
    ]);
    order.length = 0;
    expect((await app.testClient().get('/missing')).status).toBe(404);
    expect(order).toEqual(['before 1', 'before 2', 'after 2', 'after 1', 'teardown 2', 'teardown 1']);
  });

  it('let the first before-hook that returns a value answer instead of the view', async () => {
    const app = newApp();
    let viewRan = false;
    app.beforeRequest((req) => (req.args.get('token') ? undefined : ['denied', 403]));
    app.beforeRequest(() => {
      throw new Error('not reached when the first answers');
    });
    app.get('/', () => {
      viewRan = true;
      return 'secret';
    });
    const response = await app.testClient().get('/');
    expect([response.status, response.text, viewRan]).toEqual([403, 'denied', false]);
  });

  it('run every teardown hook after an error, and collect their errors', async () => {
    const app = newApp({ TESTING: false, PROPAGATE_EXCEPTIONS: false });
    const seen: unknown[] = [];
    app.teardownRequest((error) => {
      seen.push(error instanceof Error ? error.message : error);
    });
    app.teardownRequest(() => {
      throw new Error('teardown A');
    });
    app.teardownRequest(() => {
      throw new Error('teardown B');
    });
    app.get('/boom', () => {
      throw new Error('view failed');
    });
    const error = await quietly(() =>
      app
        .testClient()
        .get('/boom')
        .then(
          () => null,
          (e: unknown) => e,
        ),
    );
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['teardown B', 'teardown A']);
    expect(seen).toEqual(['view failed']);
  });
});

describe('error handlers', () => {
  it('are found by code, then by class hierarchy', async () => {
    const app = newApp();
    class PaymentError extends Error {}
    class CardDeclined extends PaymentError {}
    app.errorHandler(404, (e: NotFound) => [`no page (${e.status})`, 404]);
    app.errorHandler(HTTPError, (e: HTTPError) => [`generic ${e.status}`, e.status]);
    app.errorHandler(PaymentError, (e: Error) => [`payment: ${e.constructor.name}`, 402]);
    app.get('/declined', () => {
      throw new CardDeclined();
    });
    app.get('/forbidden', () => abort(403));
    const client = app.testClient();
    expect((await client.get('/nope')).text).toBe('no page (404)');
    expect((await client.get('/forbidden')).text).toBe('generic 403');
    const declined = await client.get('/declined');
    expect([declined.status, declined.text]).toEqual([402, 'payment: CardDeclined']);
  });

  it("answer abort(response) with that response, no error handler run, after-hooks still run (Flask's abort)", async () => {
    const app = newApp();
    const handled: string[] = [];
    app.errorHandler(HTTPError, (e: HTTPError) => {
      handled.push(String(e.status));
      return ['handled', 500];
    });
    app.afterRequest((r: Response) => {
      r.headers.set('X-After', 'yes');
      return r;
    });
    app.get('/teapot', async () => abort(await makeResponse('custom', 418)));
    app.get('/slow', () => abort(new Response('Slow down', { status: 429, headers: { 'Retry-After': '60' } })));
    app.get('/fetch', () => abort(new globalThis.Response('from fetch', { status: 409 })));
    const client = app.testClient();
    const teapot = await client.get('/teapot');
    expect([teapot.status, teapot.text, teapot.headers.get('X-After')]).toEqual([418, 'custom', 'yes']);
    const slow = await client.get('/slow');
    expect([slow.status, slow.text, slow.headers.get('Retry-After')]).toEqual([429, 'Slow down', '60']);
    const fetched = await client.get('/fetch');
    expect([fetched.status, fetched.text]).toEqual([409, 'from fetch']);
    expect(handled).toEqual([]);
  });

  it('turn an unhandled error into a 500 for the 500 handler, and still run after-hooks', async () => {
    const app = newApp({ TESTING: false });
    let afterRan = false;
    // Flask's name for the original error, e.original_exception, and cause.
    app.errorHandler(500, (e: InternalServerError) => [
      `sorry: ${(e.originalException as Error).message} ${e.cause === e.originalException}`,
      500,
    ]);
    app.afterRequest((r: Response) => {
      afterRan = true;
      return r;
    });
    app.get('/boom', () => {
      throw new Error('database down');
    });
    const response = await quietly(() => app.testClient().get('/boom'));
    expect([response.status, response.text, afterRan]).toEqual([500, 'sorry: database down true', true]);
  });

  it("release the view's streamed body when an after-hook or the session save fails", async () => {
    for (const failing of ['after-hook', 'session save', 'after-hook, propagated'] as const) {
      const app = newApp({ TESTING: failing === 'after-hook, propagated', SECRET_KEY: 'k' });
      let destroyed = false;
      app.get('/stream', () => {
        session.seen = true;
        return new Readable({
          read() {
            this.push('never sent');
          },
          destroy(error, done) {
            destroyed = true;
            done(error);
          },
        });
      });
      if (failing === 'session save') {
        const cookies = app.sessionInterface;
        app.sessionInterface = {
          openSession: (a, r) => cookies.openSession(a, r),
          saveSession: () => {
            throw new Error('store down');
          },
        };
      } else {
        app.afterRequest(() => {
          throw new Error('hook failed');
        });
      }
      const answered = quietly(() => app.testClient().get('/stream'));
      if (failing === 'after-hook, propagated') await expect(answered).rejects.toThrow('hook failed');
      else expect((await answered).status).toBe(500);
      expect([failing, destroyed]).toEqual([failing, true]);
    }
  });

  it('answer the plain 500 page without a handler, and propagate with TESTING', async () => {
    const plain = newApp({ TESTING: false });
    plain.get('/boom', () => {
      throw new Error('secret detail');
    });
    const response = await quietly(() => plain.testClient().get('/boom'));
    expect(response.status).toBe(500);
    expect(response.text).toContain('<h1>Internal Server Error</h1>');
    expect(response.text).not.toContain('secret detail');
    const testing = newApp();
    testing.get('/boom', () => {
      throw new Error('see me in the test');
    });
    await expect(testing.testClient().get('/boom')).rejects.toThrow('see me in the test');
  });
});

describe('urlFor', () => {
  it('builds relative URLs inside a request, absolute when asked', async () => {
    const app = newApp();
    app.get('/users/<int:id>', function user() {
      return 'u';
    });
    app.get('/', () =>
      [urlFor('user', { id: 3, tab: 'posts' }), urlFor('user', { id: 3 }, { external: true, anchor: 'top' })].join(' '),
    );
    expect((await app.testClient().get('/')).text).toBe('/users/3?tab=posts http://localhost/users/3#top');
  });

  it("takes Flask's underscore options among the values, as url_for('user', id=3, _external=True)", async () => {
    const app = newApp();
    app.get('/users/<int:id>', function user() {
      return 'u';
    });
    app.get('/', () =>
      [
        urlFor('user', { id: 3, _external: true, _anchor: 'top' }),
        urlFor('user', { id: 3, _scheme: 'https' }),
        app.urlFor('user', { id: 3, _anchor: 'a b' }, { anchor: 'given' }),
      ].join(' '),
    );
    // Flask's url_for for the same calls (python3, Flask 3.1); the option object, when given, wins. They were
    // query arguments before: /users/3?_external=true&_anchor=top.
    expect((await app.testClient().get('/')).text).toBe(
      'http://localhost/users/3#top https://localhost/users/3 /users/3#given',
    );
  });

  it('needs SERVER_NAME outside a request, and says so', () => {
    const app = newApp();
    app.get('/about', function about() {
      return 'a';
    });
    expect(() => app.urlFor('about')).toThrow(/without 'SERVER_NAME' configured/);
    app.config.fromObject({ SERVER_NAME: 'example.com', PREFERRED_URL_SCHEME: 'https', APPLICATION_ROOT: '/app' });
    expect(app.urlFor('about')).toBe('https://example.com/app/about');
  });

  it('applies urlDefaults and urlValuePreprocessor', async () => {
    const app = newApp();
    app.urlValuePreprocessor((_endpoint, values) => {
      g.lang = values.lang;
      delete values.lang;
    });
    app.urlDefaults((_endpoint, values) => {
      values.lang ??= g.lang;
    });
    app.get('/<lang>/page', function page(req) {
      return `${String(g.lang)} ${JSON.stringify(req.params)} ${urlFor('page')}`;
    });
    expect((await app.testClient().get('/de/page')).text).toBe('de {} /de/page');
  });
});

describe('the setup guard', () => {
  it('refuses setup after the first request, saying why', async () => {
    const app = newApp();
    app.get('/', () => 'x');
    await app.testClient().get('/');
    for (const late of [
      () => app.get('/late', () => 'x'),
      () => app.beforeRequest(() => undefined),
      () => app.errorHandler(404, () => 'x'),
    ]) {
      expect(late).toThrow(
        expect.objectContaining({
          code: 'FLAGON_ERR_SETUP_FINISHED',
          message: expect.stringMatching(/It has already handled its first request/),
        }),
      );
    }
  });
});

describe('bodies the App hands to the server', () => {
  it('close a sync-iterable body once, run teardown once, and keep request and g inside its iteration', async () => {
    const app = newApp();
    const seen: string[] = [];
    let closes = 0;
    class Chunked extends Response {
      override get gatewayApp(): GatewayApp {
        return (_environ, startResponse) => {
          startResponse('200 OK', [['Content-Type', 'text/plain']]);
          const body = (function* () {
            yield new TextEncoder().encode(`${request.path} `);
            yield new TextEncoder().encode(String(g.user));
          })();
          return Object.assign(body, {
            close: () => {
              closes++;
            },
          });
        };
      }
    }
    app.beforeRequest(() => {
      g.user = 'ada';
    });
    app.teardownRequest(() => {
      seen.push('teardown');
    });
    app.get('/sync', () => new Chunked());
    const response = await app.testClient().get('/sync');
    expect([response.text, closes, seen]).toEqual(['/sync ada', 1, ['teardown']]); // was: a RangeError, teardown twice
  });
});

describe('the request plan (which phases each endpoint goes through, kept after its first request)', () => {
  it("gives blueprint hooks to that blueprint's endpoints only, request after request", async () => {
    const app = newApp();
    const admin = new Blueprint('admin', import.meta.url, { urlPrefix: '/admin' });
    const seen: string[] = [];
    admin.beforeRequest(() => {
      seen.push('admin before');
    });
    admin.afterRequest((r) => {
      seen.push('admin after');
      return r;
    });
    admin.get('/', function home() {
      return 'admin';
    });
    app.get('/', function index() {
      return 'index';
    });
    app.get('/async', async function later() {
      await Promise.resolve();
      return `${request.path} ${currentApp.name}`;
    });
    app.registerBlueprint(admin);
    const client = app.testClient();
    for (let i = 0; i < 2; i++) {
      expect((await client.get('/')).text).toBe('index');
      expect((await client.get('/admin/')).text).toBe('admin');
      expect((await client.get('/async')).text).toBe('/async lifecycle');
      expect((await client.get('/missing')).status).toBe(404);
    }
    expect(seen).toEqual(['admin before', 'admin after', 'admin before', 'admin after']);
  });

  it('sends an error raised by a plain view (no hooks) to its error handler', async () => {
    const app = newApp();
    app.errorHandler(418, () => ['short and stout', 418]);
    app.get('/', () => abort(418));
    for (let i = 0; i < 2; i++) expect((await app.testClient().get('/')).text).toBe('short and stout');
  });

  it('reads request limits from the config at each request, so a change applies to the next one', async () => {
    const app = newApp();
    app.post('/echo', async (req) => `${(await req.bytes()).byteLength}`);
    const client = app.testClient();
    expect((await client.post('/echo', { data: 'x'.repeat(100) })).text).toBe('100');
    app.config.MAX_CONTENT_LENGTH = 10;
    expect((await client.post('/echo', { data: 'x'.repeat(100) })).status).toBe(413);
  });
});

describe('makeResponse', () => {
  it('turns a TSGI app into a Response inside a request, so its headers can be changed', async () => {
    const app = newApp();
    const hello: GatewayApp = (_environ, startResponse) => {
      startResponse('202 Accepted', [['Content-Type', 'text/plain']]);
      return [new TextEncoder().encode('from an app')];
    };
    app.get('/', async () => {
      const response = await makeResponse(hello);
      response.headers.set('X-Wrapped', 'yes');
      return response;
    });
    const response = await app.testClient().get('/');
    expect([
      response.status,
      response.text,
      response.headers.get('x-wrapped'),
      response.headers.get('content-type'),
    ]).toEqual([202, 'from an app', 'yes', 'text/plain']);
  });
});

describe('the pipeline at its edges (found by review; each failed before)', () => {
  it('answers a session store that fails on the short branch through the error handlers, as the async path does', async () => {
    const app = newApp({ SECRET_KEY: 'k', TESTING: false });
    app.sessionInterface = {
      openSession() {
        throw new SessionUnavailable('the test store is down: start it');
      },
      saveSession() {},
    };
    app.errorHandler(503, () => ['sessions are down', 503]);
    app.get('/', () => 'plain view, no hooks');
    const response = await quietly(() => app.testClient().get('/', { headers: { Cookie: 'session=abc' } }));
    expect([response.status, response.text]).toEqual([503, 'sessions are down']);
  });

  it('serves a view replaced through viewFunctions after the first request', async () => {
    const app = newApp();
    app.get('/', function index() {
      return 'old';
    });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('old');
    app.viewFunctions.set('index', () => 'new');
    expect((await client.get('/')).text).toBe('new');
  });

  it('runs the teardown hooks once when the server refuses the answer (a status startResponse does not take)', async () => {
    const app = newApp({ TESTING: false });
    let teardowns = 0;
    app.teardownRequest(() => {
      teardowns++;
    });
    app.get('/', () => ['x', 600]);
    const refusing: StartResponse = (status) => {
      throw new TypeError(`no final status: ${status}`);
    };
    await expect(Promise.resolve().then(() => app.gatewayApp(createEnviron('/'), refusing))).rejects.toThrow(
      /no final status/,
    );
    expect(teardowns).toBe(1);
  });

  it("closes a streamed body inside the request context, so a generator's finally can read request", async () => {
    const app = newApp();
    const seen: string[] = [];
    app.get('/stream', () =>
      (function* () {
        try {
          yield 'a';
          yield 'b';
        } finally {
          seen.push(request.path);
        }
      })(),
    );
    const body = (await app.gatewayApp(createEnviron('/stream'), () => () => undefined)) as Iterable<string> & {
      close(): Promise<void>;
    };
    const iterator = body[Symbol.iterator]();
    expect(iterator.next().value).toBe('a');
    // The client went away after the first chunk: the server closes the body without finishing it.
    await body.close();
    expect(seen).toEqual(['/stream']);
  });

  it('runs teardown-request hooks before the request is closed and teardown-appcontext after (Flask 3.1)', async () => {
    const app = newApp();
    const order: string[] = [];
    app.teardownRequest(() => {
      order.push('teardown request');
    });
    app.teardownAppcontext(() => {
      order.push('teardown appcontext');
    });
    app.post('/upload', async (req) => {
      const form = await req.form();
      const close = req.close.bind(req);
      req.close = async () => {
        order.push('request closed');
        await close();
      };
      return String(form.get('a'));
    });
    const multipart = [
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n',
      '--b\r\nContent-Disposition: form-data; name="f"; filename="f.txt"\r\nContent-Type: text/plain\r\n\r\nx\r\n',
      '--b--\r\n',
    ].join('');
    const headers = { 'Content-Type': 'multipart/form-data; boundary=b' };
    const response = await app.testClient().post('/upload', { data: multipart, headers });
    expect(response.text).toBe('1');
    expect(order).toEqual(['teardown request', 'request closed', 'teardown appcontext']);
  });

  it('applies MAX_COOKIE_SIZE to the response an after-request hook returns', async () => {
    const app = newApp({ MAX_COOKIE_SIZE: 10 });
    const warnings: string[] = [];
    app.afterRequest(() => {
      const fresh = new Response('replaced');
      fresh.setCookie('big', 'x'.repeat(50));
      return fresh;
    });
    app.get('/', () => 'view');
    const warn = process.emitWarning;
    process.emitWarning = ((message: string | Error) => {
      warnings.push(String(message));
    }) as typeof process.emitWarning;
    try {
      await app.testClient().get('/');
    } finally {
      process.emitWarning = warn;
    }
    expect(warnings.join('\n')).toMatch(/big/);
  });
});

describe('a TSGI app returned by a view', () => {
  it('has its body closed when it never starts a response, or fails before it does', async () => {
    const app = newApp({ TESTING: false });
    const closed: string[] = [];
    const never: GatewayApp = () => Object.assign(['x'], { close: () => void closed.push('never') });
    const failing: GatewayApp = () =>
      Object.assign(
        {
          [Symbol.iterator]: () => ({
            next(): IteratorResult<string> {
              throw new Error('the body failed before startResponse');
            },
          }),
        },
        { close: () => void closed.push('failing') },
      );
    app.get('/never', () => never);
    app.get('/failing', () => failing);
    const client = app.testClient();
    expect((await quietly(() => client.get('/never'))).status).toBe(500);
    expect((await quietly(() => client.get('/failing'))).status).toBe(500);
    expect(closed).toEqual(['never', 'failing']);
  });
});
