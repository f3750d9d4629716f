/** @module The JSON Schema of a path parameter from its converter and arguments (layer L3), for the OpenAPI document. */
import { numberArg, parseConverterArgs, type ConverterArgs } from '../routing/converters.js';
import type { JsonSchema } from '../validation/json-schema.js';

/**
 * The JSON Schema of a path value from its converter and the arguments written in the rule, as the converter reads
 * them (src/routing/converters.ts): `int` an integer (not below 0 unless `signed`), `float` a number, `uuid` a
 * string of format uuid, `any(a, b)` an enum, `string` its lengths, `path` and custom converters a string.
 *
 * @example
 * converterSchema('int', 'min=1, max=99'); // { type: 'integer', minimum: 1, maximum: 99 }
 * converterSchema('any', 'json, xml');     // { type: 'string', enum: ['json', 'xml'] }
 */
export function converterSchema(converter: string, argText = ''): JsonSchema {
  let args: ConverterArgs;
  try {
    args = parseConverterArgs(argText);
  } catch {
    args = { positional: [], keyword: {} };
  }
  const signed = args.keyword.signed === true;
  switch (converter) {
    case 'int': {
      const fixedDigits = numberArg(args, 'fixedDigits', 0);
      const schema: JsonSchema = { type: 'integer' };
      const min = numberArg(args, 'min', 1);
      const max = numberArg(args, 'max', 2);
      // Without `signed` the converter matches digits only: never below 0.
      if (min !== undefined || !signed) schema.minimum = Math.max(min ?? 0, signed ? Number.NEGATIVE_INFINITY : 0);
      if (max !== undefined) schema.maximum = max;
      // On the wire the value is text: `pattern` documents the zero-padding (JSON Schema applies it to strings only).
      if (fixedDigits !== undefined) schema.pattern = `^${signed ? '-?' : ''}\\d{${fixedDigits}}$`;
      return schema;
    }
    case 'float': {
      const schema: JsonSchema = { type: 'number' };
      const min = numberArg(args, 'min', 0);
      const max = numberArg(args, 'max', 1);
      if (min !== undefined || !signed) schema.minimum = Math.max(min ?? 0, signed ? Number.NEGATIVE_INFINITY : 0);
      if (max !== undefined) schema.maximum = max;
      return schema;
    }
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'any':
      return { type: 'string', enum: args.positional.map(String) };
    case 'default':
    case 'string': {
      const length = numberArg(args, 'length', 2);
      const schema: JsonSchema = { type: 'string', minLength: length ?? numberArg(args, 'minlength', 0) ?? 1 };
      const max = length ?? numberArg(args, 'maxlength', 1);
      if (max !== undefined) schema.maxLength = max;
      return schema;
    }
    default:
      return { type: 'string' };
  }
}
