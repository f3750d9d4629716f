/** @module Compiled templates (layer L3): the code nunjucks runs, and the map from a stack frame in it back to a template line. */
import { createHash } from 'node:crypto';

/** Where in a template a piece of generated code comes from: 1-based line and column, and the code it belongs to. */
export interface TemplatePosition {
  line: number;
  column: number;
  /** Jinja's words for the code a frame runs: `top-level template code`, `block 'body'`, `macro 'card'`. */
  fn: string;
}

/** A compiled template: what nunjucks runs, and what is needed to turn a stack frame in it back into a template line. */
export interface CompiledTemplate {
  /** The name it was looked up by (`child.html`), or `(template string)`. */
  name: string;
  /** Its file, or `null` for a string template. */
  file: string | null;
  /** The `root` and `b_<block>` functions nunjucks's Template runs. */
  props: Record<string, unknown>;
  /** Generated-code positions (0-based line, column), in code order, each with the template position it comes from. */
  markers: Marker[];
}

/** A position in generated code and the template position it comes from. */
export interface Marker {
  jsLine: number;
  jsColumn: number;
  at: TemplatePosition;
  /** The code here only hands a finished result to a callback: a frame here is nunjucks plumbing, not a template line. */
  end: boolean;
}

/** Stack frames in compiled templates name this scheme, so an error's stack says which template each frame runs. */
export const TEMPLATE_URL_SCHEME = 'flagon-template:';
const compiled = new Map<string, CompiledTemplate>();
const MAX_COMPILED = 1000;
// `new Function('flagon', body)` puts the body two lines down: "function anonymous(flagon\n) {\n" comes first.
const FUNCTION_BODY_LINE = measureBodyLine();

/**
 * Turns a template's compiled code into the functions nunjucks's Template runs, named with a `flagon-template:` URL so
 * that stack frames in them can be told apart, and keeps its markers for {@link templateAt}. `operators` is what the
 * code calls as `flagon.…`.
 *
 * @example
 * const template = makeRunnable(compiler.getCode(), 'card.html', '/app/templates/card.html', compiler.markers, ops);
 */
export function makeRunnable(
  code: string,
  name: string,
  file: string | null,
  markers: Marker[],
  operators: object,
): CompiledTemplate {
  const url = `${TEMPLATE_URL_SCHEME}${createHash('sha1')
    .update(`${file ?? name}\0${code}`)
    .digest('hex')
    .slice(0, 16)}`;
  // How nunjucks itself turns compiled code into functions; the sourceURL names the code in stack frames.
  const props = new Function('flagon', `${code}\n//# sourceURL=${url}`)(operators) as Record<string, unknown>;
  const template: CompiledTemplate = { name, file, props, markers };
  // Keyed by content: recompiling an unchanged template (auto-reload) replaces its entry instead of adding one; the
  // oldest go past a bound, as string templates can be made from data (a frame in one then stays as V8 wrote it).
  compiled.delete(url);
  compiled.set(url, template);
  if (compiled.size > MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  return template;
}

/**
 * The template position of a stack frame in compiled template code (`flagon-template:<id>`, 1-based line and
 * column as V8 prints them), or `null` when the frame is not in a template compiled here. `end` marks frames that
 * only pass a finished result on, which a traceback leaves out.
 *
 * @example
 * templateAt('flagon-template:3f2a…', 31, 12); // { template, at: { line: 4, column: 4, fn: "block 'body'" }, end: false }
 */
export function templateAt(
  url: string,
  line: number,
  column: number,
): { template: CompiledTemplate; at: TemplatePosition; end: boolean } | null {
  const template = compiled.get(url);
  if (!template) return null;
  const jsLine = line - FUNCTION_BODY_LINE;
  const jsColumn = column - 1;
  let found: Marker | undefined;
  for (const marker of template.markers) {
    if (marker.jsLine > jsLine || (marker.jsLine === jsLine && marker.jsColumn > jsColumn)) break;
    found = marker;
  }
  return found ? { template, at: found.at, end: found.end } : null;
}

function measureBodyLine(): number {
  try {
    // Measures where V8 puts a Function body, for templateAt.
    new Function('flagon', 'throw new Error()\n//# sourceURL=flagon-probe')();
  } catch (error) {
    const match = /flagon-probe:(\d+):\d+/.exec((error as Error).stack ?? '');
    if (match) return Number(match[1]);
  }
  return 3;
}
