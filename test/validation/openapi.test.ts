/**
 * app.openapi(): the OpenAPI 3.1 document of the example app validates against the OpenAPI 3.1 schema and matches
 * the committed snapshot (rewrite it with UPDATE_SNAPSHOT=1); then each converter mapping, each request part, the
 * responses, operation ids, tags, security and what is left out, one by one; and jsonSchemaOf's named schemas.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { App, Blueprint, MethodView } from 'flagon';
import { converterSchema, jsonSchemaOf, type JsonSchema, type OpenApiDocument } from 'flagon/app';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fileSchema, ValidationError } from 'flagon/validation';
import { app as exampleApp, openapiOptions } from '../fixtures/openapi-app/app.js';

const SNAPSHOT = fileURLToPath(new URL('../fixtures/openapi-app/openapi.json', import.meta.url));

async function validate(doc: object): Promise<{ valid: boolean; errors?: unknown }> {
  return new Validator().validate(JSON.parse(JSON.stringify(doc)) as Record<string, unknown>);
}

function newApp(): App {
  return new App(import.meta.url, { name: 'test-app', staticFolder: null });
}

const ok = (): string => 'ok';

/**
 * Where `value` breaks `schema`, for the keywords the ValidationProblem component uses (type, const, properties with
 * no others, required, items): enough to tie the documented 422 to the body ValidationError sends.
 */
function conforms(value: unknown, schema: JsonSchema, at = '$'): string[] {
  const types: Record<string, (v: unknown) => boolean> = {
    object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    array: Array.isArray,
    string: (v) => typeof v === 'string',
    integer: Number.isInteger,
    number: (v) => typeof v === 'number',
  };
  const type = schema.type as string | undefined;
  if (type !== undefined && !types[type]!(value)) return [`${at}: not ${type}`];
  if ('const' in schema && value !== schema.const) return [`${at}: not ${String(schema.const)}`];
  const problems: string[] = [];
  if (type === 'object') {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in record)) problems.push(`${at}.${key}: missing`);
    for (const [key, item] of Object.entries(record)) {
      if (properties[key] === undefined) problems.push(`${at}.${key}: not documented`);
      else problems.push(...conforms(item, properties[key], `${at}.${key}`));
    }
  }
  if (type === 'array') {
    for (const [i, item] of (value as unknown[]).entries())
      problems.push(...conforms(item, schema.items as JsonSchema, `${at}[${i}]`));
  }
  return problems;
}

describe('the example app', () => {
  const doc = exampleApp.openapi(openapiOptions);

  it('has a document that validates against the OpenAPI 3.1 schema', async () => {
    const result = await validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('matches the committed snapshot (UPDATE_SNAPSHOT=1 rewrites it)', () => {
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (process.env.UPDATE_SNAPSHOT === '1') {
      writeFileSync(SNAPSHOT, text);
      console.warn(`UPDATE_SNAPSHOT=1: wrote ${SNAPSHOT}; review the diff before committing it`);
    }
    expect(existsSync(SNAPSHOT), `no ${SNAPSHOT}: run UPDATE_SNAPSHOT=1 npx vitest run … once`).toBe(true);
    expect(doc).toEqual(JSON.parse(readFileSync(SNAPSHOT, 'utf8')));
  });

  it('leaves out the static route and excluded endpoints, and keeps every other rule', () => {
    expect(exampleApp.router.rules.some((rule) => rule.endpoint === 'static')).toBe(true);
    expect(Object.keys(doc.paths)).toEqual([
      '/health',
      '/items/',
      '/items/{id}',
      '/items/{id}/photo',
      '/reports/{year}/{format}',
      '/orders/{order}',
      '/prices/{amount}/{currency}',
      '/files/{filename}',
      '/compare/{ids}',
      '/users/{id}',
    ]);
  });

  it('answers as it documents: the 201 an Item, the 422 a ValidationProblem, the query coerced', async () => {
    const client = exampleApp.testClient();
    const schemas = doc.components!.schemas!;
    const created = await client.post('/items/', { json: { name: 'lamp', price: 30 } });
    expect(created.status).toBe(201);
    expect(conforms(created.json, schemas.Item!)).toEqual([]);
    const refused = await client.post('/items/', { json: { name: '', price: -1 } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('Content-Type')).toBe('application/problem+json');
    expect(conforms(refused.json, schemas.ValidationProblem!)).toEqual([]);
    expect((await client.get('/items/?page=2')).status).toBe(200);
    expect((await client.get('/items/?page=0')).status).toBe(422);
  });

  it('the validator refuses a broken document (so the check above means something)', async () => {
    const broken = structuredClone(doc) as unknown as {
      paths: Record<string, Record<string, { parameters: unknown[] }>>;
    };
    broken.paths['/files/{filename}']!.get!.parameters = [{ name: 'filename', in: 'body', schema: {} }];
    expect((await validate(broken)).valid).toBe(false);
  });
});

describe('path parameters from converters', () => {
  it.each<[string, string, JsonSchema]>([
    ['int', '', { type: 'integer', minimum: 0 }],
    ['int', 'min=1', { type: 'integer', minimum: 1 }],
    ['int', 'min=1, max=99', { type: 'integer', minimum: 1, maximum: 99 }],
    ['int', 'signed=True', { type: 'integer' }],
    ['int', 'min=-5, signed=True', { type: 'integer', minimum: -5 }],
    ['int', 'fixedDigits=4', { type: 'integer', minimum: 0, pattern: '^\\d{4}$' }],
    ['int', '4, 1000, 2999', { type: 'integer', minimum: 1000, maximum: 2999, pattern: '^\\d{4}$' }],
    ['float', '', { type: 'number', minimum: 0 }],
    ['float', 'min=0.5, max=10', { type: 'number', minimum: 0.5, maximum: 10 }],
    ['float', 'signed=True', { type: 'number' }],
    ['uuid', '', { type: 'string', format: 'uuid' }],
    ['any', 'csv, json', { type: 'string', enum: ['csv', 'json'] }],
    ['any', "'a b', c", { type: 'string', enum: ['a b', 'c'] }],
    ['default', '', { type: 'string', minLength: 1 }],
    ['string', 'minlength=2, maxlength=8', { type: 'string', minLength: 2, maxLength: 8 }],
    ['string', 'length=3', { type: 'string', minLength: 3, maxLength: 3 }],
    ['path', '', { type: 'string' }],
    ['list', '', { type: 'string' }],
  ])('%s(%s)', (converter, args, schema) => {
    expect(converterSchema(converter, args)).toEqual(schema);
  });

  it('turn a rule into a path template, parameters in order, parts of a segment and <path:…> included', () => {
    const app = newApp();
    app.get('/dl/<name>.<any(zip, tar):ext>', { endpoint: 'dl' }, ok);
    app.get('/raw/<path:rest>', { endpoint: 'raw' }, ok);
    app.get('/', { endpoint: 'home' }, ok);
    const doc = app.openapi();
    expect(Object.keys(doc.paths)).toEqual(['/dl/{name}.{ext}', '/raw/{rest}', '/']);
    expect(doc.paths['/dl/{name}.{ext}']!.get!.parameters).toEqual([
      { name: 'name', in: 'path', required: true, schema: { type: 'string', minLength: 1 } },
      { name: 'ext', in: 'path', required: true, schema: { type: 'string', enum: ['zip', 'tar'] } },
    ]);
    expect(doc.paths['/']!.get!.parameters).toBeUndefined();
  });

  it('give way to a params schema property, while the others keep their converter', () => {
    const app = newApp();
    app.get('/u/<int:id>/<slug>', { endpoint: 'u', params: z.object({ id: z.coerce.number().int().max(10) }) }, ok);
    const params = app.openapi().paths['/u/{id}/{slug}']!.get!.parameters!;
    expect(params[0]!.schema).toEqual({ type: 'integer', minimum: -9007199254740991, maximum: 10 });
    expect(params[1]!.schema).toEqual({ type: 'string', minLength: 1 });
  });
});

describe('request parts', () => {
  it('query, headers and cookies: one parameter per property, required from the schema', () => {
    const app = newApp();
    app.get(
      '/search',
      {
        endpoint: 'search',
        query: z.object({ q: z.string().describe('words'), page: z.coerce.number().int().optional() }),
        headers: z.object({ 'x-trace': z.string(), authorization: z.string(), 'content-type': z.string() }),
        cookies: z.object({ theme: z.enum(['dark', 'light']).optional() }),
      },
      ok,
    );
    const op = app.openapi().paths['/search']!.get!;
    expect(op.parameters!.map((p) => [p.in, p.name, p.required])).toEqual([
      ['query', 'q', true],
      ['query', 'page', false],
      ['header', 'x-trace', true],
      ['cookie', 'theme', false],
    ]);
    expect(op.parameters![0]).toEqual({
      name: 'q',
      in: 'query',
      required: true,
      description: 'words',
      schema: { type: 'string', description: 'words' },
    });
    expect(op.parameters![3]!.schema).toEqual({ type: 'string', enum: ['dark', 'light'] });
    expect(op.requestBody).toBeUndefined();
  });

  it('a named query schema is read through its component', () => {
    const app = newApp();
    const Paging = z.object({ page: z.number() }).meta({ id: 'Paging' });
    app.get('/list', { endpoint: 'list', query: Paging }, ok);
    const doc = app.openapi();
    expect(doc.paths['/list']!.get!.parameters).toEqual([
      { name: 'page', in: 'query', required: true, schema: { type: 'number' } },
    ]);
    expect(doc.components!.schemas!.Paging).toEqual({
      type: 'object',
      properties: { page: { type: 'number' } },
      required: ['page'],
    });
  });

  it('body: application/json, with the schema as input', () => {
    const app = newApp();
    app.post('/items', { endpoint: 'add', body: z.object({ n: z.string().transform(Number) }) }, ok);
    expect(app.openapi().paths['/items']!.post!.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: { type: 'object', properties: { n: { type: 'string' } }, required: ['n'] },
        },
      },
    });
  });

  it('form: both form encodings; with a file, multipart only', () => {
    const app = newApp();
    app.post('/contact', { endpoint: 'contact', form: z.object({ email: z.email() }) }, ok);
    app.post('/avatar', { endpoint: 'avatar', form: z.object({ image: fileSchema({ maxSize: 1000 }) }) }, ok);
    app.post('/many', { endpoint: 'many', form: z.object({ files: z.array(fileSchema()) }) }, ok);
    app.post('/zod', { endpoint: 'zod', form: z.object({ file: z.file() }) }, ok);
    const doc = app.openapi();
    expect(Object.keys(doc.paths['/contact']!.post!.requestBody!.content)).toEqual([
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ]);
    expect(doc.paths['/avatar']!.post!.requestBody!.content).toEqual({
      'multipart/form-data': {
        schema: {
          type: 'object',
          properties: { image: { type: 'string', format: 'binary' } },
          required: ['image'],
        },
      },
    });
    expect(doc.paths['/many']!.post!.requestBody!.content['multipart/form-data']!.schema.properties).toEqual({
      files: { type: 'array', items: { type: 'string', format: 'binary' } },
    });
    expect(Object.keys(doc.paths['/zod']!.post!.requestBody!.content)).toEqual(['multipart/form-data']);
  });

  it('a body schema with a file describes a multipart form, which JSON cannot carry', () => {
    const app = newApp();
    app.post('/up', { endpoint: 'up', body: z.object({ doc: fileSchema(), note: z.string() }) }, ok);
    expect(Object.keys(app.openapi().paths['/up']!.post!.requestBody!.content)).toEqual(['multipart/form-data']);
  });
});

describe('responses', () => {
  it('response: a 200 with the schema as output; no request schema, no 422', () => {
    const app = newApp();
    // Output: the defaulted key is always there, and unknown keys are stripped.
    app.get('/n', { endpoint: 'n', response: z.object({ n: z.number().default(1) }) }, () => ({}));
    const op = app.openapi().paths['/n']!.get!;
    expect(op.responses).toEqual({
      '200': {
        description: 'OK',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { n: { default: 1, type: 'number' } },
              required: ['n'],
              additionalProperties: false,
            },
          },
        },
      },
    });
  });

  it('a route without schemas answers a plain 200', () => {
    const app = newApp();
    app.get('/plain', { endpoint: 'plain' }, ok);
    expect(app.openapi().paths['/plain']!.get!.responses).toEqual({ '200': { description: 'OK' } });
  });

  it('any request schema adds the 422 problem, one shared ValidationProblem component', () => {
    const app = newApp();
    app.get('/a', { endpoint: 'a', query: z.object({ q: z.string() }) }, ok);
    app.post('/b', { endpoint: 'b', body: z.object({ q: z.string() }) }, ok);
    const doc = app.openapi();
    for (const op of [doc.paths['/a']!.get!, doc.paths['/b']!.post!]) {
      expect(op.responses['422']).toEqual({
        description: 'The request did not match its schemas',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ValidationProblem' } } },
      });
    }
    const problem = doc.components!.schemas!.ValidationProblem!;
    expect(problem.required).toEqual(['type', 'title', 'status', 'detail', 'errors']);
    expect(Object.keys(problem.properties as object)).toEqual(['type', 'title', 'status', 'detail', 'errors']);
  });

  it('the ValidationProblem component describes the body a failed validation actually sends', () => {
    const app = newApp();
    app.get('/a', { endpoint: 'a', query: z.object({ q: z.string() }) }, ok);
    const problem = app.openapi().components!.schemas!.ValidationProblem!;
    const error = new ValidationError([{ location: 'query.page', message: 'Too small', code: 'too_small' }]);
    expect(conforms(JSON.parse(error.getBody()), problem)).toEqual([]);
    expect(error.getHeaders()).toContainEqual(['Content-Type', 'application/problem+json']);
  });

  it('docs.responses add statuses, and a documented 2xx takes the response schema instead of 200', () => {
    const app = newApp();
    const Item = z.object({ id: z.number() });
    app.post(
      '/items',
      {
        endpoint: 'create',
        response: Item,
        responses: {
          201: { description: 'Created' },
          409: { description: 'Taken', schema: z.object({ reason: z.string() }) },
        },
      },
      () => [{ id: 1 }, 201] as const,
    );
    const responses = app.openapi().paths['/items']!.post!.responses;
    expect(Object.keys(responses)).toEqual(['201', '409']);
    expect(responses['201']!.description).toBe('Created');
    expect(responses['201']!.content!['application/json']!.schema.properties).toEqual({ id: { type: 'number' } });
    expect(responses['409']!.content!['application/json']!.schema.required).toEqual(['reason']);
  });

  it('docs.responses may override the 200 and the 422', () => {
    const app = newApp();
    app.get(
      '/x',
      {
        endpoint: 'x',
        query: z.object({ q: z.string() }),
        responses: { 200: { description: 'The thing' }, 422: { description: 'Bad query' } },
      },
      ok,
    );
    const responses = app.openapi().paths['/x']!.get!.responses;
    expect(responses['200']).toEqual({ description: 'The thing' });
    expect(responses['422']).toEqual({ description: 'Bad query' });
  });
});

describe('operations', () => {
  it('one per method, without the automatic HEAD and OPTIONS; an explicit OPTIONS stays', () => {
    const app = newApp();
    app.route('/r', { endpoint: 'r', methods: ['GET', 'POST'] }, ok);
    app.route('/o', { endpoint: 'o', methods: ['OPTIONS'], provideAutomaticOptions: false }, ok);
    app.route('/h', { endpoint: 'h', methods: ['HEAD'] }, ok);
    const doc = app.openapi();
    expect(Object.keys(doc.paths['/r']!)).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/o']!)).toEqual(['options']);
    expect(Object.keys(doc.paths['/h']!)).toEqual(['head']);
  });

  it('operationId: the endpoint (dots to underscores), by method when it has several, always unique', () => {
    const app = newApp();
    const bp = new Blueprint('shop', import.meta.url);
    bp.get('/one', { endpoint: 'one' }, ok);
    bp.route('/two', { endpoint: 'two', methods: ['GET', 'PUT'] }, ok);
    app.registerBlueprint(bp);
    app.get('/three', { endpoint: 'three', operationId: 'shop_one' }, ok);
    app.get('/four', { endpoint: 'four', operationId: 'custom' }, ok);
    const doc = app.openapi();
    expect(doc.paths['/one']!.get!.operationId).toBe('shop_one');
    expect(doc.paths['/two']!.get!.operationId).toBe('shop_two_get');
    expect(doc.paths['/two']!.put!.operationId).toBe('shop_two_put');
    expect(doc.paths['/three']!.get!.operationId).toBe('shop_one_2');
    expect(doc.paths['/four']!.get!.operationId).toBe('custom');
  });

  it('summary, description, deprecated and tags from docs; the blueprint adds its own tag', () => {
    const app = newApp();
    const bp = new Blueprint('admin', import.meta.url, { urlPrefix: '/admin' });
    bp.get(
      '/users',
      { endpoint: 'users', summary: 'Users', description: 'All of them.', deprecated: true, tags: ['people'] },
      ok,
    );
    app.registerBlueprint(bp);
    const doc = app.openapi({ tagDescriptions: { admin: 'Back office' } });
    expect(doc.paths['/admin/users']!.get).toEqual({
      operationId: 'admin_users',
      summary: 'Users',
      description: 'All of them.',
      tags: ['people', 'admin'],
      deprecated: true,
      responses: { '200': { description: 'OK' } },
    });
    expect(doc.tags).toEqual([{ name: 'people' }, { name: 'admin', description: 'Back office' }]);
  });

  it('security: schemes and the default from options, a route its own (`[]` for a public one)', async () => {
    const app = newApp();
    app.get('/private', { endpoint: 'private' }, ok);
    app.get('/public', { endpoint: 'public', security: [] }, ok);
    app.get('/admin', { endpoint: 'admin', security: [{ oauth: ['admin'] }] }, ok);
    const doc = app.openapi({
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        oauth: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/token', scopes: { admin: 'all' } } },
        },
      },
      security: [{ bearer: [] }],
    });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/private']!.get!.security).toBeUndefined();
    expect(doc.paths['/public']!.get!.security).toEqual([]);
    expect(doc.paths['/admin']!.get!.security).toEqual([{ oauth: ['admin'] }]);
    expect(Object.keys(doc.components!.securitySchemes!)).toEqual(['bearer', 'oauth']);
    expect((await validate(doc)).valid).toBe(true);
  });

  it('exclude takes endpoints and blueprint names; build-only and alias rules are left out', () => {
    const app = newApp();
    const bp = new Blueprint('hidden', import.meta.url, { urlPrefix: '/hidden' });
    bp.get('/a', { endpoint: 'a' }, ok);
    app.registerBlueprint(bp);
    app.get('/health', { endpoint: 'health' }, ok);
    app.get('/kept', { endpoint: 'kept' }, ok);
    app.router.add('/old-kept', { endpoint: 'kept', alias: true });
    app.router.add('/external/<id>', { endpoint: 'external', buildOnly: true });
    expect(Object.keys(app.openapi({ exclude: ['hidden', 'health'] }).paths)).toEqual(['/kept']);
  });

  it('defaults: the title is the app name and the version 0.0.0', () => {
    const doc: OpenApiDocument = newApp().openapi();
    expect(doc).toEqual({ openapi: '3.1.0', info: { title: 'test-app', version: '0.0.0' }, paths: {} });
  });

  it("a MethodView's per-method schemas describe each method", () => {
    const app = newApp();
    class Things extends MethodView {
      static schemas = { get: { query: z.object({ q: z.string() }) }, post: { body: z.object({ name: z.string() }) } };
      get(): string {
        return 'list';
      }
      post(): string {
        return 'made';
      }
    }
    app.addUrlRule('/things', { view: Things.asView('things') });
    const item = app.openapi().paths['/things']!;
    expect(item.get!.parameters!.map((p) => p.name)).toEqual(['q']);
    expect(item.get!.requestBody).toBeUndefined();
    expect(Object.keys(item.post!.requestBody!.content)).toEqual(['application/json']);
    expect(item.post!.parameters).toBeUndefined();
  });
});

describe('jsonSchemaOf', () => {
  const User = z.object({ id: z.number(), name: z.string().default('anon') }).meta({ id: 'User' });

  it('stands alone without components: named schemas stay in $defs', () => {
    expect(jsonSchemaOf(z.object({ user: User }), 'input')).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { user: { $ref: '#/$defs/User' } },
      required: ['user'],
      $defs: {
        User: {
          type: 'object',
          properties: { id: { type: 'number' }, name: { default: 'anon', type: 'string' } },
          required: ['id'],
        },
      },
    });
  });

  it('hoists named schemas into components once, and names a differing output shape UserOutput', () => {
    const components: Record<string, JsonSchema> = {};
    expect(jsonSchemaOf(User, 'input', { components })).toEqual({ $ref: '#/components/schemas/User' });
    expect(jsonSchemaOf(z.array(User), 'input', { components })).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/User' },
    });
    expect(jsonSchemaOf(User, 'output', { components })).toEqual({ $ref: '#/components/schemas/UserOutput' });
    expect(Object.keys(components)).toEqual(['User', 'UserOutput']);
    expect(components.User!.required).toEqual(['id']);
    expect(components.UserOutput).toMatchObject({ required: ['id', 'name'], additionalProperties: false });
  });

  it('renames a reference inside a named schema when its target is renamed', () => {
    const components: Record<string, JsonSchema> = { Inner: { type: 'null' } };
    const Inner = z.object({ x: z.string() }).meta({ id: 'Inner' });
    const Outer = z.object({ inner: Inner }).meta({ id: 'Outer' });
    jsonSchemaOf(Outer, 'input', { components });
    expect(components.Outer!.properties).toEqual({ inner: { $ref: '#/components/schemas/InnerInput' } });
    expect(components.InnerInput!.properties).toEqual({ x: { type: 'string' } });
  });

  it("uses another Standard Schema's own JSON Schema converter, else {}", () => {
    const validate = (value: unknown) => ({ value });
    const withConverter = {
      '~standard': {
        version: 1,
        vendor: 'other',
        validate,
        jsonSchema: {
          input: (options: { target: string }) => ({ type: 'string', $comment: options.target }),
          output: () => ({ type: 'number' }),
        },
      },
    } as unknown as StandardSchemaV1;
    const without = { '~standard': { version: 1, vendor: 'bare', validate } } as unknown as StandardSchemaV1;
    expect(jsonSchemaOf(withConverter, 'input')).toEqual({ type: 'string', $comment: 'draft-2020-12' });
    expect(jsonSchemaOf(withConverter, 'output')).toEqual({ type: 'number' });
    expect(jsonSchemaOf(without, 'input')).toEqual({});
  });
});
