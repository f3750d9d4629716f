/** Flask's tutorial: tests/test_auth.py. */
import { describe, expect } from 'vitest';
import { g, session } from 'flagon';
import { test, withDb } from './conftest.js';

test('register', async ({ client, app }) => {
  // Viewing the page renders without template errors.
  expect((await client.get('/auth/register')).status).toBe(200);

  // A successful registration redirects to the login page.
  const response = await client.post('/auth/register', { form: { username: 'a', password: 'a' } });
  expect(response.headers.get('Location')).toBe('/auth/login');

  // The user was inserted into the database, with a hash of the password.
  const user = withDb(app, (db) => db.get("SELECT * FROM user WHERE username = 'a'")) as { password: string } | null;
  expect(user?.password).toMatch(/^scrypt:32768:8:1\$/);
});

describe('register validates its input', () => {
  test.for([
    ['', '', 'Username is required.'],
    ['a', '', 'Password is required.'],
    ['test', 'test', 'User test is already registered.'],
  ])('%j %j: %s', async ([username, password, message], { client }) => {
    const response = await client.post('/auth/register', { form: { username: username!, password: password! } });
    expect(response.status).toBe(200);
    expect(response.text).toContain(`<div class="flash">${message}</div>`);
  });
});

test('login', async ({ client, auth }) => {
  // Viewing the page renders without template errors.
  expect((await client.get('/auth/login')).status).toBe(200);

  // A successful login redirects to the index page.
  const response = await auth.login();
  expect(response.headers.get('Location')).toBe('/');

  // The login put the user id in the session, and the next request loads the user from it.
  await client.context(async () => {
    await client.get('/');
    expect(session.userId).toBe(1);
    expect(g.user?.username).toBe('test');
  });
});

describe('login validates its input', () => {
  test.for([
    ['a', 'test', 'Incorrect username.'],
    ['test', 'a', 'Incorrect password.'],
  ])('%j %j: %s', async ([username, password, message], { auth }) => {
    const response = await auth.login(username, password);
    expect(response.text).toContain(`<div class="flash">${message}</div>`);
  });
});

test('logout', async ({ client, auth }) => {
  await auth.login();
  await client.context(async () => {
    const response = await auth.logout();
    expect(response.headers.get('Location')).toBe('/');
    expect(session.userId).toBeUndefined();
  });
});
