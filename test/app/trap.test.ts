/** TRAP_HTTP_EXCEPTIONS and TRAP_BAD_REQUEST_ERRORS, as Flask 3.1's trap_http_exception (each case checked against it). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abort, App, BadRequest, FlagonError, HTTPError, type InternalServerError, MethodNotAllowed } from 'flagon';
import { DEFAULT_CONFIG } from 'flagon/app';
import { RequestRedirect } from 'flagon/routing';

afterEach(() => vi.restoreAllMocks());

/** An app whose 500 handler names the error it was given, so a test sees what was trapped. */
function newApp(config: Record<string, unknown>): App {
  const app = new App(import.meta.url, { config: { PROPAGATE_EXCEPTIONS: false, ...config }, staticFolder: null });
  vi.spyOn(app.logger, 'error').mockImplementation(() => undefined); // the 500 path logs; keep the test output clean
  app.get('/abort404', function abort404() {
    return abort(404);
  });
  app.get('/abort400', function abort400() {
    return abort(400);
  });
  app.post('/json', async function json(req) {
    return JSON.stringify(await req.json());
  });
  app.get('/dir/', function dir() {
    return 'dir';
  });
  app.post('/post', function post() {
    return 'posted';
  });
  app.errorHandler(404, () => ['handled404', 404]);
  app.errorHandler(500, (error) => [
    `handled500 ${((error as InternalServerError).cause as Error).constructor.name}`,
    500,
  ]);
  return app;
}

async function statuses(app: App): Promise<string[]> {
  const client = app.testClient();
  const answers = [
    await client.get('/abort404'),
    await client.get('/abort400'),
    await client.post('/json', { data: '{bad', headers: { 'Content-Type': 'application/json' } }),
    await client.get('/nope'),
    await client.get('/dir'),
    await client.get('/post'),
  ];
  return answers.map((r) => (r.status === 404 || r.status === 500 ? `${r.status} ${r.text}` : String(r.status)));
}

describe('TRAP_HTTP_EXCEPTIONS and TRAP_BAD_REQUEST_ERRORS', () => {
  it('default to false and null, as in Flask', () => {
    expect([DEFAULT_CONFIG.TRAP_HTTP_EXCEPTIONS, DEFAULT_CONFIG.TRAP_BAD_REQUEST_ERRORS]).toEqual([false, null]);
    expect(() => new App(import.meta.url, { config: { TRAP_HTTP_EXCEPTIONS: 'yes' } })).toThrow(FlagonError);
    expect(() => new App(import.meta.url, { config: { TRAP_BAD_REQUEST_ERRORS: 1 } })).toThrow(
      /TRAP_BAD_REQUEST_ERRORS/,
    );
  });

  it('trap nothing by default: each HTTP error is its own page', async () => {
    expect(await statuses(newApp({}))).toEqual(['404 handled404', '400', '400', '404 handled404', '308', '405']);
  });

  it('TRAP_HTTP_EXCEPTIONS sends every HTTP error to the 500 path, unless a handler is registered for it', async () => {
    expect(await statuses(newApp({ TRAP_HTTP_EXCEPTIONS: true }))).toEqual([
      '404 handled404',
      '500 handled500 BadRequest',
      '500 handled500 BadRequest',
      '404 handled404',
      '500 handled500 RequestRedirect',
      '500 handled500 MethodNotAllowed',
    ]);
  });

  it('TRAP_BAD_REQUEST_ERRORS traps BadRequest and its subclasses only', async () => {
    expect(await statuses(newApp({ TRAP_BAD_REQUEST_ERRORS: true }))).toEqual([
      '404 handled404',
      '500 handled500 BadRequest',
      '500 handled500 BadRequest',
      '404 handled404',
      '308',
      '405',
    ]);
  });

  it('traps nothing in debug mode when TRAP_BAD_REQUEST_ERRORS is null (Flagon has no BadRequestKeyError), or false', async () => {
    const plain = ['404 handled404', '400', '400', '404 handled404', '308', '405'];
    expect(await statuses(newApp({ DEBUG: true }))).toEqual(plain);
    expect(await statuses(newApp({ DEBUG: true, TRAP_BAD_REQUEST_ERRORS: false }))).toEqual(plain);
  });

  it('hands a trapped error to a handler of its class, and traps errors raised in before-request hooks', async () => {
    const app = newApp({ TRAP_HTTP_EXCEPTIONS: true });
    app.beforeRequest((req) => {
      if (req.path === '/hook') abort(403);
    });
    app.errorHandler(HTTPError, (error) => [`generic ${(error as HTTPError).status}`, 418]);
    const client = app.testClient();
    expect((await client.get('/abort400')).text).toBe('generic 400');
    expect((await client.get('/hook')).text).toBe('generic 403');
    expect((await client.get('/abort404')).text).toBe('handled404'); // by status code before class, as Flask's lookup
  });

  it('lets a trapped error out of the test client with TESTING, after the teardown hooks saw it', async () => {
    const app = new App(import.meta.url, { config: { TESTING: true, TRAP_HTTP_EXCEPTIONS: true }, staticFolder: null });
    const seen: unknown[] = [];
    app.teardownRequest((error) => {
      seen.push(error);
    });
    app.get('/abort400', function abort400() {
      return abort(400);
    });
    app.get('/dir/', function dir() {
      return 'dir';
    });
    const client = app.testClient();
    const raised = await client.get('/abort400').catch((error: unknown) => error);
    expect(raised).toBeInstanceOf(BadRequest);
    expect(seen).toEqual([raised]);
    await expect(client.get('/dir')).rejects.toBeInstanceOf(RequestRedirect);
    await expect(client.post('/dir/')).rejects.toBeInstanceOf(MethodNotAllowed);
  });
});
