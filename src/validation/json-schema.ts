/** @module JSON Schema from route schemas (layer L3): zod 4's converter, or a Standard Schema vendor's own, as draft 2020-12 for OpenAPI 3.1. */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { z } from 'zod';

/**
 * A JSON Schema (draft 2020-12) as a plain object: what OpenAPI 3.1 calls a Schema Object.
 *
 * @example
 * const page: JsonSchema = { type: 'integer', minimum: 1 };
 */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * Which side of a schema to describe: what it accepts (`input`, for requests) or what it produces (`output`, for
 * responses). They differ for defaults, transforms and coercions: `z.string().transform(Number)` takes a string and
 * gives a number.
 *
 * @example
 * const io: SchemaIo = 'output';
 */
export type SchemaIo = 'input' | 'output';

/**
 * Options of {@link jsonSchemaOf}.
 *
 * @example
 * const components: Record<string, JsonSchema> = {};
 * jsonSchemaOf(userSchema, 'output', { components }); // { $ref: '#/components/schemas/User' }
 */
export interface JsonSchemaOptions {
  /**
   * Where named schemas go (OpenAPI's `components.schemas`): a zod schema with an `id` in its `.meta()` is put here
   * once and referred to as `#/components/schemas/<id>`. Without it, named schemas stay in the result's `$defs`, so
   * the result stands alone. The same id with a different shape (an object's input and output differ) gets a suffix:
   * `UserOutput`.
   */
  components?: Record<string, JsonSchema>;
}

/** The part of the Standard JSON Schema interface (zod ≥ 4.2, valibot, arktype) this module reads. */
interface JsonSchemaConverter {
  readonly input?: (options: { target: string }) => Record<string, unknown>;
  readonly output?: (options: { target: string }) => Record<string, unknown>;
}

const COMPONENTS = '#/components/schemas/';
const DEFS = '#/$defs/';

/**
 * The JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of a route schema. A zod schema goes through zod 4's
 * `z.toJSONSchema` (what zod cannot express, such as a `z.date()` or a transform's output, becomes `{}`, "any
 * value"); another Standard Schema through its vendor's Standard JSON Schema converter when it has one, else `{}`.
 *
 * @example
 * jsonSchemaOf(z.object({ page: z.coerce.number().int().min(1) }), 'input');
 * // { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { page: { type: 'integer', minimum: 1, … } }, required: ['page'] }
 */
export function jsonSchemaOf(schema: StandardSchemaV1, io: SchemaIo, options: JsonSchemaOptions = {}): JsonSchema {
  const raw = convert(schema, io);
  if (options.components === undefined) return raw;
  return hoistDefs(raw, io, options.components);
}

/**
 * Follows a `#/components/schemas/…` reference to the schema it names (one step at a time, so a chain ends); any
 * other schema is returned as it is.
 *
 * @example
 * resolveSchemaRef({ $ref: '#/components/schemas/Page' }, { Page: { type: 'object' } }); // { type: 'object' }
 */
export function resolveSchemaRef(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>): JsonSchema {
  let current = schema;
  for (let hops = 0; hops < 16; hops++) {
    const ref = current.$ref;
    if (typeof ref !== 'string' || !ref.startsWith(COMPONENTS)) return current;
    const target = components[decodeURIComponent(ref.slice(COMPONENTS.length))];
    if (target === undefined) return current;
    current = target;
  }
  return current;
}

function isZod(schema: StandardSchemaV1): schema is StandardSchemaV1 & z.core.$ZodType {
  return schema['~standard'].vendor === 'zod' && '_zod' in schema;
}

function convert(schema: StandardSchemaV1, io: SchemaIo): JsonSchema {
  if (isZod(schema)) {
    return z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  }
  const converter = (schema['~standard'] as { jsonSchema?: JsonSchemaConverter }).jsonSchema;
  const fn = converter?.[io];
  if (typeof fn !== 'function') return {};
  try {
    return { ...fn({ target: 'draft-2020-12' }) };
  } catch {
    // A vendor that cannot describe this schema in draft 2020-12: document "any value" rather than fail the document.
    return {};
  }
}

/** Moves `$defs` into `components` (deduplicated by content) and points every `#/$defs/` reference there. */
function hoistDefs(raw: JsonSchema, io: SchemaIo, components: Record<string, JsonSchema>): JsonSchema {
  const { $schema: _dialect, $defs, ...root } = raw;
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  const ids = Object.keys(defs);
  // Each id tries names in turn (`User`, `UserOutput`, `UserOutput2`…) until its content, with the references of
  // this batch rewritten to the names chosen so far, is new or equal to what the name already holds.
  const tries = new Map(ids.map((id) => [id, 0]));
  const names = new Map(ids.map((id) => [id, candidateName(id, io, 0)]));
  for (let round = 0; round <= ids.length * 4; round++) {
    let changed = false;
    for (const id of ids) {
      const name = names.get(id)!;
      const held = components[name];
      if (held !== undefined && !deepEqual(held, rewriteRefs(defs[id], names))) {
        const next = tries.get(id)! + 1;
        tries.set(id, next);
        names.set(id, candidateName(id, io, next));
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (const id of ids) components[names.get(id)!] ??= rewriteRefs(defs[id], names) as JsonSchema;
  return rewriteRefs(root, names) as JsonSchema;
}

/** OpenAPI component names match `^[a-zA-Z0-9.\-_]+$`. */
function candidateName(id: string, io: SchemaIo, attempt: number): string {
  const base = id.replace(/[^A-Za-z0-9._-]/g, '_') || 'Schema';
  if (attempt === 0) return base;
  const suffix = io === 'output' ? 'Output' : 'Input';
  return attempt === 1 ? `${base}${suffix}` : `${base}${suffix}${attempt}`;
}

function rewriteRefs(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonSchema = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith(DEFS)) {
      const id = decodeURIComponent(item.slice(DEFS.length));
      out[key] = `${COMPONENTS}${names.get(id) ?? id}`;
    } else {
      out[key] = rewriteRefs(item, names);
    }
  }
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && deepEqual((a as JsonSchema)[key], (b as JsonSchema)[key]));
}
