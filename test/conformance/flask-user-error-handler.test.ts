/**
 * Port of Flask's tests/test_user_error_handler.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to Flagon. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt. Python's KeyError becomes a class of that name here, so "wrapped KeyError" reads the same;
 * Flask's `e.original_exception` is Flagon's `cause` of the InternalServerError given to a 500 handler.
 */
import { describe, expect, it } from 'vitest';
import { App, Blueprint, Forbidden, HTTPError, InternalServerError, NotFound, abort } from 'flagon';
import { flaskApp } from './support.js';

class KeyError extends Error {}

/** Flask's `report_error`: which error a handler got, and what it wraps. */
function reportError(e: unknown): string {
  const original = (e as { cause?: unknown }).cause;
  if (original !== undefined && original !== null) return `wrapped ${(original as object).constructor.name}`;
  return `direct ${(e as object).constructor.name}`;
}

describe('flask tests/test_user_error_handler.py', () => {
  it('test_error_handler_no_match', async () => {
    const app = flaskApp();
    class CustomException extends Error {}
    app.errorHandler(CustomException, function custom_exception_handler(e) {
      expect(e).toBeInstanceOf(CustomException);
      return 'custom';
    });
    // Python's ValueError for 999: a TypeError that says the same.
    expect(() => app.errorHandler(999, () => '')).toThrow(/Use a subclass of HTTPError/);
    app.errorHandler(500, function handle_500(e) {
      expect(e).toBeInstanceOf(InternalServerError);
      const original = (e as InternalServerError).cause;
      if (original !== undefined && original !== null) return `wrapped ${(original as object).constructor.name}`;
      return 'direct';
    });
    app.route('/custom', {}, function custom_test() {
      throw new CustomException();
    });
    app.route('/keyerror', {}, function key_error() {
      throw new KeyError();
    });
    app.route('/abort', {}, function do_abort() {
      abort(500);
    });
    app.config.TESTING = false;
    const client = app.testClient();
    expect((await client.get('/custom')).text).toBe('custom');
    expect((await client.get('/keyerror')).text).toBe('wrapped KeyError');
    expect((await client.get('/abort')).text).toBe('direct');
  });

  it('test_error_handler_no_match (bad keys)', () => {
    const app = flaskApp();
    class CustomException extends Error {}
    expect(() => app.errorHandler(new CustomException() as never, () => '')).toThrow(TypeError);
    expect(() => app.errorHandler(Array as never, () => '')).toThrow(/not a subclass of/);
  });

  it('test_error_handler_subclass', async () => {
    const app = flaskApp();
    class ParentException extends Error {}
    class ChildExceptionUnregistered extends ParentException {}
    class ChildExceptionRegistered extends ParentException {}
    app.errorHandler(ParentException, function parent_exception_handler(e) {
      expect(e).toBeInstanceOf(ParentException);
      return 'parent';
    });
    app.errorHandler(ChildExceptionRegistered, function child_exception_handler(e) {
      expect(e).toBeInstanceOf(ChildExceptionRegistered);
      return 'child-registered';
    });
    app.route('/parent', {}, function parent_test() {
      throw new ParentException();
    });
    app.route('/child-unregistered', {}, function unregistered_test() {
      throw new ChildExceptionUnregistered();
    });
    app.route('/child-registered', {}, function registered_test() {
      throw new ChildExceptionRegistered();
    });
    const c = app.testClient();
    expect((await c.get('/parent')).text).toBe('parent');
    expect((await c.get('/child-unregistered')).text).toBe('parent');
    expect((await c.get('/child-registered')).text).toBe('child-registered');
  });

  it('test_error_handler_http_subclass', async () => {
    const app = flaskApp();
    class ForbiddenSubclassRegistered extends Forbidden {}
    class ForbiddenSubclassUnregistered extends Forbidden {}
    app.errorHandler(403, function code_exception_handler(e) {
      expect(e).toBeInstanceOf(Forbidden);
      return 'forbidden';
    });
    app.errorHandler(ForbiddenSubclassRegistered, function subclass_exception_handler(e) {
      expect(e).toBeInstanceOf(ForbiddenSubclassRegistered);
      return 'forbidden-registered';
    });
    app.route('/forbidden', {}, function forbidden_test() {
      throw new Forbidden();
    });
    app.route('/forbidden-registered', {}, function registered_test() {
      throw new ForbiddenSubclassRegistered();
    });
    app.route('/forbidden-unregistered', {}, function unregistered_test() {
      throw new ForbiddenSubclassUnregistered();
    });
    const c = app.testClient();
    expect((await c.get('/forbidden')).text).toBe('forbidden');
    expect((await c.get('/forbidden-unregistered')).text).toBe('forbidden');
    expect((await c.get('/forbidden-registered')).text).toBe('forbidden-registered');
  });

  it('test_error_handler_blueprint', async () => {
    const app = flaskApp();
    const bp = new Blueprint('bp', import.meta.url);
    bp.errorHandler(500, function bp_exception_handler() {
      return 'bp-error';
    });
    bp.route('/error', {}, function bp_test() {
      throw new InternalServerError();
    });
    app.errorHandler(500, function app_exception_handler() {
      return 'app-error';
    });
    app.route('/error', {}, function app_test() {
      throw new InternalServerError();
    });
    app.registerBlueprint(bp, { urlPrefix: '/bp' });
    const c = app.testClient();
    expect((await c.get('/error')).text).toBe('app-error');
    expect((await c.get('/bp/error')).text).toBe('bp-error');
  });

  it('test_default_error_handler', async () => {
    const bp = new Blueprint('bp', import.meta.url);
    bp.errorHandler(HTTPError, function bp_exception_handler(e) {
      expect(e).toBeInstanceOf(HTTPError);
      expect(e).toBeInstanceOf(NotFound);
      return 'bp-default';
    });
    bp.errorHandler(Forbidden, function bp_forbidden_handler(e) {
      expect(e).toBeInstanceOf(Forbidden);
      return 'bp-forbidden';
    });
    bp.route('/undefined', {}, function bp_registered_test() {
      throw new NotFound();
    });
    bp.route('/forbidden', {}, function bp_forbidden_test() {
      throw new Forbidden();
    });
    const app = new App(import.meta.url, { staticFolder: null });
    app.errorHandler(HTTPError, function catchall_exception_handler(e) {
      expect(e).toBeInstanceOf(HTTPError);
      expect(e).toBeInstanceOf(NotFound);
      return 'default';
    });
    app.errorHandler(Forbidden, function catchall_forbidden_handler(e) {
      expect(e).toBeInstanceOf(Forbidden);
      return 'forbidden';
    });
    app.route('/forbidden', {}, function forbidden() {
      throw new Forbidden();
    });
    app.route('/slash/', {}, function slash() {
      return 'slash';
    });
    app.registerBlueprint(bp, { urlPrefix: '/bp' });
    const c = app.testClient();
    expect((await c.get('/bp/undefined')).text).toBe('bp-default');
    expect((await c.get('/bp/forbidden')).text).toBe('bp-forbidden');
    expect((await c.get('/undefined')).text).toBe('default');
    expect((await c.get('/forbidden')).text).toBe('forbidden');
    // The RequestRedirect that adds the slash is not handled.
    expect((await c.get('/slash', { followRedirects: true })).text).toBe('slash');
  });

  describe('TestGenericHandlers', () => {
    class Custom extends Error {}

    function genericApp(): App {
      const app = flaskApp({ PROPAGATE_EXCEPTIONS: false });
      app.route('/custom', {}, function do_custom() {
        throw new Custom();
      });
      app.route('/error', {}, function do_error() {
        throw new KeyError();
      });
      app.route('/abort', {}, function do_abort() {
        abort(500);
      });
      app.route('/raise', {}, function do_raise() {
        throw new InternalServerError();
      });
      return app;
    }

    // With TESTING (the fixture's) and PROPAGATE_EXCEPTIONS false, Flask handles the errors: Flagon reads the same keys.
    it('test_handle_class_or_code', async () => {
      for (const toHandle of [InternalServerError, 500] as const) {
        const app = genericApp();
        app.errorHandler(toHandle, function handle_500(e) {
          expect(e).toBeInstanceOf(InternalServerError);
          return reportError(e);
        });
        const client = app.testClient();
        expect((await client.get('/custom')).text).toBe('wrapped Custom');
        expect((await client.get('/error')).text).toBe('wrapped KeyError');
        expect((await client.get('/abort')).text).toBe('direct InternalServerError');
        expect((await client.get('/raise')).text).toBe('direct InternalServerError');
      }
    });

    it('test_handle_generic_http', async () => {
      const app = genericApp();
      app.errorHandler(HTTPError, function handle_http(e) {
        expect(e).toBeInstanceOf(HTTPError);
        return String((e as HTTPError).status);
      });
      const client = app.testClient();
      expect((await client.get('/error')).text).toBe('500');
      expect((await client.get('/abort')).text).toBe('500');
      expect((await client.get('/not-found')).text).toBe('404');
    });

    it('test_handle_generic', async () => {
      const app = genericApp();
      app.errorHandler(Error, function handle_exception(e) {
        return reportError(e);
      });
      const client = app.testClient();
      expect((await client.get('/custom')).text).toBe('direct Custom');
      expect((await client.get('/error')).text).toBe('direct KeyError');
      expect((await client.get('/abort')).text).toBe('direct InternalServerError');
      expect((await client.get('/not-found')).text).toBe('direct NotFound');
    });
  });
});
