/** @module `--app PATH:createApp('dev', 2)`: the factory call of an app spec, read as Flask reads it (layer L4). */

/**
 * A factory call as written after `--app PATH:`: the export's name, and the arguments to call it with (`null`: a bare
 * name, the export itself).
 */
export interface FactoryCall {
  name: string;
  args: unknown[] | null;
}

/** `NAME`, `NAME()` or `NAME(ARGS)`, with spaces around and inside allowed as Flask allows them. */
const CALL = /^\s*([A-Za-z_$][\w$]*)\s*(?:\((.*)\))?\s*$/s;

/**
 * Reads `createApp("a", 1)` as Flask reads `create_app("a", 1)`: arguments are literals (strings in double or single
 * quotes, numbers, `true`/`false`/`null` or Python's `True`/`False`/`None`, JSON arrays and objects), and a trailing
 * comma is allowed. Returns `null` when `text` is no such call; throws when its arguments are not literals.
 *
 * @example
 * parseFactoryCall("createApp('testing', { \"debug\": true })"); // { name: 'createApp', args: ['testing', { debug: true }] }
 * parseFactoryCall('app');                                        // { name: 'app', args: null }
 */
export function parseFactoryCall(text: string): FactoryCall | null {
  const match = CALL.exec(text);
  if (match === null) return null;
  const [, name, inside] = match;
  if (inside === undefined) return { name: name!, args: null };
  let json: string;
  try {
    json = literalsToJson(inside);
    const args: unknown = JSON.parse(`[${json}]`);
    return { name: name!, args: args as unknown[] };
  } catch {
    throw new SyntaxError(
      `the arguments of ${name}(${inside}) are not literals: give strings, numbers, true, false, null, or JSON arrays and objects, as in ${name}('dev', 2)`,
    );
  }
}

const PYTHON_CONSTANTS: Readonly<Record<string, string>> = { True: 'true', False: 'false', None: 'null' };

/** The argument list as JSON: single-quoted strings re-quoted, Python's constants spelled as JSON, trailing commas dropped. */
function literalsToJson(text: string): string {
  let out = '';
  for (let at = 0; at < text.length; ) {
    const char = text[at]!;
    if (char === '"' || char === "'") {
      const end = stringEnd(text, at);
      out += asJsonString(text.slice(at + 1, end));
      at = end + 1;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_]\w*/.exec(text.slice(at))![0];
      out += PYTHON_CONSTANTS[word] ?? word; // anything else is no JSON literal, and JSON.parse refuses it
      at += word.length;
    } else if (char === ',' && /^,\s*(?:[\]}]|$)/.test(text.slice(at)) && /[^\s,[{(]\s*$/.test(out)) {
      at += 1; // a trailing comma after a value: create_app("foo", "bar", ); a lone one, f(,), is refused
    } else {
      out += char;
      at += 1;
    }
  }
  return out;
}

/** The escapes JSON and Python share (`\uXXXX` too), kept as they are. */
const JSON_ESCAPES = new Set(['"', '\\', 'b', 'f', 'n', 'r', 't', 'u']);

/**
 * A string's body (between its quotes, either kind) as a JSON string, read as Python reads a string literal: `\'`
 * is a quote, `\xhh` a character, and an escape Python does not know keeps its backslash (`'C:\data'`).
 */
function asJsonString(body: string): string {
  let out = '"';
  for (let at = 0; at < body.length; at++) {
    const char = body[at]!;
    if (char !== '\\') {
      out += char === '"' ? '\\"' : char < ' ' ? JSON.stringify(char).slice(1, -1) : char;
      continue;
    }
    const next = body[++at] ?? '';
    const hex = next === 'x' ? /^[0-9A-Fa-f]{2}/.exec(body.slice(at + 1))?.[0] : undefined;
    if (next === "'") out += "'";
    else if (hex !== undefined) {
      out += `\\u00${hex}`;
      at += 2;
    } else if (JSON_ESCAPES.has(next)) out += `\\${next}`;
    else out += `\\\\${next}`;
  }
  return `${out}"`;
}

/** Where the string opened by the quote at `start` ends (its closing quote), skipping escaped characters. */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] === '\\') at++;
    else if (text[at] === quote) return at;
  }
  throw new SyntaxError('an unclosed string');
}
