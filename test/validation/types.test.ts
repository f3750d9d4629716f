/** Type tests of route schemas: `req.valid` typed from the schemas' outputs, `params` from the rule without a params schema, the view's return checked against the response schema's input. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { App, type FileStorage, type Request } from 'flagon';
import { fileSchema } from 'flagon/validation';
import type { RouteRequest, ValidData, ViewReturn } from 'flagon/app';

const app = new App(import.meta.url);
const query = z.object({ page: z.number().int().default(1), tags: z.array(z.string()) });
const body = z.object({ name: z.string(), price: z.number().transform((n) => String(n)) });
const item = z.object({ id: z.number(), name: z.string() });

describe('route schemas type the request and the view', () => {
  it('req.valid.query and req.valid.body are the schemas outputs', () => {
    app.post('/items/<int:id>', { query, body }, (req) => {
      expectTypeOf(req.valid.query).toEqualTypeOf<{ page: number; tags: string[] }>();
      expectTypeOf(req.valid.body).toEqualTypeOf<{ name: string; price: string }>();
      expectTypeOf(req.valid.params).toEqualTypeOf<{ id: number }>();
      expectTypeOf(req.params).toEqualTypeOf<{ id: number }>();
      return 'ok';
    });
    expect(app.routeSpecs.get('items_id_post')?.schemas.query).toBe(query);
  });

  it('a params schema replaces PathParams in req.valid.params', () => {
    app.get('/users/<id>', { params: z.object({ id: z.coerce.number() }) }, (req) => {
      expectTypeOf(req.valid.params).toEqualTypeOf<{ id: number }>();
      // @ts-expect-error: no query schema, so no req.valid.query
      void req.valid.query;
      return 'ok';
    });
  });

  it('a route without schemas has req.valid unknown', () => {
    app.get('/plain', (req) => {
      expectTypeOf(req.valid).toBeUnknown();
      return 'ok';
    });
    app.get('/plain2', { strictSlashes: false }, (req) => {
      expectTypeOf(req.valid).toBeUnknown();
      return 'ok';
    });
  });

  it('the view returns the response schema input, in a tuple, or a Response', () => {
    app.get('/item', { response: item }, () => ({ id: 1, name: 'pen' }));
    app.get('/item2', { response: item }, () => [{ id: 1, name: 'pen' }, 201] as const);
    app.get('/item3', { response: item }, async () => ({ id: 1, name: 'pen' }));
    // A tuple without `as const`, as Flask users write it: typed as a tuple, not an array (failed before 1f0b6a7's fix).
    app.post('/item6', { response: item }, () => [{ id: 1, name: 'pen' }, 201]);
    app.post('/item7', { response: item }, () => {
      return [{ id: 1, name: 'pen' }, 201, { Location: '/items/1' }];
    });
    // @ts-expect-error: the tuple's body is checked too
    app.post('/item8', { response: item }, () => [{ id: 'one', name: 'pen' }, 201]);
    app.get('/created', () => ['Created', 201]);
    // @ts-expect-error: name must be a string
    app.get('/item4', { response: item }, () => ({ id: 1, name: 2 }));
    // @ts-expect-error: id is missing
    app.get('/item5', { response: item }, () => ({ name: 'pen' }));
    expectTypeOf<ViewReturn<{ response: typeof item }>>().toExtend<unknown>();
  });

  it('fileSchema gives a required FileStorage', () => {
    app.post('/upload', { form: z.object({ file: fileSchema(), more: z.array(fileSchema()).optional() }) }, (req) => {
      expectTypeOf(req.valid.form.file).toEqualTypeOf<FileStorage>();
      expectTypeOf(req.valid.form.more).toEqualTypeOf<FileStorage[] | undefined>();
      return 'ok';
    });
  });

  it('decorators and RouteRequest carry the schemas', () => {
    const schemas = { query };
    class Pages {
      @app.get('/search', schemas)
      static search(req: RouteRequest<'/search', typeof schemas>) {
        expectTypeOf(req.valid.query.page).toEqualTypeOf<number>();
        return 'ok';
      }
    }
    void Pages;
    expectTypeOf<ValidData<{ query: typeof query }, '/x/<int:n>'>>().toEqualTypeOf<
      { readonly query: { page: number; tags: string[] } } & { readonly params: { n: number } }
    >();
    expectTypeOf<Request['valid']>().toBeUnknown();
  });
});
