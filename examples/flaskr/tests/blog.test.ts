/** Flask's tutorial: tests/test_blog.py. */
import { describe, expect } from 'vitest';
import { test, withDb } from './conftest.js';

test('index', async ({ client, auth }) => {
  let response = await client.get('/');
  expect(response.text).toContain('Log In');
  expect(response.text).toContain('Register');

  await auth.login();
  response = await client.get('/');
  expect(response.text).toContain('test title');
  expect(response.text).toContain('by test on 2018-01-01');
  expect(response.text).toContain('test\nbody');
  expect(response.text).toContain('href="/1/update"');
});

describe('login is required', () => {
  test.for(['/create', '/1/update', '/1/delete'])('POST %s', async (path, { client, app }) => {
    const response = await client.post(path);
    expect([response.status, response.headers.get('Location')]).toEqual([302, '/auth/login']);
    expect(withDb(app, (db) => db.get('SELECT title FROM post WHERE id = 1'))).toEqual({ title: 'test title' });
  });
});

test('only the author may change a post', async ({ app, client, auth }) => {
  // Change the post's author to another user.
  withDb(app, (db) => db.run('UPDATE post SET author_id = 2 WHERE id = 1'));

  await auth.login();
  // The current user can't modify another user's post…
  expect((await client.post('/1/update')).status).toBe(403);
  expect((await client.post('/1/delete')).status).toBe(403);
  // …and doesn't see the edit link.
  expect((await client.get('/')).text).not.toContain('href="/1/update"');
});

describe('the post must exist', () => {
  test.for(['/2/update', '/2/delete'])('POST %s', async (path, { client, auth }) => {
    await auth.login();
    const response = await client.post(path);
    expect(response.status).toBe(404);
    expect(response.text).toContain('Post id 2 doesn&#39;t exist.');
  });
});

test('create', async ({ client, auth, app }) => {
  await auth.login();
  expect((await client.get('/create')).status).toBe(200);
  const response = await client.post('/create', { form: { title: 'created', body: '' } });
  expect(response.headers.get('Location')).toBe('/');

  expect(withDb(app, (db) => db.get('SELECT COUNT(id) AS count FROM post'))).toEqual({ count: 2 });
  expect((await client.get('/')).text).toMatch(/<h1>created<\/h1>[\s\S]*<h1>test title<\/h1>/); // newest first
});

test('update', async ({ client, auth, app }) => {
  await auth.login();
  expect((await client.get('/1/update')).status).toBe(200);
  await client.post('/1/update', { form: { title: 'updated', body: '' } });

  expect(withDb(app, (db) => db.get('SELECT title FROM post WHERE id = 1'))).toEqual({ title: 'updated' });
});

describe('create and update validate their input', () => {
  test.for(['/create', '/1/update'])('POST %s', async (path, { client, auth }) => {
    await auth.login();
    const response = await client.post(path, { form: { title: '', body: 'kept <b>as typed</b>' } });
    expect(response.text).toContain('Title is required.');
    expect(response.text).toContain('<textarea name="body" id="body">kept &lt;b&gt;as typed&lt;/b&gt;</textarea>');
  });
});

test('delete', async ({ client, auth, app }) => {
  await auth.login();
  const response = await client.post('/1/delete');
  expect(response.headers.get('Location')).toBe('/');

  expect(withDb(app, (db) => db.get('SELECT * FROM post WHERE id = 1'))).toBeNull();
});
