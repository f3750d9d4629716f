/**
 * Port of Flask's tests/test_logging.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to Flagon. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt. One `it` per upstream test. Flask's `app` fixture is named `flask_test`, so the app here is
 * too. `app.logger` is a Python `logging.Logger` in Flask, with levels, handlers and propagation; in Flagon it is a
 * `Logger` (flagon/app) that writes `[time] LEVEL in <app name>: message` to standard error, debug lines only when
 * DEBUG: the rows about Python's logging tree are N/A, and what a log line says is read from `process.stderr`.
 * Flask's `client.get('/', errors_stream=stream)` is the request's `tsgi.errors` environ key.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from 'flagon';
import { collectingStream, type TestResponse } from 'flagon/testing';
import { stderrOf } from '../helpers/stderr.js';

/** Flask's `app` fixture: `Flask("flask_test")`, TESTING, a secret key. */
function flaskTestApp(): App {
  return new App(import.meta.url, {
    name: 'flask_test',
    config: { TESTING: true, SECRET_KEY: 'test key' },
    staticFolder: null,
  });
}

describe('flask tests/test_logging.py', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('test_logger (name)', () => {
    const app = flaskTestApp();
    expect(app.logger.name).toBe('flask_test');
  });

  // N/A: app.logger.level == logging.NOTSET and app.logger.handlers == [default_handler]: Python's logging levels
  // and handlers; Flagon's Logger has neither.
  it.skip('test_logger (level and handlers)', () => {});

  it('test_logger_debug', async () => {
    // app.logger.level == logging.DEBUG once app.debug is set: Flagon's logger writes debug lines only when DEBUG.
    const app = flaskTestApp();
    expect(await stderrOf(() => app.logger.debug('quiet'))).toBe('');
    app.config.DEBUG = true;
    expect(await stderrOf(() => app.logger.debug('loud'))).toMatch(/DEBUG in flask_test: loud\n$/);
  });

  // N/A: `assert app.logger.handlers == [default_handler]` in test_logger_debug: Python's logging handlers.
  it.skip('test_logger_debug (handlers)', () => {});

  // N/A: no default handler once logging.root has one: Python's logging tree (handlers on the root logger).
  it.skip('test_existing_handler', () => {});

  // app.logger writes to the current request's tsgi.errors, as Flask's default handler to `wsgi_errors_stream`
  // (standard error outside a request), so a server's or test's error stream gets the app's log lines.
  it('test_wsgi_errors_stream', async () => {
    const app = flaskTestApp();
    app.route('/', {}, function index() {
      app.logger.error('test');
      return '';
    });
    const stream = collectingStream();
    // Flask's line names the module that logged (test_logging); Flagon's names the app.
    await stderrOf(() => app.testClient().get('/', { environ: { 'tsgi.errors': stream } }));
    expect(stream.text).toMatch(/ERROR in \S+: test/);
  });

  it('test_wsgi_errors_stream (outside a request: standard error)', async () => {
    // `wsgi_errors_stream._get_current_object() is sys.stderr` outside a request: the part Flagon shares.
    const app = flaskTestApp();
    expect(await stderrOf(() => app.logger.error('test'))).toMatch(/ERROR in flask_test: test\n$/);
  });

  // N/A: has_level_handler(logging.getLogger("flask.app")): Python's logging tree (propagation, handler levels).
  it.skip('test_has_level_handler', () => {});

  // As test_wsgi_errors_stream: the exception is logged to the request's tsgi.errors (Flask's errors_stream).
  it('test_log_view_exception', async () => {
    const app = flaskTestApp();
    app.route('/', {}, function index() {
      throw new Error('test');
    });
    app.config.TESTING = false;
    const stream = collectingStream();
    let rv: TestResponse | undefined;
    await stderrOf(async () => {
      rv = await app.testClient().get('/', { environ: { 'tsgi.errors': stream } });
    });
    expect(rv?.status).toBe(500);
    expect(rv?.body.length).toBeGreaterThan(0);
    const err = stream.text;
    expect(err).toContain('Exception on / [GET]');
    // Python's `Exception: test` is JavaScript's `Error: test` (the stack's first line).
    expect(err).toContain('Error: test');
  });

  it('test_log_view_exception (on standard error)', async () => {
    const app = flaskTestApp();
    app.route('/', {}, function index() {
      throw new Error('test');
    });
    app.config.TESTING = false;
    let rv: TestResponse | undefined;
    const err = await stderrOf(async () => {
      rv = await app.testClient().get('/');
    });
    expect(rv?.status).toBe(500);
    expect(rv?.body.length).toBeGreaterThan(0);
    expect(err).toContain('Exception on / [GET]');
    expect(err).toContain('Error: test');
  });
});
