/**
 * The endpoint of docs/validation.md's "Coming from FastAPI" section, run: what it answers is what the page says.
 * FastAPI's side was run with FastAPI 0.92 (Debian's python3-fastapi) and its answers are quoted in the page.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { App } from 'flagon';

const NoteIn = z.object({
  title: z.string().min(1).max(200),
  body: z.string().default(''),
  tags: z.array(z.string()).default([]),
});
const NoteOut = z.object({ id: z.number().int(), title: z.string(), tags: z.array(z.string()) });
const Notify = z.object({ notify: z.boolean().default(false) });

const app = new App(import.meta.url, { config: { TESTING: true } });

app.post('/notes/<int:folderId>', { query: Notify, body: NoteIn, response: NoteOut }, (req) => {
  const note = req.valid.body; // { title: string; body: string; tags: string[] }
  return [{ id: 1, title: note.title, tags: note.tags, secret: 'x' }, 201];
});

describe('the FastAPI side-by-side of docs/validation.md', () => {
  const client = app.testClient();

  it('answers a bad request with 422 and every problem, as the page shows', async () => {
    const response = await client.post('/notes/7?notify=maybe', { json: { title: '', tags: 'x' } });
    expect(response.status).toBe(422);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(response.json).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: '3 problems in the request',
      errors: [
        { location: 'query.notify', message: 'Invalid input: expected boolean, received string', code: 'invalid_type' },
        { location: 'body.title', message: 'Too small: expected string to have >=1 characters', code: 'too_small' },
        { location: 'body.tags', message: 'Invalid input: expected array, received string', code: 'invalid_type' },
      ],
    });
  });

  it('answers 404 for a folder id that is not a number: the int converter does not match', async () => {
    expect((await client.post('/notes/abc', { json: { title: 'Hi' } })).status).toBe(404);
  });

  it('coerces ?notify=yes, applies the defaults and strips what NoteOut does not name', async () => {
    const response = await client.post('/notes/7?notify=yes', { json: { title: 'Hi', tags: ['a'] } });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({ id: 1, title: 'Hi', tags: ['a'] });
  });
});
