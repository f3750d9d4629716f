/** Route validation at its edges, each case a bug the review of issue 19 reproduced: tuples read as makeResponse reads them, a capped 422, bodiless requests, empty file and form fields, unions, deep nesting. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { App, HTTPError } from 'flagon';
import { fileSchema, validateForm } from 'flagon/validation';

/** A browser's multipart body: text fields, and `<input type=file>` parts (filename "" and no bytes when left empty). */
function multipart(fields: Array<[string, string | { filename: string; content: string }]>) {
  const boundary = 'XbOuNdArY';
  let data = '';
  for (const [name, value] of fields) {
    data += `--${boundary}\r\n`;
    if (typeof value === 'string') data += `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    else
      data += `Content-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n${value.content}\r\n`;
  }
  data += `--${boundary}--\r\n`;
  return { data, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

const newApp = (config: Record<string, unknown> = { TESTING: true }): App =>
  new App(import.meta.url, { config: { SECRET_KEY: 'k', ...config } });

describe('a response schema reads tuples as makeResponse does', () => {
  it('sends an array the schema accepts as the JSON body, never as [body, status]', async () => {
    const app = newApp();
    app.get('/pair', { response: z.array(z.number()) }, () => [1, 2]);
    app.get('/triple', { response: z.array(z.number()) }, () => [3, 200, 4]);
    const names = z.array(z.object({ name: z.string() }));
    app.get('/names', { response: names }, () => [{ name: 'a' }, { name: 'b' }]);
    const client = app.testClient();
    const pair = await client.get('/pair');
    expect([pair.status, pair.json]).toEqual([200, [1, 2]]);
    const triple = await client.get('/triple');
    expect([triple.status, triple.json]).toEqual([200, [3, 200, 4]]);
    const both = await client.get('/names');
    expect([both.status, both.json]).toEqual([200, [{ name: 'a' }, { name: 'b' }]]);
  });

  it('accepts [body, headers] with a list of values or no headers at all', async () => {
    const app = newApp();
    const item = z.object({ id: z.number() });
    app.get('/links', { response: item }, () => [{ id: 1, extra: true }, { Link: ['<a>', '<b>'] }] as const);
    app.get('/plain', { response: item }, () => [{ id: 2 }, {}] as const);
    const client = app.testClient();
    const links = await client.get('/links');
    expect([links.status, links.json, links.headers.getAll('Link')]).toEqual([200, { id: 1 }, ['<a>', '<b>']]);
    const plain = await client.get('/plain');
    expect([plain.status, plain.json]).toEqual([200, { id: 2 }]);
  });

  it('refuses two bodies where the route returns one, never taking the second for headers', async () => {
    const app = newApp();
    const user = z.object({ name: z.string() });
    app.get('/user', { response: user }, () => [{ name: 'ada' }, { name: 'bob', 'Set-Cookie': 'admin=1' }] as never);
    await expect(app.testClient().get('/user')).rejects.toThrow(/response: /);
  });

  it('checks the body of a tuple and sends an array body as JSON with the status', async () => {
    const app = newApp();
    const names = z.array(z.object({ name: z.string() }));
    app.post('/names', { response: names }, () => [[{ name: 'a', x: 1 }, { name: 'b' }], 201] as never);
    app.get('/bad', { response: z.object({ id: z.number() }) }, () => [{ id: 'x' }, 201] as never);
    const client = app.testClient();
    const created = await client.post('/names');
    expect([created.status, created.json]).toEqual([201, [{ name: 'a' }, { name: 'b' }]]);
    await expect(client.get('/bad')).rejects.toThrow(/response\.id: /);
  });
});

describe('a failed validation answers in proportion', () => {
  it('lists the first 50 issues and says how many there were', async () => {
    const app = newApp();
    app.post('/numbers', { body: z.array(z.number()) }, () => 'unreached');
    const rv = await app.testClient().post('/numbers', { json: Array.from({ length: 5000 }, () => 'x') });
    expect(rv.status).toBe(422);
    const problem = rv.json as { detail: string; errors: Array<{ location: string }> };
    expect(problem.detail).toBe('5000 problems in the request; the first 50 are listed');
    expect(problem.errors.map((e) => e.location)).toEqual(Array.from({ length: 50 }, (_, i) => `body.${i}`));
    expect(rv.body.length).toBeLessThan(10_000);
  });

  it('keeps every issue on the error for an error handler', async () => {
    const app = newApp();
    app.post('/numbers', { body: z.array(z.number()) }, () => 'unreached');
    app.errorHandler(422, (e: { issues: readonly unknown[] }) => `${e.issues.length}`);
    expect((await app.testClient().post('/numbers', { json: Array.from({ length: 60 }, () => 'x') })).text).toBe('60');
  });

  it('says nothing of a cap when every issue is listed', async () => {
    const app = newApp();
    app.post('/numbers', { body: z.array(z.number()) }, () => 'unreached');
    const rv = await app.testClient().post('/numbers', { json: Array.from({ length: 50 }, () => 'x') });
    expect((rv.json as { detail: string; errors: unknown[] }).detail).toBe('50 problems in the request');
    expect((rv.json as { errors: unknown[] }).errors).toHaveLength(50);
  });
});

describe('an HTTPError whose getHeaders() does not start with Content-Type', () => {
  class SlowDown extends HTTPError {
    static override readonly status = 429;
    constructor(readonly list: Array<[string, string]>) {
      super('Slow down.');
    }
    override getHeaders(): Array<[string, string]> {
      return this.list;
    }
  }

  it('answers text/html with the headers it gives, or with none', async () => {
    const app = newApp();
    app.get('/later', () => {
      throw new SlowDown([['Retry-After', '5']]);
    });
    app.get('/bare', () => {
      throw new SlowDown([]);
    });
    const client = app.testClient();
    const later = await client.get('/later');
    expect([later.status, later.headers.get('Content-Type'), later.headers.get('Retry-After')]).toEqual([
      429,
      'text/html; charset=utf-8',
      '5',
    ]);
    const bare = await client.get('/bare');
    expect([bare.status, bare.headers.get('Content-Type')]).toEqual([429, 'text/html; charset=utf-8']);
    expect(bare.text).toContain('Slow down.');
  });
});

describe('a request without a body', () => {
  const signup = z.object({ email: z.string() });

  it('skips body and form schemas on GET and HEAD (a GET+POST form route renders its page)', async () => {
    const app = newApp();
    app.route('/signup', { methods: ['GET', 'POST'], form: signup }, (req) =>
      req.method === 'POST' ? `hello ${req.valid.form.email}` : 'the form',
    );
    app.route('/items', { methods: ['GET', 'POST'], body: signup }, (req) =>
      req.method === 'POST' ? req.valid.body.email : 'the list',
    );
    const client = app.testClient();
    expect([(await client.get('/signup')).status, (await client.get('/signup')).text]).toEqual([200, 'the form']);
    expect((await client.head('/signup')).status).toBe(200);
    expect((await client.get('/items')).text).toBe('the list');
    expect((await client.post('/signup', { form: { email: 'a@b.co' } })).text).toBe('hello a@b.co');
  });

  it('validates undefined: an optional body passes, a required one is a 422 that says required', async () => {
    const app = newApp();
    app.delete('/items/1', { body: z.object({ reason: z.string() }).optional() }, (req) => ({
      reason: req.valid.body?.reason ?? null,
    }));
    app.post('/items', { body: signup }, () => 'unreached');
    app.post('/signup', { form: signup }, () => 'unreached');
    const client = app.testClient();
    const deleted = await client.delete('/items/1');
    expect([deleted.status, deleted.json]).toEqual([200, { reason: null }]);
    for (const path of ['/items', '/signup']) {
      const rv = await client.post(path);
      expect(rv.status).toBe(422);
      const part = path === '/items' ? 'body' : 'form';
      expect((rv.json as { errors: unknown[] }).errors).toEqual([
        { location: part, message: 'Invalid input: expected object, received undefined', code: 'invalid_type' },
      ]);
    }
  });

  it('still answers 415 for a body of another type, or bytes with no Content-Type', async () => {
    const app = newApp();
    app.post('/items', { body: signup }, () => 'unreached');
    const client = app.testClient();
    expect((await client.post('/items', { data: 'x', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    expect((await client.post('/items', { data: 'email=a' })).status).toBe(415);
  });
});

describe('the OpenAPI document of a GET+POST form route', () => {
  it('gives the GET no request body, as validation skips it', () => {
    const app = newApp();
    app.route('/signup', { methods: ['GET', 'POST'], form: z.object({ email: z.string() }) }, () => 'page');
    const path = app.openapi().paths['/signup'] as Record<string, { requestBody?: unknown; responses: object }>;
    expect(path.get!.requestBody).toBeUndefined();
    expect(Object.keys(path.get!.responses)).toEqual(['200']);
    expect(Object.keys(path.post!.requestBody as object)).toContain('content');
  });
});

describe('an <input type=file> left empty', () => {
  const empty = { filename: '', content: '' };
  const upload = z.object({ title: z.string(), avatar: fileSchema() });
  const maybe = z.object({ title: z.string(), avatar: fileSchema().optional() });

  it('is no file: a required one is a 422, an optional one is absent', async () => {
    const app = newApp();
    app.post('/required', { form: upload }, () => 'unreached');
    app.post('/optional', { form: maybe }, (req) => ({ avatar: req.valid.form.avatar?.filename ?? null }));
    const client = app.testClient();
    const required = await client.post(
      '/required',
      multipart([
        ['title', 't'],
        ['avatar', empty],
      ]),
    );
    expect(required.status).toBe(422);
    expect((required.json as { errors: unknown[] }).errors).toEqual([
      { location: 'form.avatar', message: 'Expected a file upload', code: 'custom' },
    ]);
    const optional = await client.post(
      '/optional',
      multipart([
        ['title', 't'],
        ['avatar', empty],
      ]),
    );
    expect([optional.status, optional.json]).toEqual([200, { avatar: null }]);
    const sent = await client.post(
      '/optional',
      multipart([
        ['title', 't'],
        ['avatar', { filename: 'a.txt', content: '' }],
      ]),
    );
    expect(sent.json).toEqual({ avatar: 'a.txt' });
  });

  it('is no file to validateForm either', async () => {
    const app = newApp();
    app.post('/form', async (req) => {
      const form = await validateForm(req, upload);
      return form.ok ? 'ok' : form.errors;
    });
    const rv = await app.testClient().post(
      '/form',
      multipart([
        ['title', 't'],
        ['avatar', empty],
      ]),
    );
    expect(rv.json).toEqual({ avatar: ['Expected a file upload'] });
  });
});

describe('an empty value for a number or boolean field', () => {
  const query = z.object({
    age: z.number().optional(),
    draft: z.boolean().optional(),
    limit: z.coerce.number().default(10),
    ids: z.array(z.number()).optional(),
    q: z.string().optional(),
  });

  it('is missing in a query: optional passes, a default applies, z.coerce.number() never reads it as 0', async () => {
    const app = newApp();
    app.get('/items', { query }, (req) => ({ ...req.valid.query }));
    const rv = await app.testClient().get('/items?age=&draft=&limit=&ids=&ids=2&q=');
    expect([rv.status, rv.json]).toEqual([200, { limit: 10, ids: [2], q: '' }]);
  });

  it('is missing in a form: a required number says so', async () => {
    const app = newApp();
    app.post('/signup', { form: z.object({ age: z.number() }) }, () => 'unreached');
    const rv = await app.testClient().post('/signup', { form: { age: '' } });
    expect(rv.status).toBe(422);
    expect((rv.json as { errors: unknown[] }).errors).toEqual([
      { location: 'form.age', message: 'Invalid input: expected number, received undefined', code: 'invalid_type' },
    ]);
  });
});

describe('a union of a number and a string literal', () => {
  it('still turns numeric text into a number, and keeps the literal', async () => {
    const app = newApp();
    const query = z.object({
      limit: z.union([z.number().int(), z.literal('all')]),
      mode: z.union([z.boolean(), z.enum(['auto'])]).optional(),
    });
    app.get('/items', { query }, (req) => ({ ...req.valid.query }));
    const client = app.testClient();
    expect((await client.get('/items?limit=5&mode=true')).json).toEqual({ limit: 5, mode: true });
    expect((await client.get('/items?limit=all&mode=auto')).json).toEqual({ limit: 'all', mode: 'auto' });
    expect((await client.get('/items?limit=some')).status).toBe(422);
  });
});

describe('a recursive body nested very deep', () => {
  interface Node {
    child?: Node;
  }
  const node: z.ZodType<Node> = z.lazy(() => z.object({ child: node.optional() }));

  it('answers 400 "too deeply nested", not a 500 from a stack overflow', async () => {
    const app = newApp({ TESTING: false });
    app.post('/tree', { body: node }, () => 'ok');
    const client = app.testClient();
    const deep = `${'{"child":'.repeat(2000)}{}${'}'.repeat(2000)}`;
    const rv = await client.post('/tree', { data: deep, headers: { 'Content-Type': 'application/json' } });
    expect(rv.status).toBe(400);
    expect(rv.text).toContain('too deeply nested');
    expect((await client.post('/tree', { json: { child: { child: {} } } })).text).toBe('ok');
  });
});

describe('req.valid on a route without schemas', () => {
  it('throws FLAGON_ERR_NO_VALIDATION citing the rule, not the requested path', async () => {
    const app = newApp();
    app.get('/items/<int:id>', (req) => (req as unknown as { valid: unknown }).valid as never);
    const thrown = await app
      .testClient()
      .get('/items/7')
      .then(
        () => null,
        (error: unknown) => error as { code?: string; message: string },
      );
    expect(thrown?.code).toBe('FLAGON_ERR_NO_VALIDATION');
    expect(thrown?.message).toContain("app.get('/items/<int:id>', { query: z.object({ … }) }, view)");
  });
});
