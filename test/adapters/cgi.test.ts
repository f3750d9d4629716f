/**
 * runCgi: a TSGI app as a CGI script. In process, with the CGI environment and stdin/stdout given as values; then
 * examples/cgi/ served by a real lighttpd (mod_cgi) over HTTP on 127.0.0.1, installed by .ci/install-system-deps.sh.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, cpSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from 'flagon';
import { runCgi, type CgiOptions } from 'flagon/adapters';
import type { Environ, GatewayApp } from 'flagon/gateway';
import { makeProject, REPO } from '../helpers/dev-server.js';
import { fetchRaw, freePort } from '../helpers/http.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Runs `app` as CGI with the given meta-variables and stdin; returns stdout as text, stderr, and the exit status. */
async function cgi(
  app: GatewayApp,
  env: Record<string, string>,
  stdin: Uint8Array[] = [],
): Promise<{ out: string; log: string; status: number }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  let log = '';
  const options: CgiOptions = {
    env: {
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '/cgi-bin/app.cgi',
      PATH_INFO: '/',
      QUERY_STRING: '',
      SERVER_NAME: 'example.org',
      SERVER_PORT: '80',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: '192.0.2.1',
      ...env,
    },
    stdin: (async function* () {
      yield* stdin;
    })(),
    stdout,
    stderr: {
      write: (text: string) => {
        log += text;
      },
    },
  };
  const status = await runCgi(app, options);
  return { out: Buffer.concat(chunks).toString('latin1'), log, status };
}

/** Answers with the environ keys a CGI request sets, and the body it read. */
const inspect: GatewayApp = async (environ, startResponse) => {
  let body = '';
  for await (const chunk of environ['tsgi.input']) body += Buffer.from(chunk).toString();
  const keys = [
    'REQUEST_METHOD',
    'SCRIPT_NAME',
    'PATH_INFO',
    'QUERY_STRING',
    'REQUEST_URI',
    'CONTENT_TYPE',
    'CONTENT_LENGTH',
    'SERVER_NAME',
    'SERVER_PORT',
    'REMOTE_ADDR',
    'HTTP_X_TOKEN',
    'REMOTE_USER',
    'tsgi.url_scheme',
    'tsgi.run_once',
  ];
  startResponse('200 OK', [['Content-Type', 'application/json']]);
  return [bytes(JSON.stringify({ ...Object.fromEntries(keys.map((key) => [key, environ[key]])), body }))];
};

const parse = (out: string): { head: string; body: unknown } => {
  const [head, body] = out.split('\r\n\r\n');
  return { head: head!, body: JSON.parse(body!) };
};

describe('runCgi in process', () => {
  it('reads a header value the server passed that could not be sent (non-latin-1): a 200, not a 500', async () => {
    // Node reads CGI variables as UTF-8, so a header's bytes arrive as '€'; Request.headers threw the TypeError that
    // guards what is sent, for any view (and CSRF) that read a header. Werkzeug's EnvironHeaders reads it.
    const app = new App(import.meta.url, { staticFolder: null });
    app.get('/', (req) => `${req.headers.get('X-A')} ${req.headers.has('x-a')}`);
    const { out, status } = await cgi(app.gatewayApp, { HTTP_X_A: '€ ✓' });
    expect(status).toBe(0);
    expect(out.split('\r\n')[0]).toBe('Status: 200 OK');
    expect(Buffer.from(out.split('\r\n\r\n')[1]!, 'latin1').toString()).toBe('€ ✓ true');
  });

  it('builds the environ from the meta-variables and reads exactly CONTENT_LENGTH bytes of stdin', async () => {
    const { out, status } = await cgi(
      inspect,
      {
        REQUEST_METHOD: 'POST',
        PATH_INFO: '/users/7',
        QUERY_STRING: 'a=1&b=%20',
        CONTENT_TYPE: 'text/plain',
        CONTENT_LENGTH: '11',
        HTTP_X_TOKEN: 'abc',
        REMOTE_USER: 'ada',
        HTTPS: 'on',
        SERVER_PORT: '443',
        PATH: '/usr/bin',
        HOME: '/root',
      },
      [bytes('hello '), bytes('world, and bytes past the length')],
    );
    expect(status).toBe(0);
    expect(parse(out).body).toEqual({
      REQUEST_METHOD: 'POST',
      SCRIPT_NAME: '/cgi-bin/app.cgi',
      PATH_INFO: '/users/7',
      QUERY_STRING: 'a=1&b=%20',
      REQUEST_URI: '/cgi-bin/app.cgi/users/7?a=1&b=%20',
      CONTENT_TYPE: 'text/plain',
      CONTENT_LENGTH: '11',
      SERVER_NAME: 'example.org',
      SERVER_PORT: '443',
      REMOTE_ADDR: '192.0.2.1',
      HTTP_X_TOKEN: 'abc',
      REMOTE_USER: 'ada',
      'tsgi.url_scheme': 'https',
      'tsgi.run_once': true,
      body: 'hello world',
    });
  });

  it('writes Status, the headers, a Content-Length for a list body, a blank line and the body', async () => {
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('201 Created', [
        ['Content-Type', 'text/plain'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ]);
      return [bytes('made '), bytes('it')];
    };
    expect((await cgi(app, {})).out).toBe(
      'Status: 201 Created\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 7\r\n\r\nmade it',
    );
  });

  it('streams a generator body, and sends no body for HEAD, closing it once', async () => {
    let closed = 0;
    let started = 0;
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      const chunks = (async function* () {
        started++;
        yield bytes('a');
        yield bytes('');
        yield bytes('b');
      })();
      return Object.assign(chunks, {
        close: () => {
          closed++;
        },
      });
    };
    expect((await cgi(app, {})).out).toBe('Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nab');
    expect((await cgi(app, { REQUEST_METHOD: 'HEAD' })).out).toBe('Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n');
    expect([closed, started]).toEqual([2, 1]); // HEAD with the headers known reads nothing, and still closes
    const list: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', []);
      return [bytes('12345')];
    };
    expect((await cgi(list, { REQUEST_METHOD: 'HEAD' })).out).toBe('Status: 200 OK\r\nContent-Length: 5\r\n\r\n');
  });

  it('answers 500 and logs the error when the app fails before its headers, or sends a header that splits the response', async () => {
    const failing: GatewayApp = () => {
      throw new Error('the database is down');
    };
    const failed = await cgi(failing, {});
    expect(failed.status).toBe(1);
    expect(failed.out).toBe(
      'Status: 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\n\r\nInternal Server Error\n',
    );
    expect(failed.log).toMatch(/Error in the CGI app for GET \/cgi-bin\/app\.cgi\/:\nError: the database is down/);
    const splitting: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['X-Evil', 'a\r\nSet-Cookie: owned=1']]);
      return [];
    };
    const refused = await cgi(splitting, {});
    expect(refused.out).toMatch(/^Status: 500 Internal Server Error\r\n/);
    expect(refused.out).not.toContain('owned');
    expect(refused.log).toContain('holds CR, LF, NUL');
  });

  it('lets the app replace its status with excInfo until the first byte', async () => {
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/html']]);
      return (function* () {
        try {
          throw new Error('template failed');
        } catch (error) {
          startResponse('503 Service Unavailable', [['Content-Type', 'text/plain']], error);
          yield bytes('later');
        }
      })();
    };
    expect((await cgi(app, {})).out).toBe('Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nlater');
  });

  it('fails the request when stdin ends before CONTENT_LENGTH bytes', async () => {
    const { out, log, status } = await cgi(inspect, { REQUEST_METHOD: 'POST', CONTENT_LENGTH: '100' }, [
      bytes('short'),
    ]);
    expect([status, out.split('\r\n')[0]]).toEqual([1, 'Status: 500 Internal Server Error']);
    expect(log).toContain('the request body ended after 5 of its 100 bytes');
  });

  it('keeps a client Proxy header out of process.env (httpoxy) and in the environ', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '',
      PATH_INFO: '/',
      SERVER_NAME: 'x',
      SERVER_PORT: '80',
      HTTP_PROXY: 'http://evil.example:1',
    });
    try {
      let seen: unknown[] = [];
      const app: GatewayApp = (environ: Environ, startResponse) => {
        seen = [environ.HTTP_PROXY, process.env.HTTP_PROXY];
        startResponse('204 No Content', []);
        return [];
      };
      const stdout = new PassThrough();
      await runCgi(app, { stdout, stdin: [], stderr: { write: () => true } });
      expect(seen).toEqual(['http://evil.example:1', undefined]);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});

/** lighttpd, from PATH or where Debian puts it; installed by the project's script when missing and we may. */
function findLighttpd(): string | null {
  const look = (): string | null => {
    for (const candidate of [
      ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'lighttpd')),
      '/usr/sbin/lighttpd',
    ]) {
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        /* not here */
      }
    }
    return null;
  };
  if (look() === null) spawnSync(join(REPO, '.ci/install-system-deps.sh'), { stdio: 'ignore', timeout: 300_000 });
  return look();
}

const LIGHTTPD = findLighttpd();
if (LIGHTTPD === null) {
  console.warn(
    'test/adapters/cgi.test.ts: lighttpd is not installed and could not be (not root?); the CGI server tests are skipped. Run: sudo .ci/install-system-deps.sh',
  );
}

describe.skipIf(LIGHTTPD === null)('examples/cgi/ under lighttpd (mod_cgi)', () => {
  // The example copied into a project of its own, as a user would have it: package.json says ESM, tsx is installed,
  // and tsconfig.json points 'flagon' at this checkout's src/ (as test/cli/app-commands.test.ts does).
  const project = makeProject({
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        paths: { flagon: [join(REPO, 'src/index.ts')], 'flagon/*': [join(REPO, 'src/*/index.ts')] },
      },
    }),
    'htdocs/index.html': 'static page\n',
  });
  let server: ChildProcess | null = null;
  let base = '';
  let log = '';

  beforeAll(async () => {
    cpSync(join(REPO, 'examples/cgi'), join(project.dir, 'cgi-bin'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules/tsx'), join(project.dir, 'node_modules/tsx'), 'dir');
    // Another process may take the free port between our probe and lighttpd's bind: then try another.
    for (let attempt = 0; attempt < 3 && server === null; attempt++) {
      const port = await freePort();
      writeFileSync(
        join(project.dir, 'lighttpd.conf'),
        [
          `server.document-root = "${project.dir}/htdocs"`,
          'server.bind = "127.0.0.1"',
          `server.port = ${port}`,
          'server.modules = ("mod_alias", "mod_cgi", "mod_setenv")',
          `alias.url = ("/cgi-bin/" => "${project.dir}/cgi-bin/")`,
          '$HTTP["url"] =~ "^/cgi-bin/" { cgi.assign = (".cgi" => "") }',
          // CGI scripts get the request's variables and little else: the wrapper needs PATH to find node.
          `setenv.add-environment = ("PATH" => "${join(process.execPath, '..')}:/usr/bin:/bin")`,
          '',
        ].join('\n'),
      );
      const child = spawn(LIGHTTPD!, ['-D', '-f', join(project.dir, 'lighttpd.conf')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const started = await new Promise<boolean>((resolve) => {
        const onData = (chunk: Buffer): void => {
          log += chunk.toString();
          if (log.includes('server started')) resolve(true);
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', () => resolve(false));
      });
      if (started) {
        server = child;
        base = `http://127.0.0.1:${port}/cgi-bin/app.cgi`;
      } else if (!log.includes('Address already in use')) {
        throw new Error(`lighttpd did not start:\n${log}`);
      }
    }
    if (server === null) throw new Error(`lighttpd found no free port in three tries:\n${log}`);
  }, 60_000);

  afterAll(async () => {
    const child = server;
    if (child !== null && child.exitCode === null) {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        process.kill(child.pid!, 'SIGTERM');
      });
    }
    project.remove();
  });

  it('answers a route with URLs built under the script name, and a redirect that stays there', async () => {
    const user = await fetchRaw(`${base}/users/7?x=1`);
    expect(user.status).toBe(200);
    expect(JSON.parse(user.text)).toEqual({ id: 7, url: '/cgi-bin/app.cgi/users/7', https: false });
    expect(user.headers['content-length']).toBe(String(user.body.byteLength));
    const moved = await fetchRaw(`${base}/latest`);
    expect([moved.status, moved.headers.location]).toEqual([302, '/cgi-bin/app.cgi/users/1']);
    const missing = await fetchRaw(`${base}/nowhere`);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Not Found');
  }, 30_000);

  it('escapes the query, reads a form body of several pipe reads, and answers HEAD without a body', async () => {
    const page = await fetchRaw(`${base}/?name=%3Cb%3EAda`);
    expect(page.text).toBe('<h1>Hello, &lt;b&gt;Ada!</h1>\n<p>Served from /cgi-bin/app.cgi</p>\n');
    const name = 'x'.repeat(200_000);
    const echoed = await fetchRaw(`${base}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `name=${name}`,
    });
    expect(JSON.parse(echoed.text)).toEqual({
      method: 'POST',
      name,
      length: 200_005,
      type: 'application/x-www-form-urlencoded',
    });
    const [get, head] = [await fetchRaw(`${base}/`), await fetchRaw(`${base}/`, { method: 'HEAD' })];
    expect([head.status, head.body.byteLength, head.headers['content-length']]).toEqual([
      200,
      0,
      String(get.body.byteLength),
    ]);
  }, 30_000);

  it('passes the request headers and the client address through', async () => {
    const seen = await fetchRaw(`${base}/headers`, { headers: { 'User-Agent': 'cgi-test/1' } });
    expect(JSON.parse(seen.text)).toEqual({ agent: 'cgi-test/1', remote: '127.0.0.1', host: new URL(base).host });
  }, 30_000);
});
