/** @module One operation of an OpenAPI 3.1 document (layer L3): a route's parameters, request body and responses, from its converters, schemas and docs. */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { STATUS_CODES } from '../http/status.js';
import type { Rule, Segment } from '../routing/rule.js';
import { jsonSchemaOf, resolveSchemaRef, type JsonSchema, type SchemaIo } from '../validation/json-schema.js';
import type { RouteDocs, RouteSchemas } from './handler-types.js';
import { converterSchema } from './openapi-converters.js';
import type {
  OpenApiMediaType,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiRequestBody,
  OpenApiResponse,
} from './openapi-types.js';

/** OpenAPI 3.1 §4.8.12.1: a header parameter with one of these names "SHALL be ignored"; they have their own fields. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set(['accept', 'content-type', 'authorization']);
const PROBLEM = 'ValidationProblem';

/**
 * The RFC 9457 problem body of a 422 (see docs/validation.md): one shared component, referenced by every operation
 * that validates something in the request.
 */
const VALIDATION_PROBLEM: JsonSchema = {
  type: 'object',
  description:
    'The request did not match its schemas (RFC 9457 problem details); `errors` lists the first 50 issues, `detail` says how many there were.',
  properties: {
    type: { type: 'string', description: "A URI naming the problem; 'about:blank' by default." },
    title: { type: 'string' },
    status: { type: 'integer', const: 422 },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'Where the issue is: `query.page`, `body.items.0.name`.' },
          message: { type: 'string' },
          code: { type: 'string' },
        },
        required: ['location', 'message', 'code'],
      },
    },
  },
  required: ['type', 'title', 'status', 'detail', 'errors'],
};

type PathParam = Extract<Extract<Segment, { kind: 'path' }>['param'], { kind: 'param' }>;

function pathParams(rule: Rule): PathParam[] {
  return rule.segments.flatMap((segment) =>
    segment.kind === 'static' ? [] : segment.kind === 'path' ? [segment.param] : segment.params,
  );
}

/**
 * One operation of the document: its names and tags (the route's, then its blueprint's), its parameters, request body
 * and responses from the route's schemas; named schemas (`.meta({ id })`) and the 422 problem go into `components`.
 *
 * @example
 * const operation = buildOperation(rule, schemasFor(spec, 'GET'), spec.docs, 'item', components);
 */
export function buildOperation(
  rule: Rule,
  routeSchemas: RouteSchemas,
  docs: RouteDocs,
  operationId: string,
  components: Record<string, JsonSchema>,
): OpenApiOperation {
  const toJson = (schema: StandardSchemaV1, io: SchemaIo): JsonSchema => jsonSchemaOf(schema, io, { components });
  const tags = [...(docs.tags ?? [])];
  const dot = rule.endpoint.lastIndexOf('.');
  if (dot > 0 && !tags.includes(rule.endpoint.slice(0, dot))) tags.push(rule.endpoint.slice(0, dot));
  const parameters = buildParameters(rule, routeSchemas, toJson, components);
  const requestBody = buildRequestBody(routeSchemas, toJson, components);
  const responses = buildResponses(routeSchemas, docs, toJson, components);
  // The order a reader expects: names first, then what goes in, then what comes out.
  return {
    operationId,
    ...(docs.summary === undefined ? {} : { summary: docs.summary }),
    ...(docs.description === undefined ? {} : { description: docs.description }),
    ...(tags.length === 0 ? {} : { tags }),
    ...(docs.deprecated === undefined ? {} : { deprecated: docs.deprecated }),
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(requestBody === null ? {} : { requestBody }),
    responses,
    ...(docs.security === undefined ? {} : { security: docs.security }),
  };
}

/** Path parameters from the converters (or the params schema), then one per property of query, headers, cookies. */
function buildParameters(
  rule: Rule,
  routeSchemas: RouteSchemas,
  toJson: (schema: StandardSchemaV1, io: SchemaIo) => JsonSchema,
  components: Readonly<Record<string, JsonSchema>>,
): OpenApiParameter[] {
  // A params schema's property describes the value itself, so it wins over the converter's schema.
  const paramsSchema = routeSchemas.params && resolveSchemaRef(toJson(routeSchemas.params, 'input'), components);
  const parameters: OpenApiParameter[] = pathParams(rule).map((param) => ({
    name: param.name,
    in: 'path',
    required: true,
    schema: propertiesOf(paramsSchema)[param.name] ?? converterSchema(param.converterName, param.args),
  }));
  const parts = [
    ['query', routeSchemas.query],
    ['header', routeSchemas.headers],
    ['cookie', routeSchemas.cookies],
  ] as const;
  for (const [where, schema] of parts) {
    if (schema === undefined) continue;
    const json = resolveSchemaRef(toJson(schema, 'input'), components);
    const required = new Set(Array.isArray(json.required) ? (json.required as string[]) : []);
    for (const [name, property] of Object.entries(propertiesOf(json))) {
      if (where === 'header' && RESERVED_HEADERS.has(name.toLowerCase())) continue;
      const parameter: OpenApiParameter = { name, in: where, required: required.has(name), schema: property };
      if (typeof property.description === 'string') parameter.description = property.description;
      if (property.deprecated === true) parameter.deprecated = true;
      parameters.push(parameter);
    }
  }
  return parameters;
}

/**
 * The body by media type: a `body` schema as JSON (as a multipart form when it has a file, which JSON cannot carry), a
 * `form` schema as both form encodings (multipart only when it has a file).
 */
function buildRequestBody(
  routeSchemas: RouteSchemas,
  toJson: (schema: StandardSchemaV1, io: SchemaIo) => JsonSchema,
  components: Readonly<Record<string, JsonSchema>>,
): OpenApiRequestBody | null {
  const content: Record<string, OpenApiMediaType> = {};
  if (routeSchemas.body !== undefined) {
    const schema = toJson(routeSchemas.body, 'input');
    if (hasBinary(schema, components)) content['multipart/form-data'] = { schema };
    else content['application/json'] = { schema };
  }
  if (routeSchemas.form !== undefined) {
    const schema = toJson(routeSchemas.form, 'input');
    if (!hasBinary(schema, components)) content['application/x-www-form-urlencoded'] = { schema };
    content['multipart/form-data'] = { schema };
  }
  return Object.keys(content).length > 0 ? { required: true, content } : null;
}

function buildResponses(
  routeSchemas: RouteSchemas,
  docs: RouteDocs,
  toJson: (schema: StandardSchemaV1, io: SchemaIo) => JsonSchema,
  components: Record<string, JsonSchema>,
): Record<string, OpenApiResponse> {
  const given = Object.entries(docs.responses ?? {}).map(([status, response]) => ({
    status: Number(status),
    response,
  }));
  // The response schema describes the 200, or the route's first documented 2xx when it names one (a 201 Created).
  const success =
    given
      .map((g) => g.status)
      .filter((s) => s >= 200 && s < 300)
      .sort((a, b) => a - b)[0] ?? 200;
  const responses: Record<string, OpenApiResponse> = {};
  const own = given.find((g) => g.status === success)?.response;
  const successSchema = own?.schema ?? routeSchemas.response;
  responses[String(success)] = {
    description: own?.description ?? STATUS_CODES[success] ?? 'OK',
    ...(successSchema ? { content: { 'application/json': { schema: toJson(successSchema, 'output') } } } : {}),
  };
  const validates = (['params', 'query', 'headers', 'cookies', 'body', 'form'] as const).some(
    (part) => routeSchemas[part] !== undefined,
  );
  if (validates) {
    components[PROBLEM] ??= VALIDATION_PROBLEM;
    responses['422'] = {
      description: 'The request did not match its schemas',
      content: { 'application/problem+json': { schema: { $ref: `#/components/schemas/${PROBLEM}` } } },
    };
  }
  for (const { status, response } of given) {
    if (status === success) continue;
    responses[String(status)] = {
      description: response.description,
      ...(response.schema ? { content: { 'application/json': { schema: toJson(response.schema, 'output') } } } : {}),
    };
  }
  return sortKeys(responses);
}

function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  const properties = schema?.properties;
  return properties !== null && typeof properties === 'object' ? (properties as Record<string, JsonSchema>) : {};
}

/** A file field anywhere in the top level of a form schema: zod's `z.file()` is `format: binary`. */
function hasBinary(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>): boolean {
  const isBinary = (property: JsonSchema): boolean => {
    const resolved = resolveSchemaRef(property, components);
    if (resolved.format === 'binary' || resolved.contentMediaType !== undefined) return true;
    const items = resolved.items;
    if (items !== null && typeof items === 'object' && !Array.isArray(items)) return isBinary(items as JsonSchema);
    const variants = [resolved.anyOf, resolved.oneOf].flatMap((v) => (Array.isArray(v) ? (v as JsonSchema[]) : []));
    return variants.some(isBinary);
  };
  return Object.values(propertiesOf(resolveSchemaRef(schema, components))).some(isBinary);
}

/** The record with its keys in order, so a document reads (and diffs) the same each time. */
export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
