/** The debug middleware in-process: the page, escaping, errors in streamed bodies, the Host check, and its absence outside debug mode. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { App } from 'flagon';
import { debuggedApp, isLocalHost, renderDebugPage, stackFrames } from '../../src/dev/index.js';
import { createEnviron, runApp } from '../../src/testing/index.js';

function appWithErrors(debug: boolean): App {
  const app = new App(import.meta.url, { name: 'debugged', staticFolder: null, config: { DEBUG: debug } });
  app.get('/sync', () => {
    throw new TypeError('<img src=x onerror=alert(1)>');
  });
  app.get('/async', async () => {
    await Promise.resolve();
    throw new Error('late', { cause: new RangeError('the cause') });
  });
  app.get('/stream', () =>
    // biome-ignore lint/correctness/useYield: a generator that fails before its first chunk is the point
    (async function* () {
      throw new Error('before the first chunk');
    })(),
  );
  app.get('/ok', () => 'fine');
  return app;
}

describe('debuggedApp', () => {
  const app = appWithErrors(true);
  const debugged = debuggedApp(app.gatewayApp);

  it('renders a 500 page with the escaped message and the stack, for sync and async errors', async () => {
    const sync = await runApp(debugged, createEnviron('/sync', { errors: { write() {}, flush() {} } }));
    expect(sync.status).toBe('500 Internal Server Error');
    expect(sync.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(sync.text).not.toContain('<img src=x');
    expect(sync.text).toContain('TypeError');
    expect(sync.text).toMatch(/debug-page\.test\.ts:\d+/);
    const late = await runApp(debugged, createEnviron('/async', { errors: { write() {}, flush() {} } }));
    expect(late.status).toBe('500 Internal Server Error');
    expect(late.text).toContain('Caused by RangeError');
    expect(late.text).toContain('the cause');
  });

  it('replaces the headers of a body that fails before its first chunk', async () => {
    const result = await runApp(debugged, createEnviron('/stream', { errors: { write() {}, flush() {} } }));
    expect(result.status).toBe('500 Internal Server Error');
    expect(result.text).toContain('before the first chunk');
  });

  it('passes good responses through, and refuses foreign Hosts with a 400', async () => {
    expect((await runApp(debugged, createEnviron('/ok'))).text).toBe('fine');
    const foreign = await runApp(debugged, createEnviron('/ok', { headers: { Host: 'rebind.example' } }));
    expect(foreign.status).toBe('400 Bad Request');
    expect(isLocalHost('localhost:5000')).toBe(true);
    expect(isLocalHost('app.localhost')).toBe(true);
    expect(isLocalHost('127.0.0.1:80')).toBe(true);
    expect(isLocalHost('[::1]:5000')).toBe(true);
    expect(isLocalHost('127.0.0.1.nip.io')).toBe(false);
    expect(isLocalHost('myhost:5000', ['myhost'])).toBe(true);
  });

  it('is absent outside debug mode: the App answers its plain 500 page, no stack, no source', async () => {
    const quiet = appWithErrors(false);
    quiet.logger.error = () => undefined;
    const client = quiet.testClient();
    const response = await client.get('/sync');
    expect(response.status).toBe(500);
    expect(response.text).toContain('<title>500 Internal Server Error</title>');
    expect(response.text).not.toContain('onerror');
    expect(response.text).not.toContain('debug-page.test.ts');
  });
});

describe('renderDebugPage and stackFrames', () => {
  it('reads the source lines around a frame and marks the current one', () => {
    const error = new Error('here');
    const [frame] = stackFrames(error);
    expect(frame!.file).toMatch(/debug-page\.test\.ts$/);
    expect(frame!.kind).toBe('app');
    expect(frame!.source.find((line) => line.current)?.text).toContain("new Error('here')");
  });

  it("takes a syntax error's location from esbuild's message", () => {
    const error = new Error(
      `Transform failed with 1 error:\n${new URL(import.meta.url).pathname}:3:5: ERROR: Expected ";"`,
    );
    const [frame] = stackFrames(error);
    expect(frame).toMatchObject({ line: 3, column: 5, fn: '(where the code fails to parse)' });
    expect(frame!.source.some((line) => line.current)).toBe(true);
  });

  it("counts a library in Flagon's own node_modules (a checkout's) as a library, not as app code", () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const error = new Error('from a library');
    error.stack = `Error: from a library\n    at callWrap (${root}node_modules/nunjucks/src/runtime.js:213:11)\n    at view (${root}src/app/app.ts:1:1)`;
    expect(stackFrames(error).map((frame) => frame.kind)).toEqual(['library', 'framework']);
  });

  it('escapes non-Error values too', () => {
    expect(renderDebugPage('<b>thrown string</b>', null)).toContain('&quot;&lt;b&gt;thrown string&lt;/b&gt;&quot;');
  });
});
