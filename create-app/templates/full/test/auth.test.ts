import { describe, expect } from 'vitest';
import { formToken, test, withDb } from './fixtures.js';

describe('register', () => {
  test('shows the form, then creates the user and sends them to log in', async ({ app, client }) => {
    expect((await client.get('/auth/register')).status).toBe(200);
    const token = await formToken(client, '/auth/register');
    const response = await client.post('/auth/register', { form: { csrf_token: token, username: 'a', password: 'a' } });
    expect(response.headers.get('Location')).toBe('/auth/login');
    const user = withDb(app, (db) => db.get('SELECT * FROM user WHERE username = ?', ['a']));
    expect(user?.password).toMatch(/^scrypt:/); // stored hashed, never as typed
  });

  test.for([
    ['', '', 'Username is required.'],
    ['a', '', 'Password is required.'],
    ['test', 'test', 'User test is already registered.'],
  ] as const)('refuses username %j with password %j: %s', async ([username, password, message], { client }) => {
    const token = await formToken(client, '/auth/register');
    const response = await client.post('/auth/register', { form: { csrf_token: token, username, password } });
    expect(response.text).toContain(message);
  });

  test('needs the CSRF token', async ({ client }) => {
    expect((await client.post('/auth/register', { form: { username: 'a', password: 'a' } })).status).toBe(400);
  });
});

describe('login', () => {
  test('logs in and shows the user on every page', async ({ client, auth }) => {
    expect((await client.get('/auth/login')).status).toBe(200);
    const response = await auth.login();
    expect(response.headers.get('Location')).toBe('/');
    const home = await client.get('/');
    expect(home.text).toContain('<span>test</span>');
    expect(home.text).toContain('Log Out');
    expect(await client.sessionTransaction((session) => session.userId)).toBe(1);
  });

  test.for([
    ['nobody', 'test'],
    ['test', 'wrong'],
  ] as const)(
    'refuses username %j with password %j, without saying which was wrong',
    async ([username, password], { auth }) => {
      const response = await auth.login(username, password);
      expect(response.status).toBe(200);
      expect(response.text).toContain('Incorrect username or password.');
    },
  );
});

test('logout forgets the user', async ({ client, auth }) => {
  await auth.login();
  const response = await auth.logout();
  expect(response.headers.get('Location')).toBe('/');
  expect(await client.sessionTransaction((session) => session.userId)).toBeUndefined();
  expect((await client.get('/')).text).toContain('Log In');
});
