import { describe, expect } from 'vitest';
import { test } from './fixtures.js';

describe('the API docs', () => {
  test('/openapi.json describes every route, with the schemas as named components', async ({ client }) => {
    const response = await client.get('/openapi.json');
    expect(response.status).toBe(200);
    const doc = response.json as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, { operationId: string; tags?: string[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe('Notes API');
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );
    expect(operations.sort()).toEqual([
      'DELETE /notes/{id} notes_delete',
      'GET /notes notes_list',
      'GET /notes/{id} notes_get',
      'PATCH /notes/{id} notes_update',
      'POST /notes notes_create',
    ]);
    expect(doc.paths['/notes']?.get?.tags).toEqual(['notes']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Note', 'NewNote', 'NotePatch']));
  });

  test('/docs is the page to read and try it; / leads there', async ({ client }) => {
    const page = await client.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toContain('text/html');
    expect(page.text).toContain('Notes API');
    expect((await client.get('/')).headers.get('Location')).toBe('/docs');
  });
});
