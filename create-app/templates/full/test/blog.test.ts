import { describe, expect } from 'vitest';
import { formToken, test, withDb } from './fixtures.js';

const postCount = (app: Parameters<typeof withDb>[0]) =>
  withDb(app, (db) => db.get('SELECT COUNT(id) AS n FROM post')?.n);

test('the index lists the posts, with Edit links only for their author', async ({ client, auth }) => {
  let page = (await client.get('/')).text;
  expect(page).toContain('Log In');
  expect(page).toContain('Register');
  await auth.login();
  page = (await client.get('/')).text;
  expect(page).toContain('test title');
  expect(page).toContain('by test on 2018-01-01');
  expect(page).toContain('test body');
  expect(page).toContain('href="/1/update"');
});

describe.each(['/create', '/1/update', '/1/delete'])('%s', (path) => {
  test('sends a visitor who is not logged in to the login page', async ({ client }) => {
    const response = await client.post(path, { form: { csrf_token: await formToken(client) } });
    expect(response.headers.get('Location')).toBe('/auth/login');
  });
});

test.for(['/1/update', '/1/delete'])(
  '%s is forbidden to anyone but the author',
  async (path, { app, client, auth }) => {
    withDb(app, (db) => db.run('UPDATE post SET author_id = 2 WHERE id = 1'));
    await auth.login();
    expect((await client.post(path, { form: { csrf_token: await formToken(client) } })).status).toBe(403);
    expect((await client.get('/')).text).not.toContain('href="/1/update"');
  },
);

test.for(['/2/update', '/2/delete'])('%s is 404 for a post that does not exist', async (path, { client, auth }) => {
  await auth.login();
  expect((await client.post(path, { form: { csrf_token: await formToken(client) } })).status).toBe(404);
});

test('create adds a post', async ({ app, client, auth }) => {
  await auth.login();
  expect((await client.get('/create')).status).toBe(200);
  const response = await client.post('/create', {
    form: { csrf_token: await formToken(client, '/create'), title: 'created', body: '' },
  });
  expect(response.headers.get('Location')).toBe('/');
  expect(postCount(app)).toBe(2);
});

test('update changes a post', async ({ app, client, auth }) => {
  await auth.login();
  expect((await client.get('/1/update')).text).toContain('value="test title"');
  await client.post('/1/update', {
    form: { csrf_token: await formToken(client, '/1/update'), title: 'updated', body: '' },
  });
  expect(withDb(app, (db) => db.get('SELECT title FROM post WHERE id = 1'))).toEqual({ title: 'updated' });
});

test.for(['/create', '/1/update'])('%s needs a title, and keeps what was typed', async (path, { client, auth }) => {
  await auth.login();
  const response = await client.post(path, {
    form: { csrf_token: await formToken(client, path), title: ' ', body: 'kept <b>body</b>' },
  });
  expect(response.text).toContain('Title is required.');
  expect(response.text).toContain('kept &lt;b&gt;body&lt;/b&gt;'); // escaped: templates autoescape .html files
});

test('delete removes a post', async ({ app, client, auth }) => {
  await auth.login();
  const response = await client.post('/1/delete', { form: { csrf_token: await formToken(client, '/1/update') } });
  expect(response.headers.get('Location')).toBe('/');
  expect(postCount(app)).toBe(0);
});
