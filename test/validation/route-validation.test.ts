/** Route validation through the test client: every request part validated and coerced, the 422 problem details, 415, error handlers, response schemas, and where validation runs in the pipeline. */
import { describe, expect, it } from 'vitest';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { z } from 'zod';
import { App, MethodView, type Request, ValidationError } from 'flagon';
import type { MethodSchemas, RouteRequest } from 'flagon/app';
import { Blueprint } from 'flagon';
import { ResponseValidationError, fileSchema } from 'flagon/validation';

const newApp = (config: Record<string, unknown> = { TESTING: true }): App =>
  new App(import.meta.url, { config: { SECRET_KEY: 'k', ...config } });

const PROBLEM = 'application/problem+json';

/** A multipart body: fields, and files as `{ filename, type, content }`. */
function multipart(fields: Array<[string, string | { filename: string; type: string; content: string }]>) {
  const boundary = 'XbOuNdArY';
  let data = '';
  for (const [name, value] of fields) {
    data += `--${boundary}\r\n`;
    if (typeof value === 'string') data += `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    else
      data += `Content-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: ${value.type}\r\n\r\n${value.content}\r\n`;
  }
  data += `--${boundary}--\r\n`;
  return { data, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

describe('query validation and coercion', () => {
  const app = newApp();
  const query = z.object({
    page: z.number().int().min(1).default(1),
    draft: z.boolean().optional(),
    tag: z.array(z.string()).optional(),
    ids: z.array(z.number()).optional(),
    q: z.string().optional(),
  });
  app.get('/items', { query }, (req) => ({ ...req.valid.query }));
  const client = app.testClient();

  it('turns numeric text into numbers and applies defaults', async () => {
    expect((await client.get('/items', { query: { page: '3' } })).json).toEqual({ page: 3 });
    expect((await client.get('/items')).json).toEqual({ page: 1 });
  });

  it('reads booleans from 1/true/on/yes and 0/false/off/no, any case', async () => {
    for (const word of ['1', 'true', 'ON', 'Yes']) {
      expect((await client.get('/items', { query: { draft: word } })).json).toEqual({ page: 1, draft: true });
    }
    for (const word of ['0', 'False', 'off', 'NO']) {
      expect((await client.get('/items', { query: { draft: word } })).json).toEqual({ page: 1, draft: false });
    }
  });

  it('gives arrays from repeated keys (one value wrapped) and the first value of a scalar given twice', async () => {
    const rv = await client.get('/items?tag=a&tag=b&ids=1&ids=2&q=x&q=y');
    expect(rv.json).toEqual({ page: 1, tag: ['a', 'b'], ids: [1, 2], q: 'x' });
    expect((await client.get('/items?tag=solo')).json).toEqual({ page: 1, tag: ['solo'] });
  });

  it('leaves bad text for the schema to reject: 422 with every issue, as problem details', async () => {
    const rv = await client.get('/items?page=abc&draft=maybe');
    expect(rv.status).toBe(422);
    expect(rv.headers.get('Content-Type')).toBe(PROBLEM);
    expect(rv.json).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: '2 problems in the request',
      errors: [
        { location: 'query.page', message: 'Invalid input: expected number, received string', code: 'invalid_type' },
        { location: 'query.draft', message: 'Invalid input: expected boolean, received string', code: 'invalid_type' },
      ],
    });
  });

  it('says "1 problem" for one', async () => {
    const rv = await client.get('/items?page=0');
    expect(rv.json).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: '1 problem in the request',
      errors: [{ location: 'query.page', message: 'Too small: expected number to be >=1', code: 'too_small' }],
    });
  });
});

describe('a Standard Schema that is not zod', () => {
  it('gets no coercion: strings, and arrays for repeated keys', async () => {
    const seen: unknown[] = [];
    const passThrough: StandardSchemaV1<unknown, unknown> = {
      '~standard': {
        version: 1,
        vendor: 'handmade',
        validate: (value) => {
          seen.push(value);
          return { value };
        },
      },
    };
    const app = newApp();
    app.get('/raw', { query: passThrough }, () => 'ok');
    await app.testClient().get('/raw?page=2&on=true&tag=a&tag=b');
    expect(seen).toEqual([{ page: '2', on: 'true', tag: ['a', 'b'] }]);
  });

  it('reports its issues, with code "invalid" when it gives none', async () => {
    const failing: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'handmade',
        validate: async () => ({ issues: [{ message: 'no', path: [{ key: 'page' }] }] }),
      },
    };
    const app = newApp();
    app.get('/raw', { query: failing }, () => 'unreached');
    const rv = await app.testClient().get('/raw');
    expect((rv.json as { errors: unknown[] }).errors).toEqual([
      { location: 'query.page', message: 'no', code: 'invalid' },
    ]);
  });
});

describe('headers, cookies and params', () => {
  it('validates headers by lower-case name and coerces them', async () => {
    const app = newApp();
    const headers = z.object({ 'x-api-version': z.number().int(), 'x-trace': z.string().optional() });
    app.get('/h', { headers }, (req) => ({ version: req.valid.headers['x-api-version'] }));
    const client = app.testClient();
    expect((await client.get('/h', { headers: { 'X-Api-Version': '2' } })).json).toEqual({ version: 2 });
    const rv = await client.get('/h');
    expect(rv.status).toBe(422);
    expect((rv.json as { errors: unknown[] }).errors).toEqual([
      {
        location: 'headers.x-api-version',
        message: 'Invalid input: expected number, received undefined',
        code: 'invalid_type',
      },
    ]);
  });

  it('validates cookies', async () => {
    const app = newApp();
    app.get('/c', { cookies: z.object({ theme: z.enum(['dark', 'light']) }) }, (req) => req.valid.cookies.theme);
    const client = app.testClient();
    expect((await client.get('/c', { cookies: { theme: 'dark' } })).text).toBe('dark');
    const rv = await client.get('/c', { cookies: { theme: 'pink' } });
    expect(rv.status).toBe(422);
    expect((rv.json as { errors: Array<{ location: string }> }).errors.map((e) => e.location)).toEqual([
      'cookies.theme',
    ]);
  });

  it('gives the converted path values as req.valid.params without a params schema', async () => {
    const app = newApp();
    app.get('/users/<int:id>', { query: z.object({}) }, (req) => ({
      id: req.valid.params.id,
      type: typeof req.valid.params.id,
    }));
    expect((await app.testClient().get('/users/7')).json).toEqual({ id: 7, type: 'number' });
  });

  it('validates and coerces params with a schema', async () => {
    const app = newApp();
    const params = z.object({ id: z.number().int().max(100), slug: z.string().min(3) });
    app.get('/posts/<id>/<slug>', { params }, (req) => ({ ...req.valid.params }));
    const client = app.testClient();
    expect((await client.get('/posts/42/hello')).json).toEqual({ id: 42, slug: 'hello' });
    const rv = await client.get('/posts/500/hi');
    expect(rv.status).toBe(422);
    expect((rv.json as { errors: Array<{ location: string }> }).errors.map((e) => e.location)).toEqual([
      'params.id',
      'params.slug',
    ]);
  });

  it('lists the issues of every part together', async () => {
    const app = newApp();
    app.post(
      '/all',
      { query: z.object({ page: z.number() }), body: z.object({ name: z.string() }) },
      () => 'unreached',
    );
    const rv = await app.testClient().post('/all', { json: { name: 1 } });
    expect(rv.status).toBe(422);
    expect((rv.json as { errors: Array<{ location: string }> }).errors.map((e) => e.location)).toEqual([
      'query.page',
      'body.name',
    ]);
  });
});

describe('bodies and forms', () => {
  const item = z.object({
    name: z.string().min(1),
    price: z.number().positive(),
    tags: z.array(z.string()).default([]),
  });

  it('validates a JSON body without coercion (JSON has its types)', async () => {
    const app = newApp();
    app.post('/items', { body: item }, (req) => [req.valid.body, 201]);
    const client = app.testClient();
    const ok = await client.post('/items', { json: { name: 'pen', price: 2 } });
    expect(ok.status).toBe(201);
    expect(ok.json).toEqual({ name: 'pen', price: 2, tags: [] });
    const bad = await client.post('/items', { json: { name: 'pen', price: '2' } });
    expect(bad.status).toBe(422);
    expect(bad.json).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: '1 problem in the request',
      errors: [
        { location: 'body.price', message: 'Invalid input: expected number, received string', code: 'invalid_type' },
      ],
    });
  });

  it('names the whole body as the location of a root issue', async () => {
    const app = newApp();
    app.post('/items', { body: item }, () => 'unreached');
    const rv = await app.testClient().post('/items', { json: [1, 2] });
    expect((rv.json as { errors: unknown[] }).errors).toEqual([
      { location: 'body', message: 'Invalid input: expected object, received array', code: 'invalid_type' },
    ]);
  });

  it('validates an urlencoded form as the body, coerced', async () => {
    const app = newApp();
    app.post('/items', { body: item }, (req) => req.valid.body);
    const rv = await app.testClient().post('/items', { form: { name: 'pen', price: '2.5', tags: ['a', 'b'] } });
    expect(rv.json).toEqual({ name: 'pen', price: 2.5, tags: ['a', 'b'] });
  });

  it('answers 415 for a body schema and another content type, 400 for malformed JSON', async () => {
    const app = newApp();
    app.post('/items', { body: item }, () => 'unreached');
    app.post('/form', { form: item }, () => 'unreached');
    const client = app.testClient();
    const text = await client.post('/items', { data: 'name=pen', headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.text).toContain('Content-Type was &#39;text/plain&#39;');
    expect((await client.post('/items', { data: 'name=pen' })).status).toBe(415);
    expect((await client.post('/form', { json: { name: 'pen', price: 1 } })).status).toBe(415);
    const malformed = await client.post('/items', {
      data: '{"name":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
  });

  it('validates a form schema and accepts only forms', async () => {
    const app = newApp();
    app.post(
      '/signup',
      { form: z.object({ email: z.email(), age: z.number().int().min(18) }) },
      (req) => req.valid.form,
    );
    const client = app.testClient();
    expect((await client.post('/signup', { form: { email: 'a@b.co', age: '30' } })).json).toEqual({
      email: 'a@b.co',
      age: 30,
    });
    const rv = await client.post('/signup', { form: { email: 'nope', age: '12' } });
    expect((rv.json as { errors: Array<{ location: string }> }).errors.map((e) => e.location)).toEqual([
      'form.email',
      'form.age',
    ]);
  });

  describe('multipart with files', () => {
    const app = newApp();
    const upload = z.object({
      title: z.string(),
      avatar: fileSchema({ maxSize: 10, types: ['image/*'] }),
    });
    app.post('/avatar', { form: upload }, async (req) => ({
      title: req.valid.form.title,
      filename: req.valid.form.avatar.filename,
      size: req.valid.form.avatar.size,
      text: await req.valid.form.avatar.text(),
    }));
    const client = app.testClient();

    it('passes a file under maxSize of a listed type', async () => {
      const body = multipart([
        ['title', 'me'],
        ['avatar', { filename: 'a.png', type: 'image/png', content: 'PNGDATA' }],
      ]);
      const rv = await client.post('/avatar', body);
      expect(rv.json).toEqual({ title: 'me', filename: 'a.png', size: 7, text: 'PNGDATA' });
    });

    it('rejects a file over maxSize, of another type, or missing', async () => {
      const big = multipart([
        ['title', 'me'],
        ['avatar', { filename: 'a.png', type: 'image/png', content: 'x'.repeat(11) }],
      ]);
      const rv = await client.post('/avatar', big);
      expect(rv.status).toBe(422);
      expect((rv.json as { errors: unknown[] }).errors).toEqual([
        { location: 'form.avatar', message: 'Too big: expected a file of at most 10 bytes, got 11', code: 'too_big' },
      ]);
      const pdf = multipart([
        ['title', 'me'],
        ['avatar', { filename: 'a.pdf', type: 'application/pdf', content: 'x' }],
      ]);
      expect(((await client.post('/avatar', pdf)).json as { errors: unknown[] }).errors).toEqual([
        {
          location: 'form.avatar',
          message: 'Invalid file type: expected image/*, got application/pdf',
          code: 'custom',
        },
      ]);
      const none = multipart([['title', 'me']]);
      expect(((await client.post('/avatar', none)).json as { errors: unknown[] }).errors).toEqual([
        { location: 'form.avatar', message: 'Expected a file upload', code: 'custom' },
      ]);
    });

    it('documents a file as a binary string in JSON Schema', () => {
      expect(z.toJSONSchema(fileSchema())).toMatchObject({ type: 'string', format: 'binary' });
    });
  });
});

describe('the 422 answer can be replaced', () => {
  it('by an error handler for ValidationError', async () => {
    const app = newApp();
    app.get('/items', { query: z.object({ page: z.number() }) }, () => 'unreached');
    app.errorHandler(ValidationError, (e: ValidationError) => [{ bad: e.issues.map((i) => i.location) }, 400]);
    const rv = await app.testClient().get('/items?page=x');
    expect(rv.status).toBe(400);
    expect(rv.json).toEqual({ bad: ['query.page'] });
  });

  it('by an error handler for 422', async () => {
    const app = newApp();
    app.get('/items', { query: z.object({ page: z.number() }) }, () => 'unreached');
    app.errorHandler(422, (e: ValidationError) => [`${e.issues.length} issue(s)`, 422]);
    const rv = await app.testClient().get('/items?page=x');
    expect(rv.status).toBe(422);
    expect(rv.text).toBe('1 issue(s)');
  });
});

describe('response schemas', () => {
  const user = z.object({ id: z.number(), name: z.string() });
  const leaky = (): { id: number; name: string; password: string } => ({ id: 1, name: 'ada', password: 'secret' });

  it('send the schema output: keys the schema does not name are stripped, tuples keep status and headers', async () => {
    const app = newApp();
    app.get('/me', { response: user }, leaky);
    app.post('/users', { response: user }, () => [leaky(), 201, { Location: '/users/1' }] as const);
    const client = app.testClient();
    expect((await client.get('/me')).json).toEqual({ id: 1, name: 'ada' });
    const created = await client.post('/users');
    expect(created.status).toBe(201);
    expect(created.headers.get('Location')).toBe('/users/1');
    expect(created.json).toEqual({ id: 1, name: 'ada' });
  });

  it('throw ResponseValidationError to the test in TESTING', async () => {
    const app = newApp();
    app.get('/me', { response: user }, () => ({ id: 'x', name: 'ada' }) as never);
    await expect(app.testClient().get('/me')).rejects.toThrow(ResponseValidationError);
    await expect(app.testClient().get('/me')).rejects.toThrow(
      /The view of 'me' returned a value its response schema rejects \(response\.id: /,
    );
  });

  it('answer a generic 500 in production and log the issues', async () => {
    const app = newApp({ TESTING: false });
    const logged: unknown[] = [];
    app.logger.error = (...args: unknown[]) => void logged.push(...args);
    app.get('/me', { response: user }, () => ({ id: 'x', name: 'ada' }) as never);
    const rv = await app.testClient().get('/me');
    expect(rv.status).toBe(500);
    expect(rv.text).not.toContain('response.id');
    expect(
      logged.some((entry) => entry instanceof ResponseValidationError && entry.issues[0]?.location === 'response.id'),
    ).toBe(true);
  });

  it('let a Response through unchecked', async () => {
    const app = newApp();
    const { Response } = await import('flagon');
    app.get('/raw', { response: user }, () => new Response('raw'));
    expect((await app.testClient().get('/raw')).text).toBe('raw');
  });
});

describe('where validation runs', () => {
  it('after the before-request hooks: a hook that answers first means no 422', async () => {
    const app = newApp();
    const seen: string[] = [];
    app.beforeRequest((req: Request) => {
      seen.push('hook');
      if (req.args.get('deny') !== undefined) return ['denied', 403];
      return undefined;
    });
    app.get('/items', { query: z.object({ page: z.number() }) }, () => 'unreached');
    const client = app.testClient();
    const denied = await client.get('/items?deny=1');
    expect(denied.status).toBe(403);
    expect((await client.get('/items')).status).toBe(422);
    expect(seen).toEqual(['hook', 'hook']);
  });

  it('req.valid on a route without schemas throws an error naming the fix', async () => {
    const app = newApp();
    app.get('/plain', (req) => String(req.valid));
    await expect(app.testClient().get('/plain')).rejects.toThrow(/req\.valid is only set on a route with schemas/);
  });

  it('works with decorators', async () => {
    const app = newApp();
    const schemas = { query: z.object({ n: z.number() }) };
    class Pages {
      @app.get('/double', schemas)
      static double(req: RouteRequest<'/double', typeof schemas>) {
        return { n: req.valid.query.n * 2 };
      }
    }
    void Pages;
    expect((await app.testClient().get('/double?n=4')).json).toEqual({ n: 8 });
    expect((await app.testClient().get('/double?n=x')).status).toBe(422);
  });

  it('works with blueprints, whose specs land under bp.endpoint', async () => {
    const app = newApp();
    const api = new Blueprint('api', import.meta.url, { urlPrefix: '/api' });
    const query = z.object({ limit: z.number().max(50) });
    api.get('/items', { query, summary: 'List' }, function items(req) {
      return { limit: req.valid.query.limit };
    });
    app.registerBlueprint(api);
    expect(app.routeSpecs.get('api.items')?.docs).toEqual({ summary: 'List' });
    const client = app.testClient();
    expect((await client.get('/api/items?limit=5')).json).toEqual({ limit: 5 });
    expect((await client.get('/api/items?limit=500')).status).toBe(422);
  });

  it('works with MethodView: each method validates its own', async () => {
    const app = newApp();
    const schemas = {
      get: { query: z.object({ page: z.number() }) },
      post: { body: z.object({ name: z.string() }), response: z.object({ name: z.string() }) },
    } satisfies MethodSchemas;
    class Items extends MethodView {
      static schemas = schemas;
      get(req: RouteRequest<'/items', typeof schemas.get>) {
        return { page: req.valid.query.page };
      }
      post(req: RouteRequest<'/items', typeof schemas.post>) {
        return [{ ...req.valid.body, extra: true }, 201];
      }
    }
    app.addUrlRule('/items', { view: Items.asView('items') });
    const client = app.testClient();
    expect((await client.get('/items?page=2')).json).toEqual({ page: 2 });
    expect((await client.get('/items')).status).toBe(422);
    expect((await client.head('/items?page=x')).status).toBe(422);
    const created = await client.post('/items', { json: { name: 'pen' } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ name: 'pen' });
    expect((await client.post('/items', { json: {} })).status).toBe(422);
    expect(app.routeSpecs.get('items')?.methods?.GET).toBe(schemas.get);
  });

  it('leaves the automatic OPTIONS answer alone', async () => {
    const app = newApp();
    app.get('/items', { query: z.object({ page: z.number() }) }, () => 'unreached');
    const rv = await app.testClient().options('/items');
    expect(rv.status).toBe(200);
    expect(rv.headers.get('Allow')).toContain('GET');
  });
});
