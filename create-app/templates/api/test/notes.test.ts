import { describe, expect } from 'vitest';
import { note, test } from './fixtures.js';

const PROBLEM = 'application/problem+json';

describe('the notes resource', () => {
  test('creates a note: 201, the note with its defaults, and its URL in Location', async ({ client }) => {
    const response = await client.post('/notes', { json: { title: 'Groceries', tags: ['home'] } });
    expect(response.status).toBe(201);
    expect(response.headers.get('Location')).toBe('/notes/1');
    expect(response.json).toEqual(note({ id: 1, title: 'Groceries', tags: ['home'] }));
    expect((await client.get('/notes/1')).json).toEqual(note({ id: 1, title: 'Groceries', tags: ['home'] }));
  });

  test('lists notes a page at a time; ?page and ?per_page arrive as numbers; ?q searches', async ({ client }) => {
    for (const title of ['one', 'two', 'three', 'four', 'five']) await client.post('/notes', { json: { title } });
    const first = await client.get('/notes', { query: { per_page: '2' } });
    expect(first.json).toEqual({
      items: [note({ id: 1, title: 'one' }), note({ id: 2, title: 'two' })],
      page: 1,
      per_page: 2,
      total: 5,
    });
    const last = await client.get('/notes?page=3&per_page=2');
    expect(last.json).toMatchObject({ items: [{ title: 'five' }], page: 3, per_page: 2, total: 5 });
    const found = await client.get('/notes', { query: { q: 'T' } });
    expect(found.json).toMatchObject({ items: [{ title: 'two' }, { title: 'three' }], total: 2 });
  });

  test('changes only the fields a PATCH sends', async ({ client }) => {
    await client.post('/notes', { json: { title: 'Draft', body: 'text', tags: ['a'] } });
    const response = await client.patch('/notes/1', { json: { title: 'Final' } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual(note({ id: 1, title: 'Final', body: 'text', tags: ['a'] }));
  });

  test('deletes a note: 204, then 404', async ({ client }) => {
    await client.post('/notes', { json: { title: 'Old' } });
    const response = await client.delete('/notes/1');
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect((await client.get('/notes/1')).status).toBe(404);
    expect((await client.delete('/notes/1')).status).toBe(404);
  });

  test('answers an unknown id with a 404 in problem details', async ({ client }) => {
    const response = await client.get('/notes/42');
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe(PROBLEM);
    expect(response.json).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No note has the id 42.',
    });
    expect((await client.patch('/notes/42', { json: { title: 'x' } })).status).toBe(404);
  });

  test('answers a method the URL does not take with a 405 that says which it does', async ({ client }) => {
    const response = await client.put('/notes/1', { json: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get('Content-Type')).toBe(PROBLEM);
    expect(response.headers.get('Allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH']);
  });
});

describe('validation: a 422 listing every problem, before the view runs', () => {
  test('a body that breaks the schema', async ({ client }) => {
    const response = await client.post('/notes', { json: { title: '   ', tags: ['ok', 7] } });
    expect(response.status).toBe(422);
    expect(response.headers.get('Content-Type')).toBe(PROBLEM);
    expect(response.json).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: '2 problems in the request',
      errors: [
        { location: 'body.title', message: 'Too small: expected string to have >=1 characters', code: 'too_small' },
        { location: 'body.tags.1', message: 'Invalid input: expected string, received number', code: 'invalid_type' },
      ],
    });
    expect((await client.get('/notes')).json).toMatchObject({ total: 0 }); // nothing was created
  });

  test('a query string out of range or not a number', async ({ client }) => {
    const response = await client.get('/notes?page=0&per_page=many');
    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({
      detail: '2 problems in the request',
      errors: [
        { location: 'query.page', message: 'Too small: expected number to be >=1', code: 'too_small' },
        {
          location: 'query.per_page',
          message: 'Invalid input: expected number, received string',
          code: 'invalid_type',
        },
      ],
    });
  });

  test('a body that is not JSON: 400 if it cannot be parsed, 415 if it is not sent as JSON', async ({ client }) => {
    const malformed = await client.post('/notes', {
      data: '{"title": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('Content-Type')).toBe(PROBLEM);
    const text = await client.post('/notes', { data: 'title', headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.headers.get('Content-Type')).toBe(PROBLEM);
  });
});
