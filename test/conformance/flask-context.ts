/**
 * Stand-ins for Flask's `app.test_request_context()` in the ports of Flask's test suite: Flagon has no request
 * context outside a request, so the code a Flask test runs inside `with app.test_request_context(...):` runs inside
 * a real request instead. Licence: see LICENSE-pallets.txt.
 */
import type { App } from 'flagon';
import type { TestRequestOptions } from 'flagon/testing';

type Pending = { fn: () => unknown; out?: { value: unknown } };
const pendingByApp = new WeakMap<App, { current: Pending | null }>();

/**
 * Runs `fn` inside a request to `path` (Flask's `with app.test_request_context(path):`) and returns what it returned
 * (or rejects with what it threw, the app being TESTING). `fn` runs in a before-request hook that then ends the
 * request, so `request.path`, `request.args` and `request.url` are those of `path`, routed or not, and no view runs.
 * Differences from Flask's test request context: the request goes through the test client (the session is saved,
 * teardown hooks run when it ends) and the app's own before-request hooks registered earlier run first. The hook is
 * added on the first call for an app, so make that call before the app's first other request.
 */
export async function inRequest<T>(
  app: App,
  fn: () => T | Promise<T>,
  path = '/',
  options: TestRequestOptions & { method?: string } = {},
): Promise<T> {
  let slot = pendingByApp.get(app);
  if (slot === undefined) {
    const created: { current: Pending | null } = { current: null };
    slot = created;
    pendingByApp.set(app, created);
    app.beforeRequest(async function testRequestContext() {
      const pending = created.current;
      if (pending === null) return undefined;
      created.current = null;
      pending.out = { value: await pending.fn() };
      return '';
    });
  }
  const pending: Pending = { fn };
  slot.current = pending;
  try {
    const rv = await app.testClient().open(options.method ?? 'GET', path, options);
    if (pending.out === undefined)
      throw new Error(`inRequest: the hook did not run (${rv.status} ${rv.text.slice(0, 200)})`);
  } finally {
    slot.current = null;
  }
  return pending.out.value as T;
}

/** What `promise` rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
