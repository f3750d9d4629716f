/** @module Route specs (layer L3): the schemas and docs a route gave in its options, kept per endpoint for validation and API documents. */
import type { AddUrlRuleOptions, RouteDocs, RouteSchemas, RouteSpec } from './handler-types.js';

const SCHEMA_KEYS = ['params', 'query', 'headers', 'cookies', 'body', 'form', 'response'] as const;
const DOC_KEYS = ['summary', 'description', 'tags', 'deprecated', 'operationId', 'responses', 'security'] as const;

/**
 * The spec of a route from its options, or `null` when it gave no schema and no docs. A MethodView's static `schemas`
 * (`{ get: {...}, post: {...} }`, read from the view `asView` made) go to `methods`, upper-cased.
 *
 * @example
 * routeSpecOf({ query: pageSchema, summary: 'List' }); // { schemas: { query: pageSchema }, docs: { summary: 'List' } }
 */
export function routeSpecOf(options: AddUrlRuleOptions): RouteSpec | null {
  const schemas: RouteSchemas = {};
  const docs: RouteDocs = {};
  let given = false;
  for (const key of SCHEMA_KEYS) {
    if (options[key] !== undefined) {
      schemas[key] = options[key];
      given = true;
    }
  }
  for (const key of DOC_KEYS) {
    if (options[key] !== undefined) {
      (docs as Record<string, unknown>)[key] = options[key];
      given = true;
    }
  }
  const viewClass = (options.view as { viewClass?: { schemas?: unknown } } | undefined)?.viewClass;
  const perMethod = viewClass?.schemas as Readonly<Record<string, RouteSchemas | undefined>> | undefined;
  let methods: Partial<Record<string, RouteSchemas>> | undefined;
  if (perMethod !== undefined && perMethod !== null) {
    methods = {};
    for (const [method, own] of Object.entries(perMethod)) if (own) methods[method.toUpperCase()] = own;
    given = true;
  }
  if (!given) return null;
  return Object.freeze(methods === undefined ? { schemas, docs } : { schemas, docs, methods: Object.freeze(methods) });
}

/**
 * The schemas a request with `method` validates against: a MethodView's own for the method (HEAD uses GET's), else
 * the route's.
 *
 * @example
 * schemasFor(spec, 'HEAD'); // spec.methods.GET, when the class gave get() schemas
 */
export function schemasFor(spec: RouteSpec, method: string): RouteSchemas {
  if (spec.methods === undefined) return spec.schemas;
  return spec.methods[method] ?? (method === 'HEAD' ? spec.methods.GET : undefined) ?? spec.schemas;
}
