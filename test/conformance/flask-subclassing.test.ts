/**
 * Port of Flask's tests/test_subclassing.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to Flagon. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from 'flagon';
import { collectingStream, createEnviron, runApp } from 'flagon/testing';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('flask tests/test_subclassing.py', () => {
  it('test_suppressed_exception_logging', async () => {
    // Flask overrides Flask.log_exception in a subclass; Flagon logs an unhandled exception with app.logger.error,
    // so the app silences that instead. Flask's log goes to the request's wsgi.errors; Flagon's logger writes to
    // standard error, so both are checked.
    const app = new App(import.meta.url, { staticFolder: null });
    app.logger.error = () => {};
    app.route('/', {}, function index() {
      throw new Error('test');
    });
    const stderr = vi.spyOn(process.stderr, 'write');
    const out = collectingStream();
    const rv = await runApp(app.gatewayApp, createEnviron('/', { errors: out }));
    expect(rv.status).toMatch(/^500/);
    expect(new TextDecoder().decode(rv.body)).toContain('Internal Server Error');
    expect(out.text).toBe('');
    expect(stderr).not.toHaveBeenCalled();
  });
});
