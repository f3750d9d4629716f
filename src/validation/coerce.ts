/** @module Coercion of request strings (layer L3): a plan per schema from its input JSON Schema (zod 4), and the step that turns a MultiDict or a record into the object the schema validates. */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { z } from 'zod';

/** What one field's strings become: numbers and booleans where the schema wants them, every value for an array. */
interface FieldPlan {
  readonly array: boolean;
  readonly number: boolean;
  readonly boolean: boolean;
}

/**
 * How the strings of a request part become the values its schema expects, by field name; `null` when the schema is
 * not zod's (or its JSON Schema is not an object): values stay strings, a repeated key gives an array.
 *
 * @example
 * const plan = coercionPlan(z.object({ page: z.number() })); // page: numeric text → number
 */
export type CoercionPlan = ReadonlyMap<string, FieldPlan> | null;

type JsonSchema = Record<string, unknown>;

const TRUE_WORDS = new Set(['1', 'true', 'on', 'yes']);
const FALSE_WORDS = new Set(['0', 'false', 'off', 'no']);
// Numeric text only: anything else stays a string, so the schema rejects it with its own message.
const NUMERIC = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * The coercion plan of a schema, from zod 4's `z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })`,
 * computed once per route. Other Standard Schema libraries get no plan (see {@link CoercionPlan}).
 *
 * @example
 * coercionPlan(z.object({ tags: z.array(z.string()) }))?.get('tags'); // { array: true, number: false, boolean: false }
 */
export function coercionPlan(schema: StandardSchemaV1): CoercionPlan {
  if (schema['~standard'].vendor !== 'zod') return null;
  let root: JsonSchema;
  try {
    root = z.toJSONSchema(schema as unknown as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return null; // zod 3 schemas carry the vendor 'zod' too, and have no toJSONSchema
  }
  const plan = new Map<string, FieldPlan>();
  for (const object of members(root, root)) {
    const properties = object.properties as Record<string, JsonSchema> | undefined;
    if (properties === undefined) continue;
    for (const [name, property] of Object.entries(properties)) plan.set(name, fieldPlan(root, property));
  }
  return plan.size === 0 ? null : plan;
}

/** A schema and the members of its unions and intersections, `$ref`s resolved (objects, unions of objects). */
function members(root: JsonSchema, schema: JsonSchema, depth = 0): JsonSchema[] {
  const resolved = resolve(root, schema);
  if (depth > 8) return [resolved];
  const nested = [resolved.anyOf, resolved.oneOf, resolved.allOf].flatMap((list) =>
    Array.isArray(list) ? (list as JsonSchema[]).flatMap((member) => members(root, member, depth + 1)) : [],
  );
  return [resolved, ...nested];
}

function resolve(root: JsonSchema, schema: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  if (ref === '#') return root;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = match ? (root[match[1]!] as Record<string, JsonSchema> | undefined) : undefined;
  return defs?.[match![2]!] ?? schema;
}

function typesOf(root: JsonSchema, schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  for (const member of members(root, schema)) {
    const type = member.type;
    // A literal or enum takes only its own words, not any text: it must not stop `?limit=5` from being a number
    // in `z.union([z.number(), z.literal('all')])` (a numeric literal word, `z.literal('5')`, then gets the number).
    const literal = 'const' in member || 'enum' in member;
    const add = (t: string): void => {
      if (!(literal && t === 'string')) types.add(t);
    };
    if (typeof type === 'string') add(type);
    else if (Array.isArray(type)) for (const t of type) add(String(t));
  }
  return types;
}

function fieldPlan(root: JsonSchema, property: JsonSchema): FieldPlan {
  const types = typesOf(root, property);
  if (types.has('array')) {
    const items = members(root, property)
      .map((member) => member.items)
      .filter((items): items is JsonSchema => typeof items === 'object' && items !== null && !Array.isArray(items));
    const itemTypes = new Set(items.flatMap((item) => [...typesOf(root, item)]));
    return { array: true, ...scalar(itemTypes) };
  }
  return { array: false, ...scalar(types) };
}

/** A field that takes a string keeps it: `z.union([z.string(), z.number()])` gets the text as sent. */
function scalar(types: ReadonlySet<string>): { number: boolean; boolean: boolean } {
  if (types.has('string')) return { number: false, boolean: false };
  return { number: types.has('number') || types.has('integer'), boolean: types.has('boolean') };
}

function coerceValue(value: unknown, field: FieldPlan): unknown {
  if (typeof value !== 'string') return value;
  if (field.number && NUMERIC.test(value)) return Number(value);
  if (field.boolean) {
    const word = value.toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  return value;
}

/**
 * The object a schema validates, from the values of each key (a MultiDict's `getAll`, or one value of a record): an
 * array field gets every value, a scalar field the first (Werkzeug's `MultiDict.get`), coerced by the plan; a key the
 * plan does not know, or any key without a plan, gets its string, or an array when it was given more than once.
 *
 * @example
 * coerceEntries([['page', ['2']], ['tag', ['a', 'b']]], plan); // { page: 2, tag: ['a', 'b'] }
 */
export function coerceEntries(
  entries: Iterable<readonly [string, readonly unknown[]]>,
  plan: CoercionPlan,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, given] of entries) {
    const field = plan?.get(key);
    // An empty value of a number or boolean field is no value (FastAPI's Form, an HTML input left blank): `.optional()`
    // passes, a default applies, and z.coerce.number() never reads '' as 0.
    const values = field !== undefined && (field.number || field.boolean) ? given.filter((v) => v !== '') : given;
    if (values.length === 0) continue;
    let value: unknown;
    if (field === undefined) value = values.length > 1 ? [...values] : values[0];
    else if (field.array) value = values.map((v) => coerceValue(v, field));
    else value = coerceValue(values[0], field);
    // defineProperty: a '__proto__' key stays a plain key (the schema may reject it), never the prototype
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
