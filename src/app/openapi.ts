/** @module OpenAPI 3.1 documents (layer L3): the url map's rules, their converters and the routes' schemas and docs, as one document. */
import type { Rule } from '../routing/rule.js';
import type { JsonSchema } from '../validation/json-schema.js';
import type { RouteSchemas } from './handler-types.js';
import { buildOperation, sortKeys } from './openapi-operation.js';
import type {
  OpenApiDocument,
  OpenApiMethod,
  OpenApiOptions,
  OpenApiPathItem,
  OpenApiSource,
} from './openapi-types.js';
import { schemasFor } from './route-spec.js';

const METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE']);
/**
 * Builds the OpenAPI 3.1.0 document of an app: one path per rule (`/users/<int(min=1):id>` → `/users/{id}`), one
 * operation per method (not the automatic HEAD and OPTIONS), path parameters typed from the converters, and the
 * parameters, request bodies and responses of the routes' schemas (JSON Schema from zod 4); summaries, tags,
 * security from the routes' docs options, and a tag per blueprint. Static-file routes and `exclude`d endpoints are
 * left out. Also `app.openapi(options)`.
 *
 * @example
 * const doc = buildOpenApi(app, { info: { title: 'Shop', version: '1.0.0' } });
 * writeFileSync('openapi.json', JSON.stringify(doc, null, 2));
 */
export function buildOpenApi(app: OpenApiSource, options: OpenApiOptions = {}): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  const paths: Record<string, OpenApiPathItem> = {};
  const tags: string[] = [];
  const exclude = new Set(options.exclude ?? []);
  const rules = app.router.rules.filter(
    (rule) =>
      !rule.buildOnly &&
      !rule.alias &&
      rule.endpoint !== 'static' &&
      !rule.endpoint.endsWith('.static') &&
      !isExcluded(rule.endpoint, exclude),
  );
  // An endpoint with several operations (methods, or rules) names each by its method: `user_get`, `user_put`.
  const perEndpoint = new Map<string, number>();
  for (const rule of rules)
    perEndpoint.set(rule.endpoint, (perEndpoint.get(rule.endpoint) ?? 0) + methodsOf(rule).length);
  const operationIds = new Set<string>();

  for (const rule of rules) {
    const spec = app.routeSpecs.get(rule.endpoint);
    const path = pathTemplate(rule);
    const item = (paths[path] ??= {});
    for (const method of methodsOf(rule)) {
      const key = method.toLowerCase() as OpenApiMethod;
      if (item[key] !== undefined) continue; // two rules with one template (`<int:id>`, `<uuid:id>`): the first wins
      const routeSchemas = spec === undefined ? {} : bodyless(method, schemasFor(spec, method));
      const docs = spec?.docs ?? {};
      const base = docs.operationId ?? rule.endpoint.replaceAll('.', '_');
      const operationId = uniqueId(perEndpoint.get(rule.endpoint)! > 1 ? `${base}_${key}` : base, operationIds);
      const operation = buildOperation(rule, routeSchemas, docs, operationId, schemas);
      for (const tag of operation.tags ?? []) if (!tags.includes(tag)) tags.push(tag);
      item[key] = operation;
    }
    if (Object.keys(item).length === 0) delete paths[path];
  }

  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: options.info?.title ?? app.name,
      version: options.info?.version ?? '0.0.0',
      ...(options.info?.description === undefined ? {} : { description: options.info.description }),
    },
    ...(options.servers === undefined ? {} : { servers: options.servers }),
    paths,
  };
  const components: NonNullable<OpenApiDocument['components']> = {};
  if (Object.keys(schemas).length > 0) components.schemas = sortKeys(schemas);
  if (options.securitySchemes !== undefined) components.securitySchemes = options.securitySchemes;
  if (Object.keys(components).length > 0) doc.components = components;
  if (options.security !== undefined) doc.security = options.security;
  if (tags.length > 0) {
    doc.tags = tags.map((name) => {
      const description = options.tagDescriptions?.[name];
      return description === undefined ? { name } : { name, description };
    });
  }
  return doc;
}

/** The endpoint, or a blueprint it belongs to (`a` and `a.b` for `a.b.c`), is in the set. */
function isExcluded(endpoint: string, exclude: ReadonlySet<string>): boolean {
  if (exclude.has(endpoint)) return true;
  for (let dot = endpoint.indexOf('.'); dot > 0; dot = endpoint.indexOf('.', dot + 1))
    if (exclude.has(endpoint.slice(0, dot))) return true;
  return false;
}

/** A GET or HEAD without its body and form schemas: validation skips them there (docs/validation.md). */
function bodyless(method: string, schemas: RouteSchemas): RouteSchemas {
  if (method !== 'GET' && method !== 'HEAD') return schemas;
  const { body: _body, form: _form, ...rest } = schemas;
  return rest;
}

/** The rule's methods as operations: not the HEAD that comes with GET, nor an automatic OPTIONS; known methods only. */
function methodsOf(rule: Rule): string[] {
  return [...rule.methods].filter(
    (method) =>
      METHODS.has(method) &&
      !(method === 'HEAD' && rule.methods.has('GET')) &&
      !(method === 'OPTIONS' && rule.automaticOptions),
  );
}

function uniqueId(wanted: string, taken: Set<string>): string {
  let id = wanted;
  for (let n = 2; taken.has(id); n++) id = `${wanted}_${n}`;
  taken.add(id);
  return id;
}

/**
 * The OpenAPI path template of a rule: each `<converter(args):name>` becomes `{name}`, a `<path:…>` included
 * (OpenAPI has no way to say that a parameter may hold `/`; docs/validation.md says so).
 */
function pathTemplate(rule: Rule): string {
  const path = rule.segments
    .map((segment) => {
      if (segment.kind === 'static') return `/${segment.text}`;
      if (segment.kind === 'path') return `/{${segment.param.name}}`;
      return `/${segment.parts.map((part) => (part.kind === 'text' ? part.text : `{${part.name}}`)).join('')}`;
    })
    .join('');
  return path === '' ? '/' : path;
}
