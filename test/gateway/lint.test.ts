import { describe, expect, it } from 'vitest';
import {
  LINT_RULES,
  LintError,
  lint,
  type Body,
  type Environ,
  type GatewayApp,
  type LintRule,
  type StartResponse,
} from 'flagon/gateway';
import { createEnviron, runApp } from 'flagon/testing';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const ok: GatewayApp = (_environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return [bytes('ok')];
};
/** A well-behaved server: Flagon's in-process runner. */
const viaRunApp = (app: GatewayApp, environ: Environ = createEnviron('/')) => runApp(lint(app), environ);
/** A server that does only what the test says, to show lint catching servers too. */
const noopStart: StartResponse = () => () => {};
const callLinted = async (
  app: GatewayApp,
  start: StartResponse = noopStart,
  environ: Environ = createEnviron('/'),
): Promise<Body> => lint(app)(environ, start);
const drain = (body: Body): void => {
  for (const _ of body as Iterable<Uint8Array>) {
    /* read all */
  }
};

function environWith(change: (environ: Record<string, unknown>) => void): Environ {
  const environ = createEnviron('/');
  change(environ as unknown as Record<string, unknown>);
  return environ;
}

const cases: Array<[LintRule, string, () => Promise<unknown>]> = [
  ['environ.type', 'the server passes null', async () => lint(ok)(null as unknown as Environ, noopStart)],
  [
    'environ.missing-key',
    'REQUEST_URI is missing',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          delete e.REQUEST_URI;
        }),
      ),
  ],
  [
    'environ.not-string',
    'SERVER_PORT is a number',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.SERVER_PORT = 80;
        }),
      ),
  ],
  [
    'environ.method',
    'the method has a space',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.REQUEST_METHOD = 'GE T';
        }),
      ),
  ],
  [
    'environ.query-string',
    'QUERY_STRING keeps the "?"',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.QUERY_STRING = '?a=1';
        }),
      ),
  ],
  [
    'environ.content-length',
    'CONTENT_LENGTH is not digits',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.CONTENT_LENGTH = '12a';
        }),
      ),
  ],
  [
    'environ.server-port',
    'SERVER_PORT is a word',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.SERVER_PORT = 'http';
        }),
      ),
  ],
  [
    'environ.protocol',
    'SERVER_PROTOCOL lacks the slash',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.SERVER_PROTOCOL = 'HTTP1.1';
        }),
      ),
  ],
  [
    'environ.paths',
    'PATH_INFO without a leading slash',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.PATH_INFO = 'users';
        }),
      ),
  ],
  [
    'environ.paths',
    'SCRIPT_NAME ending in a slash',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.SCRIPT_NAME = '/app/';
        }),
      ),
  ],
  [
    'environ.paths',
    'SCRIPT_NAME and PATH_INFO both empty',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.PATH_INFO = '';
        }),
      ),
  ],
  [
    'environ.header-key',
    'HTTP_CONTENT_TYPE instead of CONTENT_TYPE',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.HTTP_CONTENT_TYPE = 'text/plain';
        }),
      ),
  ],
  [
    'environ.header-key',
    'a lower-case HTTP_ key',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e.HTTP_x_token = '1';
        }),
      ),
  ],
  [
    'environ.tsgi-version',
    'version 2.0',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e['tsgi.version'] = [2, 0];
        }),
      ),
  ],
  [
    'environ.url-scheme',
    'the scheme ftp',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e['tsgi.url_scheme'] = 'ftp';
        }),
      ),
  ],
  [
    'environ.input',
    'input as a string',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e['tsgi.input'] = 'body';
        }),
      ),
  ],
  [
    'environ.errors',
    'errors without flush()',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e['tsgi.errors'] = { write() {} };
        }),
      ),
  ],
  [
    'environ.flags',
    'run_once as a string',
    () =>
      viaRunApp(
        ok,
        environWith((e) => {
          e['tsgi.run_once'] = 'no';
        }),
      ),
  ],
  [
    'input.chunk',
    'the server yields strings from tsgi.input',
    async () => {
      const environ = environWith((e) => {
        e['tsgi.input'] = (async function* () {
          yield 'text';
        })();
      });
      return viaRunApp(async (env, start) => {
        for await (const _ of env['tsgi.input']) {
          /* read */
        }
        return ok(env, start);
      }, environ);
    },
  ],
  [
    'input.read-twice',
    'the app reads tsgi.input twice',
    () =>
      viaRunApp(async (env, start) => {
        for await (const _ of env['tsgi.input']) {
          /* first read */
        }
        for await (const _ of env['tsgi.input']) {
          /* second read */
        }
        return ok(env, start);
      }),
  ],
  [
    'errors.write',
    'the app writes a number to tsgi.errors',
    () =>
      viaRunApp((env, start) => {
        env['tsgi.errors'].write(42 as unknown as string);
        return ok(env, start);
      }),
  ],
  [
    'start-response.status',
    'a status without a reason',
    () =>
      viaRunApp((_e, start) => {
        start('200', []);
        return [];
      }),
  ],
  [
    'start-response.status',
    'a 1xx status',
    () =>
      viaRunApp((_e, start) => {
        start('100 Continue', []);
        return [];
      }),
  ],
  [
    'start-response.status',
    'a number as status',
    () =>
      viaRunApp((_e, start) => {
        start(200 as unknown as string, []);
        return [];
      }),
  ],
  [
    'start-response.headers',
    'headers as an object',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', { 'Content-Type': 'text/plain' } as never);
        return [];
      }),
  ],
  [
    'start-response.headers',
    'a header value that is a number',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', [['Content-Length', 5 as unknown as string]]);
        return [];
      }),
  ],
  [
    'start-response.header-name',
    'a header name with a space',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', [['Bad Name', 'x']]);
        return [];
      }),
  ],
  [
    'start-response.header-value',
    'a header value with CR LF',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', [['X-A', 'a\r\nSet-Cookie: x=1']]);
        return [];
      }),
  ],
  [
    'start-response.header-value',
    'a header value beyond latin-1',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', [['X-A', '€']]);
        return [];
      }),
  ],
  [
    'start-response.hop-by-hop',
    'the app sends Connection',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', [['Connection', 'close']]);
        return [];
      }),
  ],
  [
    'start-response.twice',
    'startResponse twice without excInfo',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', []);
        start('500 Oops', []);
        return [];
      }),
  ],
  [
    'start-response.rethrow',
    'a server that ignores excInfo after the headers went out',
    async () => {
      const body = await callLinted(function* (_e: Environ, start: StartResponse) {
        start('200 OK', []);
        yield bytes('partial');
        start('500 Internal Server Error', [], new Error('boom'));
      } as unknown as GatewayApp);
      drain(body);
    },
  ],
  [
    'start-response.write',
    'a server whose startResponse returns nothing',
    () => callLinted(ok, (() => undefined) as unknown as StartResponse),
  ],
  [
    'write.chunk',
    'write() with a number',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', [])(42 as unknown as Uint8Array);
        return [];
      }),
  ],
  [
    'write.after-return',
    'write() from inside the body',
    () =>
      viaRunApp((_e, start) => {
        const write = start('200 OK', []);
        return (function* () {
          write(bytes('late'));
          yield bytes('');
        })();
      }),
  ],
  [
    'app.result',
    'the app returns a string',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', []);
        return 'hello' as unknown as Body;
      }),
  ],
  [
    'app.result',
    'the app returns bytes without a list',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', []);
        return bytes('hello') as unknown as Body;
      }),
  ],
  [
    'app.result',
    'an async app resolves to undefined',
    () =>
      viaRunApp(async (_e, start) => {
        start('200 OK', []);
        return undefined as unknown as Body;
      }),
  ],
  [
    'body.chunk',
    'the body yields a number',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', []);
        return [42] as unknown as Body;
      }),
  ],
  ['body.before-start', 'a chunk before startResponse', () => viaRunApp(() => [bytes('early')])],
  ['body.no-start', 'an empty body and no startResponse', () => viaRunApp(() => [])],
  [
    'body.forbidden',
    'a 204 with bytes',
    () =>
      viaRunApp((_e, start) => {
        start('204 No Content', []);
        return [bytes('x')];
      }),
  ],
  [
    'body.content-length',
    'fewer bytes than Content-Length',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', [['Content-Length', '5']]);
        return [bytes('abc')];
      }),
  ],
  [
    'body.content-length',
    'more bytes than Content-Length',
    () =>
      viaRunApp((_e, start) => {
        start('200 OK', [['Content-Length', '2']]);
        return [bytes('abc')];
      }),
  ],
  [
    'server.iterate-twice',
    'a server that iterates the body twice',
    async () => {
      const body = await callLinted(ok);
      drain(body);
      drain(body);
    },
  ],
  [
    'server.iterate-after-close',
    'a server that reads after close()',
    async () => {
      const body = await callLinted(ok);
      await body.close?.();
      drain(body);
    },
  ],
  [
    'server.close-twice',
    'a server that closes twice',
    async () => {
      const body = await callLinted(ok);
      drain(body);
      await body.close?.();
      await body.close?.();
    },
  ],
];

describe('lint()', () => {
  it.each(cases)('catches %s: %s', async (rule, _scenario, scenario) => {
    const error: unknown = await scenario().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LintError);
    const lintError = error as LintError;
    expect(lintError.rule).toBe(rule);
    expect(lintError.side).toBe(LINT_RULES[rule].side);
    expect(lintError.message).toContain(`docs/gateway.md §${LINT_RULES[rule].section}`);
    expect(lintError.message).toContain(`(${LINT_RULES[rule].side} side)`);
  });

  it('has a test for every rule it knows', () => {
    expect(new Set(cases.map(([rule]) => rule))).toEqual(new Set(Object.keys(LINT_RULES)));
  });

  it('passes correct apps of every shape', async () => {
    const asyncBody: GatewayApp = async (_e, start) => {
      start('200 OK', [
        ['Content-Type', 'text/plain'],
        ['Content-Length', '6'],
      ]);
      return (async function* () {
        yield bytes('abc');
        yield bytes('def');
      })();
    };
    const lazyStart: GatewayApp = (_e, start) =>
      (function* () {
        start('200 OK', []);
        yield bytes('lazy');
      })();
    const recovers: GatewayApp = (_e, start) => {
      start('200 OK', []);
      start(
        '500 Internal Server Error',
        [['Content-Type', 'text/plain']],
        new Error('caught before any byte went out'),
      );
      return [bytes('sorry')];
    };
    const withClose: GatewayApp = (_e, start) => {
      start('200 OK', []);
      return Object.assign([bytes('x')], { close() {} });
    };
    expect((await viaRunApp(asyncBody)).text).toBe('abcdef');
    expect((await viaRunApp(lazyStart)).text).toBe('lazy');
    expect((await viaRunApp(recovers)).status).toBe('500 Internal Server Error');
    expect((await viaRunApp(withClose)).text).toBe('x');
    // HEAD may declare the GET length without sending the bytes (RFC 9110 §9.3.2).
    const head = createEnviron('/', { method: 'HEAD' });
    expect(
      (
        await viaRunApp((_e, start) => {
          start('200 OK', [['Content-Length', '100']]);
          return [];
        }, head)
      ).statusCode,
    ).toBe(200);
  });

  it('lets a correct server rethrow excInfo once headers are out', async () => {
    const app = function* (_e: Environ, start: StartResponse) {
      start('200 OK', []);
      yield bytes('partial');
      start('500 Internal Server Error', [], new Error('boom'));
    } as unknown as GatewayApp;
    await expect(viaRunApp(app)).rejects.toThrow('boom');
  });
});
