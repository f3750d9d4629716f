/** The request inspector in process: what the App records through the recorder, the pages, the link, the Host check. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { App, renderTemplate, session } from 'flagon';
import { RECORDER_KEY, RequestRecorder } from '../../src/app/request-recorder.js';
import { explainMatch } from '../../src/routing/explain.js';
import { Router } from 'flagon/routing';
import { attachProfile, inspector, run } from 'flagon/dev';
import { dispatcher, profiler } from 'flagon/middleware';
import { flameGraph } from '../../src/dev/inspector-flame.js';
import { fetchRaw } from '../helpers/http.js';
import type { GatewayApp } from 'flagon/gateway';
import { createEnviron, runApp, TestClient } from 'flagon/testing';

/** The JSON of a request's page, as far as these tests read it. */
interface Details {
  [key: string]: unknown;
  method: string;
  target: string;
  status: string;
  duration: string;
  match: { rule: string; endpoint: string; values: unknown[]; tried: Array<{ rule: string; outcome: string }> };
  steps: Array<{ kind: string; name: string }>;
  templates: Array<{ name: string; keys: string[]; allKeys: string[] }>;
  session: unknown[];
  environ: Array<{ key: string; source: string; value: string; appValue: string | null }>;
  timing: { bars: Array<{ label: string }> };
  flame: unknown;
}

function blogApp(): App {
  const folder = mkdtempSync(join(tmpdir(), 'flagon-inspector-'));
  mkdirSync(join(folder, 'templates'));
  writeFileSync(join(folder, 'templates', 'post.html'), '<html><body><h1>{{ title }}</h1><p>{{ n }}</p></body></html>');
  const app = new App(pathToFileURL(join(folder, 'app.js')).href, { name: 'blog', staticFolder: null });
  app.config.SECRET_KEY = 'inspector-test';
  app.config.TESTING = true;
  app.beforeRequest(function loadUser() {
    return undefined;
  });
  app.beforeRequest(async function countVisit() {
    const data = session as unknown as { visits?: number };
    data.visits = (data.visits ?? 0) + 1;
  });
  app.afterRequest(function addHeader(response) {
    response.headers.set('X-Seen', 'yes');
  });
  app.get('/', function index() {
    return 'home';
  });
  app.get('/posts/<int:id>', function showPost(req) {
    return renderTemplate('post.html', { title: 'A post', n: req.params.id });
  });
  return app;
}

async function json(gateway: GatewayApp, path: string): Promise<Details> {
  const response = await runApp(gateway, createEnviron(path));
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.text);
}

describe('the request inspector', () => {
  it('records the match, the rules tried, the hooks in order, the template, the session and timings', async () => {
    const gateway = inspector(blogApp().gatewayApp);
    const client = new TestClient({ gatewayApp: gateway });
    await client.get('/');
    const page = await client.get('/posts/7?x=1', { headers: { 'User-Agent': 'probe/1' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('X-Seen')).toBe('yes');

    const r = await json(gateway, '/__flagon__/2.json');
    expect(r.method).toBe('GET');
    expect(r.target).toBe('/posts/7?x=1');
    expect(r.status).toBe('200 OK');
    expect(r.match.rule).toBe('/posts/<int:id>');
    expect(r.match.endpoint).toBe('showPost');
    expect(r.match.values).toEqual([{ key: 'id', value: '7', type: 'number' }]);
    const tried = Object.fromEntries(r.match.tried.map((t) => [t.rule, t.outcome]));
    expect(tried['/posts/<int:id>']).toBe('matched');
    expect(tried['/']).toBe('no match');
    expect(r.steps.map((s) => `${s.kind}:${s.name}`)).toEqual([
      'before_request:loadUser',
      'before_request:countVisit',
      'view:showPost (showPost)',
      'after_request:addHeader',
    ]);
    expect(r.templates).toHaveLength(1);
    expect(r.templates[0]!.name).toBe('post.html');
    expect(r.templates[0]!.keys).toEqual(['n', 'title']);
    expect(r.templates[0]!.allKeys).toContain('session');
    // The first request set visits to 1 (its cookie came back), this one to 2.
    expect(r.session).toEqual([{ key: 'visits', before: '1', after: '2', change: 'changed' }]);
    const environ: Record<string, { source: string; value: string }> = Object.fromEntries(
      r.environ.map((e) => [e.key, e]),
    );
    expect(environ.PATH_INFO!.source).toBe('the request line');
    expect(environ.PATH_INFO!.value).toBe('/posts/7');
    expect(environ.HTTP_USER_AGENT!.source).toBe('the User-Agent header');
    expect(environ.REMOTE_ADDR!.source).toBe("the socket (the peer's address)");
    expect(environ['tsgi.version']!.source).toBe('the server');
    expect(environ[RECORDER_KEY]!.source).toBe('the request inspector');
    const labels = r.timing.bars.map((bar) => bar.label);
    expect(labels.slice(0, 6)).toEqual([
      'server → app',
      "tracing (the inspector's own cost)",
      'hooks',
      'view',
      'after hooks, session',
      'response started → body sent',
    ]);
    expect(labels).toContain('template: post.html');
    expect(r.duration).toMatch(/^\d+\.\d\d ms$/);
  });

  it('lists requests newest first, and does not record its own pages', async () => {
    const gateway = inspector(blogApp().gatewayApp);
    await runApp(gateway, createEnviron('/'));
    await runApp(gateway, createEnviron('/posts/3'));
    await runApp(gateway, createEnviron('/__flagon__/1'));
    const list = await runApp(gateway, createEnviron('/__flagon__/'));
    expect(list.header('Content-Security-Policy')).toContain("default-src 'none'");
    const targets = [...list.text.matchAll(/<td class="target"><a href="\/__flagon__\/(\d+)">([^<]*)</g)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(targets).toEqual(['2 /posts/3', '1 /']);
    const css = await runApp(gateway, createEnviron('/__flagon__/inspector.css'));
    expect(css.header('Content-Type')).toBe('text/css; charset=utf-8');
    expect((await runApp(gateway, createEnviron('/__flagon__'))).header('Location')).toBe('/__flagon__/');
    expect((await runApp(gateway, createEnviron('/__flagon__/99'))).statusCode).toBe(404);
  });

  it("renders a request's page with the sections, autoescaped", async () => {
    const gateway = inspector(blogApp().gatewayApp);
    await runApp(gateway, createEnviron('/posts/5', { headers: { 'X-Evil': '<script>alert(1)</script>' } }));
    const page = await runApp(gateway, createEnviron('/__flagon__/1'));
    expect(page.text).toContain('<code id="matched-rule">/posts/&lt;int:id&gt;</code>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('<svg class="timing"');
    expect(page.text).toContain('the X-Evil header');
  });

  it('shows what a middleware changed before the App got the environ', async () => {
    const mounted = dispatcher(
      (_environ, startResponse) => {
        startResponse('404 Not Found', []);
        return [];
      },
      { '/blog': blogApp().gatewayApp },
    );
    const gateway = inspector(mounted);
    expect((await runApp(gateway, createEnviron('/blog/posts/3'))).statusCode).toBe(200);
    const r = await json(gateway, '/__flagon__/1.json');
    const environ = Object.fromEntries(r.environ.map((e) => [e.key, e]));
    expect(environ.SCRIPT_NAME).toMatchObject({
      value: '',
      appValue: '/blog',
      source: 'the server; then changed by a middleware',
    });
    expect(environ.PATH_INFO).toMatchObject({ value: '/blog/posts/3', appValue: '/posts/3' });
    expect(environ.REQUEST_METHOD).toMatchObject({ appValue: null, source: 'the request line' });
    expect(r.match.rule).toBe('/posts/<int:id>');
  });

  it('keeps the last `size` requests', async () => {
    const gateway = inspector(blogApp().gatewayApp, { size: 2 });
    for (let i = 0; i < 3; i++) await runApp(gateway, createEnviron('/'));
    expect((await runApp(gateway, createEnviron('/__flagon__/1'))).statusCode).toBe(404);
    expect((await runApp(gateway, createEnviron('/__flagon__/3'))).statusCode).toBe(200);
  });

  it('puts a link into HTML pages before </body>, with Content-Length adjusted; not into other types', async () => {
    const gateway = inspector(blogApp().gatewayApp);
    const html = await runApp(gateway, createEnviron('/posts/1'));
    expect(html.text).toMatch(/<p>1<\/p><a id="flagon-inspector-link" href="\/__flagon__\/1"[^>]*>[^<]*<\/a><\/body>/);
    expect(Number(html.header('Content-Length'))).toBe(html.body.byteLength);
    // A string view answers text/html, but without </body> it is no page: left as it is.
    expect((await runApp(gateway, createEnviron('/'))).text).toBe('home');
    const json = await runApp(gateway, createEnviron('/__flagon__/1.json'));
    expect(json.text).not.toContain('flagon-inspector-link');
    const off = inspector(blogApp().gatewayApp, { link: false });
    expect((await runApp(off, createEnviron('/posts/1'))).text).not.toContain('flagon-inspector-link');
  });

  it('ends the record and closes the body when the server refuses a held-back HTML start', async () => {
    let closed = false;
    const page: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/html']]);
      return Object.assign(['<body>hi</body>'], { close: () => void (closed = true) });
    };
    const gateway = inspector(page);
    const refusing = () => {
      throw new Error('the server refused the start');
    };
    expect(() => gateway(createEnviron('/'), refusing)).toThrow('the server refused the start');
    await expect.poll(() => closed).toBe(true);
    const r = await json(gateway, '/__flagon__/1.json');
    expect(r.error).toBe('Error: the server refused the start');
    expect(r.duration).toMatch(/ ms$/);
  });

  it('answers its pages only to local Host names, as the debug page does', async () => {
    const gateway = inspector(blogApp().gatewayApp, { path: '/_inspect' });
    await runApp(gateway, createEnviron('/'));
    const foreign = await runApp(gateway, createEnviron('/_inspect/1', { host: 'evil.example' }));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.text).toContain("the Host 'evil.example' is not this machine");
    expect((await runApp(gateway, createEnviron('/_inspect/1', { host: 'localhost:5000' }))).statusCode).toBe(200);
  });

  it('records nothing and changes nothing for an App request without a recorder', async () => {
    // The signed session cookie carries the time in seconds: a clock that ticks between the two requests would make
    // their Set-Cookie values differ for a reason that has nothing to do with the recorder.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00Z') });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const app = blogApp();
    const plain = await runApp(app.gatewayApp, createEnviron('/posts/2'));
    expect(plain.text).not.toContain('flagon-inspector-link');
    const recorder = new RequestRecorder();
    const traced = await runApp(app.gatewayApp, createEnviron('/posts/2', { extra: { [RECORDER_KEY]: recorder } }));
    recorder.finish();
    expect(traced.text).toBe(plain.text);
    expect(traced.headers).toEqual(plain.headers);
    expect(recorder.match?.values).toEqual({ id: 2 });
  });
});

describe('explainMatch', () => {
  it('says what each rule made of a path', () => {
    const router = new Router();
    router.add('/users/<int:id>', { endpoint: 'user' });
    router.add('/users/<name>', { endpoint: 'byName', methods: ['POST'] });
    router.add('/docs/', { endpoint: 'docs' });
    const outcomes = (path: string) => explainMatch(router.rules, path, 'GET').map((t) => t.outcome);
    expect(outcomes('/users/7')).toEqual(['matched', 'method not allowed', 'no match']);
    expect(explainMatch(router.rules, '/users/7', 'GET')[0]!.values).toEqual({ id: 7 });
    expect(outcomes('/docs')).toEqual(['no match', 'no match', 'needs a trailing slash']);
  });
});

describe('the development server and the inspector', () => {
  const quiet = async <T>(fn: () => Promise<T>): Promise<T> => {
    const errors = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      return await fn();
    } finally {
      process.stderr.write = errors;
    }
  };

  it('serves it over HTTP in debug mode only, and not with inspector: false', async () => {
    for (const [options, expected] of [
      [{ debug: true }, 200],
      [{ debug: true, inspector: false }, 404],
      [{ debug: false }, 404],
      [{ debug: true, inspector: { path: '/_requests/' } }, 404],
    ] as const) {
      const app = blogApp();
      app.config.TESTING = false;
      const running = await run(app, { port: 0, reload: false, banner: false, log: false, ...options });
      try {
        await fetchRaw(`${running.url}/`);
        const list = await quiet(() => fetchRaw(`${running.url}/__flagon__/`));
        expect(list.status, JSON.stringify(options)).toBe(expected);
        if (expected === 200) expect(list.text).toContain('<td class="target"><a href="/__flagon__/1">/</a></td>');
        if ('inspector' in options && options.inspector)
          expect((await fetchRaw(`${running.url}/_requests/1`)).status).toBe(200);
      } finally {
        await running.close();
      }
    }
  });
});

describe('SERVER_PORT on a dev server asked for port 0', () => {
  it('is the port it is bound to, read off the socket, not 0', async () => {
    const app = blogApp();
    app.get('/port', (req) => String(req.environ.SERVER_PORT));
    const running = await run(app, { port: 0, debug: true, reload: false, banner: false, log: false });
    try {
      expect((await fetchRaw(`${running.url}/port`)).text).toBe(String(running.port));
      const json = JSON.parse((await fetchRaw(`${running.url}/__flagon__/1.json`)).text) as Details;
      const entry = json.environ.find((e) => e.key === 'SERVER_PORT')!;
      expect(entry.source).toBe('the socket (its local port)');
    } finally {
      await running.close();
    }
  });
});

describe('profiles in the inspector', () => {
  const frame = (functionName: string, url = 'file:///app/app.ts', lineNumber = 3) => ({
    functionName,
    scriptId: '1',
    url,
    lineNumber,
    columnNumber: 0,
  });

  it('draws a flame graph: each function as wide as its time on the stack, callees above callers', () => {
    const graph = flameGraph({
      nodes: [
        { id: 1, callFrame: frame('(root)', '', -1), children: [2, 4] },
        { id: 2, callFrame: frame('handle'), children: [3] },
        { id: 3, callFrame: frame('slowPart', 'file:///app/node_modules/lib/index.js') },
        { id: 4, callFrame: frame('(idle)', '', -1) },
      ],
      startTime: 0,
      endTime: 1000,
      // handle alone for 100 µs, slowPart for 300 µs, idle for 600 µs (left out)
      samples: [2, 3, 3, 3, 4, 4, 4, 4, 4, 4],
      timeDeltas: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
    });
    const box = (label: string) => graph.boxes.find((b) => b.label === label)!;
    expect(graph.totalMs).toBe(0.4);
    expect(box('(root)').width).toBe(1000);
    expect(box('handle').width).toBe(1000);
    expect(box('slowPart').width).toBe(750);
    expect(box('slowPart').y).toBeLessThan(box('handle').y); // drawn above its caller
    expect(box('slowPart').kind).toBe('lib');
    expect(box('handle').kind).toBe('app');
    expect(box('handle').title).toBe('handle app/app.ts:4: 0.40 ms (self 0.10 ms)');
    expect(graph.boxes.some((b) => b.label === '(idle)')).toBe(false);
    expect(graph.top[0]).toEqual({ name: 'slowPart', where: 'lib/index.js:4', selfMs: '0.30 ms', totalMs: '0.30 ms' });
  });

  it("shows a profiled request's flame graph, and two requests side by side", async () => {
    const app = blogApp();
    // A view that keeps the CPU busy for 5 ms: sampled every 100 µs, it cannot be missed.
    app.get('/busy/<int:n>', function busyView(req) {
      const until = performance.now() + 5;
      let spins = 0;
      while (performance.now() < until) spins++;
      return `${req.params.n}: ${spins > 0}`;
    });
    const profiled = profiler(app.gatewayApp, {
      stream: null,
      onProfile: (profile, _request, environ) => attachProfile(environ, profile),
    });
    const gateway = inspector(profiled);
    await runApp(gateway, createEnviron('/busy/1'));
    await runApp(gateway, createEnviron('/busy/2'));
    // The profile comes once the profiler has stopped, after the body's close: wait for it.
    await expect
      .poll(async () => (await json(gateway, '/__flagon__/2.json')).flame !== null, { timeout: 10_000 })
      .toBe(true);
    await expect.poll(async () => (await json(gateway, '/__flagon__/1.json')).flame !== null).toBe(true);
    const page = await runApp(gateway, createEnviron('/__flagon__/2'));
    expect(page.text).toContain('<svg class="flame"');
    // The root spans the whole width; source frames (TypeScript's, Flagon's or this file's) are named with their line.
    // Which functions the 100 µs sampler caught varies with the machine's load: no single one is asserted.
    expect(page.text).toMatch(
      /<title>\(root\): [\d.]+ ms \(self [\d.]+ ms\)<\/title>\s*<rect x="0" y="\d+" width="1000"/,
    );
    expect(page.text).toMatch(/<g class="fg app">\s*<title>[^<]+\.ts:\d+: [\d.]+ ms \(self [\d.]+ ms\)<\/title>/);
    expect(page.text).toContain('href="/__flagon__/compare?a=2&amp;b=1"');
    const compare = await runApp(gateway, createEnviron('/__flagon__/compare', { query: { a: '1', b: '2' } }));
    expect(compare.statusCode).toBe(200);
    expect(compare.text.match(/<svg class="flame"/g)).toHaveLength(2);
    expect(compare.text).toContain('<a href="/__flagon__/1">1</a>');
    expect((await runApp(gateway, createEnviron('/__flagon__/compare?a=1&b=77'))).statusCode).toBe(404);
  });

  it('says so when a profile has no CPU sample outside idle time, where it drew an empty graph', async () => {
    // What a request quicker than the sampling interval can leave on a loaded machine: idle samples only.
    const idleOnly = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
        { id: 2, callFrame: frame('(idle)', '', -1) },
      ],
      startTime: 0,
      endTime: 300,
      samples: [2, 2, 2],
      timeDeltas: [100, 100, 100],
    };
    expect(flameGraph(idleOnly).boxes).toEqual([]);
    const quick: GatewayApp = (environ, startResponse) => {
      attachProfile(environ, idleOnly);
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return ['quick'];
    };
    const gateway = inspector(quick);
    await runApp(gateway, createEnviron('/quick'));
    const page = await runApp(gateway, createEnviron('/__flagon__/1'));
    expect(page.statusCode).toBe(200);
    expect(page.text).toContain('This profile has no CPU samples outside idle time');
    expect(page.text).not.toContain('<svg class="flame"');
  });
});
