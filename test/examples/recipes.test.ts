/** The recipes of docs/coming-from-flask.md, run as a user would run them. */
import { describe, expect, it } from 'vitest';
import { app } from '../../examples/recipes/login-required.js';

describe('the loginRequired recipe', () => {
  it('redirects a visitor to the login page with next=, in the wrapper and the decorator form', async () => {
    const client = app.testClient();
    // Flask's url_for writes the same: / and ? stay, = and & of the inner query are quoted.
    for (const [path, next] of [
      ['/dashboard?tab=1', '/dashboard?tab%3D1'],
      ['/admin', '/admin'],
    ]) {
      const response = await client.get(path!);
      expect([response.status, response.headers.get('Location')]).toEqual([302, `/login?next=${next}`]);
    }
  });

  it("runs the view once the visitor has logged in, and keeps the view's name as the endpoint", async () => {
    const client = app.testClient();
    const login = await client.post('/login?next=/admin');
    expect([login.status, login.headers.get('Location')]).toEqual([302, '/admin']);
    expect((await client.get('/admin')).text).toBe('Admin page');
    expect((await client.get('/dashboard')).text).toBe('Dashboard of user 7');
    expect(
      app.router.rules
        .map((rule) => rule.endpoint)
        .filter((e) => e !== 'static')
        .sort(),
    ).toEqual(['admin', 'dashboard', 'doLogin', 'login']);
  });
});
