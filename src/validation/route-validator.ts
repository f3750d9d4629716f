/** @module Route validation (layer L3): a route's schemas compiled once (coercion plans, the order of parts), then run per request before the view, and on the view's value after it. */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { BadRequest, HTTPError, UnsupportedMediaType } from '../http/errors.js';
import type { Headers } from '../http/headers.js';
import type { MultiDict } from '../http/multidict.js';
import type { Request } from '../wrappers/request.js';
import { Response } from '../wrappers/response.js';
import { readReturnTuple } from '../wrappers/return-tuple.js';
import { coerceEntries, coercionPlan, type CoercionPlan } from './coerce.js';
import { formEntries } from './form.js';
import { issueAt, ResponseValidationError, ValidationError, type ValidationIssue } from './errors.js';

/** The request parts, in the order they are validated and their issues listed. */
const PARTS = ['params', 'query', 'headers', 'cookies', 'body', 'form'] as const;
type Part = (typeof PARTS)[number];

/**
 * A route's schemas as the app keeps them (the app's RouteSchemas, structurally: validation/ does not import app/).
 *
 * @example
 * const schemas: SchemaSet = { query: z.object({ page: z.number() }) };
 */
export type SchemaSet = Partial<Record<Part | 'response', StandardSchemaV1>>;

/**
 * What the validator reads of a route's spec: its schemas, and a MethodView's own per method.
 *
 * @example
 * const spec: ValidatedSpec = { schemas: { body: itemSchema }, methods: { GET: { query: pageSchema } } };
 */
export interface ValidatedSpec {
  readonly schemas: SchemaSet;
  readonly methods?: Readonly<Partial<Record<string, SchemaSet>>>;
}

interface CompiledPart {
  readonly part: Part;
  readonly schema: StandardSchemaV1;
  readonly plan: CoercionPlan;
}

interface Compiled {
  readonly parts: readonly CompiledPart[];
  readonly response: StandardSchemaV1 | null;
}

/**
 * A route's compiled validation: `request` sets `req.valid` (or throws a 422 {@link ValidationError}, a 415 or a
 * 400); `response` checks the view's value and gives what goes out instead (or throws a
 * {@link ResponseValidationError}).
 *
 * @example
 * const validator = compileRouteValidator({ schemas: { query } });
 * await validator?.request(req);
 * req.valid.query;
 */
export interface RouteValidator {
  request(req: Request): Promise<void>;
  response(value: unknown, req: Request, endpoint: string): Promise<unknown>;
}

const NOTHING: Compiled = { parts: [], response: null };

function compile(schemas: SchemaSet): Compiled {
  const parts: CompiledPart[] = [];
  for (const part of PARTS) {
    const schema = schemas[part];
    if (schema !== undefined) parts.push({ part, schema, plan: coercionPlan(schema) });
  }
  return { parts, response: schemas.response ?? null };
}

/**
 * Compiles a route's spec, once, after setup: `null` when it has no schema at all (the pipeline then skips the step).
 *
 * @example
 * const validator = compileRouteValidator(app.routeSpecs.get('items')!);
 */
export function compileRouteValidator(spec: ValidatedSpec): RouteValidator | null {
  const own = compile(spec.schemas);
  const byMethod = new Map<string, Compiled>();
  for (const [method, schemas] of Object.entries(spec.methods ?? {}))
    if (schemas !== undefined) byMethod.set(method.toUpperCase(), compile(schemas));
  const empty = (c: Compiled): boolean => c.parts.length === 0 && c.response === null;
  if (empty(own) && [...byMethod.values()].every(empty)) return null;
  const forMethod = (method: string): Compiled =>
    byMethod.get(method) ??
    (method === 'HEAD' ? byMethod.get('GET') : undefined) ??
    (byMethod.size > 0 && empty(own) ? NOTHING : own);
  return {
    request: (req) => validateRequest(forMethod(req.method), req),
    response: (value, req, endpoint) => validateResponse(forMethod(req.method).response, value, endpoint),
  };
}

async function validateRequest(compiled: Compiled, req: Request): Promise<void> {
  const valid: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  for (const { part, schema, plan } of compiled.parts) {
    // A GET or HEAD has no body to check: the page a GET+POST form route renders, or a list beside its create.
    if ((part === 'body' || part === 'form') && (req.method === 'GET' || req.method === 'HEAD')) continue;
    const input = await readPart(req, part, plan);
    const result = await checkInput(schema, input);
    if (result.issues) for (const issue of result.issues) issues.push(issueAt(part, issue));
    else valid[part] = result.value;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  // Without a params schema, req.valid.params is the converted path values (its type is PathParams<Rule>).
  if (!('params' in valid)) valid.params = req.params;
  req.valid = Object.freeze(valid);
}

/**
 * A request value through its schema. A recursive schema (`z.lazy`) recurses once per level, so JSON nested a few
 * thousand deep overflows the stack: that is the client's doing, a 400, not a 500 on every such request.
 */
async function checkInput(schema: StandardSchemaV1, input: unknown): Promise<StandardSchemaV1.Result<unknown>> {
  try {
    const result = schema['~standard'].validate(input);
    return result instanceof Promise ? await result : result;
  } catch (error) {
    if (error instanceof RangeError)
      throw new BadRequest('The request is too deeply nested to validate.', { cause: error });
    throw error;
  }
}

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

async function readPart(req: Request, part: Part, plan: CoercionPlan): Promise<unknown> {
  switch (part) {
    case 'params':
      return coerceEntries(
        Object.entries(req.params as Record<string, unknown>).map(([k, v]) => [k, [v]] as const),
        plan,
      );
    case 'query':
      return coerceEntries(grouped(req.args), plan);
    case 'headers':
      return coerceEntries(headerEntries(req.headers), plan);
    case 'cookies':
      return coerceEntries(
        Object.entries(req.cookies).flatMap(([k, v]) => (v === undefined ? [] : [[k, [v]] as const])),
        plan,
      );
    case 'body':
      if (req.isJson) return req.json(); // malformed JSON: the Request's 400
      if (FORM_TYPES.has(req.mimetype)) return formInput(req, plan);
      if (await isBodiless(req)) return undefined;
      throw new UnsupportedMediaType(
        `This endpoint takes a JSON body (application/json) or a form (application/x-www-form-urlencoded, multipart/form-data); the request's Content-Type was ${req.contentType ? `'${req.contentType}'` : 'missing'}.`,
      );
    case 'form':
      if (FORM_TYPES.has(req.mimetype)) return formInput(req, plan);
      if (await isBodiless(req)) return undefined;
      throw new UnsupportedMediaType(
        `This endpoint takes a form (application/x-www-form-urlencoded or multipart/form-data); the request's Content-Type was ${req.contentType ? `'${req.contentType}'` : 'missing'}.`,
      );
  }
}

/**
 * No Content-Type and no bytes: a request sent without a body (a DELETE, a POST of nothing). Its schema gets
 * `undefined`, so `.optional()` passes and a required body is a 422 rather than a 415 about a type never sent.
 */
async function isBodiless(req: Request): Promise<boolean> {
  if (req.contentType !== '') return false;
  if (req.contentLength === 0) return true;
  return (await req.bytes()).length === 0;
}

/** A MultiDict as key → every value, keys in first-seen order. */
function grouped(dict: MultiDict<unknown>): Array<readonly [string, unknown[]]> {
  return [...dict.keys()].map((key) => [key, dict.getAll(key)] as const);
}

/**
 * Header names lower-cased, each with its one value: the environ joins a header sent twice with ', ' (RFC 9110
 * §5.3), so an array schema gets one item holding both; split it in the schema if you need the parts.
 */
function headerEntries(headers: Headers): Array<readonly [string, string[]]> {
  const byName = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), value]);
  }
  return [...byName];
}

/** The form's fields, and for multipart its files under their field names (an empty file input dropped). */
async function formInput(req: Request, plan: CoercionPlan): Promise<Record<string, unknown>> {
  return coerceEntries(await formEntries(req), plan);
}

async function validateResponse(schema: StandardSchemaV1 | null, value: unknown, endpoint: string): Promise<unknown> {
  if (schema === null) return value;
  // A Response (or an error, or a TSGI app) is sent as it is: the view took charge of the bytes.
  if (value instanceof Response || value instanceof globalThis.Response || value instanceof HTTPError) return value;
  if (typeof value === 'function') return value;
  const whole = await check(schema, value);
  if (Array.isArray(value)) {
    // A list the schema accepts is the body, whatever its items look like ([1, 2] is not [body, status]).
    if (!whole.issues) return jsonList(whole.value);
    // Otherwise it may be a tuple, read by makeResponse's own test; its body is what the schema describes.
    // The schema refused the array as the body, so `[record, headers]` is a body and its headers here, unless the
    // second record is one more body (two users where the route returns one): then the list is what was returned.
    const tuple = readReturnTuple(value, { recordThenHeaders: true });
    const secondIsBody = tuple?.status === undefined && !(await check(schema, value[1])).issues;
    if (tuple !== null && !secondIsBody) {
      const body = await check(schema, tuple.body);
      if (body.issues) throw rejected(endpoint, body.issues);
      const out = Array.isArray(body.value) ? jsonList(body.value) : body.value;
      // With the status spelled out, makeResponse reads it as the tuple it is (it takes two records for a list).
      return [out, tuple.status ?? 200, ...(tuple.headers === undefined ? [] : [tuple.headers])];
    }
  }
  if (whole.issues) throw rejected(endpoint, whole.issues);
  return whole.value;
}

async function check(schema: StandardSchemaV1, value: unknown): Promise<StandardSchemaV1.Result<unknown>> {
  const result = schema['~standard'].validate(value);
  return result instanceof Promise ? await result : result;
}

function rejected(endpoint: string, issues: ReadonlyArray<StandardSchemaV1.Issue>): ResponseValidationError {
  return new ResponseValidationError(
    endpoint,
    issues.map((issue) => issueAt('response', issue)),
  );
}

/** A schema's list output as JSON (jsonify's bytes), so makeResponse never reads it again as a tuple. */
function jsonList(value: unknown): Response {
  return new Response(`${JSON.stringify(value)}\n`, { contentType: 'application/json' });
}
