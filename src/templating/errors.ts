/** @module Template errors (layer L3): the error classes, and how an error from inside nunjucks becomes one that names its template line. */
import { isAbsolute, relative } from 'node:path';
import { templateAt, TEMPLATE_URL_SCHEME, type TemplatePosition } from './compiled-templates.js';
import { NunjucksTemplateError } from './nunjucks.js';

/**
 * Where a template error happened: the template's name as looked up, its file (`null` for a string template), and
 * the 1-based line and column (`null` when nunjucks does not know them).
 *
 * @example
 * const where: TemplateLocation = { template: 'child.html', file: '/app/templates/child.html', line: 4, column: 4 };
 */
export interface TemplateLocation {
  template: string;
  file: string | null;
  line: number | null;
  column: number | null;
}

/**
 * An error in a template itself (Jinja's `TemplateError`): something undefined called, an unknown filter or test, a
 * bad include. The message ends with the template and line, once; `template`, `file`, `line` and `column` hold them,
 * and the stack has a frame for each template involved, so the debug page shows the template source at that line.
 * Errors thrown by your own code called from a template (a filter, a global, `abort(404)`) are not wrapped: they
 * pass through as they are, with the template frames added to their stack, as Jinja does.
 *
 * @example
 * try { renderTemplate('page.html'); } catch (error) {
 *   if (error instanceof TemplateError) console.log(error.template, error.line);
 * }
 */
export class TemplateError extends Error implements TemplateLocation {
  readonly template: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;

  /** `options.located: false` leaves the location out of the message, for an error about no template in particular. */
  constructor(message: string, where: TemplateLocation, options: { cause?: unknown; located?: boolean } = {}) {
    super(
      options.located === false ? message : `${message} (${describeLocation(where)})`,
      'cause' in options ? { cause: options.cause } : undefined,
    );
    this.name = new.target.name;
    this.template = where.template;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/**
 * A template that does not parse (Jinja's `TemplateSyntaxError`): an unclosed tag, a stray `}}`, an unknown tag.
 *
 * @example
 * // "unexpected token: }} (broken.html, line 2, column 12)"
 */
export class TemplateSyntaxError extends TemplateError {}

/**
 * A template that is in none of the template folders (Jinja's `TemplateNotFound`), whether rendered, included or
 * extended.
 *
 * @example
 * // "template not found: missing.html; looked in the app's templates folder, then each blueprint's"
 */
export class TemplateNotFound extends TemplateError {}

/**
 * The message of a {@link TemplateNotFound}, for one name or a list of them, with the folders looked in when known
 * (below the working folder as relative paths), so a misplaced `templates/` folder shows.
 *
 * @example
 * notFoundMessage('a.html, b.html'); // "template not found: a.html, b.html; looked in the app's templates folder, then each blueprint's"
 * notFoundMessage('a.html', ['/srv/app/templates']); // from /srv/app: "template not found: a.html; looked in templates"
 */
export function notFoundMessage(names: string, searchPaths: readonly string[] | null = null): string {
  if (searchPaths === null)
    return `template not found: ${names}; looked in the app's templates folder, then each blueprint's`;
  if (searchPaths.length === 0) return `template not found: ${names}; there is no templates folder to look in`;
  const shown = searchPaths.map((folder) => {
    const below = relative(process.cwd(), folder);
    return below === '' ? '.' : below.startsWith('..') || isAbsolute(below) ? folder : below;
  });
  return `template not found: ${names}; looked in ${shown.join(', then ')}`;
}

/** `page.html, line 4, column 4`: the one place a template location is written out. */
function describeLocation(where: TemplateLocation): string {
  if (where.line === null) return where.template;
  return `${where.template}, line ${where.line}${where.column === null ? '' : `, column ${where.column}`}`;
}

const TEMPLATE_FRAME = new RegExp(`^\\s*at (?:(.+?) \\()?(${TEMPLATE_URL_SCHEME}[0-9a-f]+):(\\d+):(\\d+)\\)?$`);
// What nunjucks's Update() puts before a message at each template it passes: "(path) [Line 1, Column 2]\n  ".
const NUNJUCKS_PREFIX = /^(?:\([^\n]*\)(?: \[Line \d+(?:, Column \d+)?\])?\n {1,2})+/;

interface TemplateFrame extends TemplatePosition {
  template: string;
  file: string | null;
}

/**
 * Rewrites a stack: frames in compiled template code become frames at the template file and line (`at block 'body'
 * (/app/templates/child.html:4:4)`); nunjucks's plumbing frames (handing on a finished block) go; each template
 * function appears once, at its innermost frame. Returns the template frames too, innermost first.
 */
function rewriteStack(stack: string, first: TemplateFrame | null): { stack: string; frames: TemplateFrame[] } {
  const lines = stack.split('\n');
  let start = lines.findIndex((line) => /^\s+at /.test(line));
  if (start === -1) start = lines.length;
  const frames: TemplateFrame[] = first ? [first] : [];
  const out = lines.slice(0, start);
  if (first) out.push(frameLine(first));
  const seen = new Set<string>();
  for (const line of lines.slice(start)) {
    const match = TEMPLATE_FRAME.exec(line);
    const found = match && templateAt(match[2]!, Number(match[3]), Number(match[4]));
    if (!found) {
      out.push(line);
      continue;
    }
    const key = `${found.template.file ?? found.template.name}\0${found.at.fn}`;
    // A frame that only hands on a finished result is nunjucks's continuation-passing at work, not a template line;
    // the same function further out is where that continuation was created, which the inner frame already shows.
    if (found.end || seen.has(key)) continue;
    seen.add(key);
    const frame = { ...found.at, template: found.template.name, file: found.template.file };
    frames.push(frame);
    out.push(frameLine(frame));
  }
  return { stack: out.join('\n'), frames };
}

function frameLine(frame: TemplateFrame): string {
  return `    at ${frame.fn} (${frame.file ?? frame.template}:${frame.line}:${frame.column})`;
}

/** A fix for each error nunjucks raises itself, in words a Flask user knows. */
function explainNunjucksMessage(
  message: string,
  searchPaths: readonly string[] | null,
): { text: string; notFound: boolean } {
  let match = /^Unable to call `(.+)`, which is undefined or falsey$/.exec(message);
  if (match) {
    // nunjucks writes `user.greet` as `user["greet"]`; the template said it with a dot.
    const name = match[1]!.replace(/\["([A-Za-z_$][\w$]*)"\]/g, '.$1');
    const fix = /^[A-Za-z_$][\w$]*$/.test(name)
      ? `pass it to renderTemplate() in the context, or register it with app.templateGlobal('${name}', fn)`
      : 'check the name, and what the object before it holds';
    return { text: `\`${name}\` is undefined, so it cannot be called: ${fix}`, notFound: false };
  }
  if ((match = /^Unable to call `(.+)`, which is not a function$/.exec(message))) {
    return {
      text: `\`${match[1]!.replace(/\["([A-Za-z_$][\w$]*)"\]/g, '.$1')}\` is not a function, so it cannot be called: drop the parentheses to output it`,
      notFound: false,
    };
  }
  if ((match = /^filter not found: (.+)$/.exec(message))) {
    return {
      text: `unknown filter '${match[1]}': register it with app.templateFilter('${match[1]}', fn), or check the name`,
      notFound: false,
    };
  }
  if ((match = /^test not found: (.+)$/.exec(message))) {
    return {
      text: `unknown test '${match[1]}': register it with app.templateTest('${match[1]}', fn), or check the name`,
      notFound: false,
    };
  }
  if ((match = /^template not found: (.+)$/.exec(message))) {
    return { text: notFoundMessage(match[1]!, searchPaths), notFound: true };
  }
  return { text: message, notFound: false };
}

function isFromNunjucks(error: Error): boolean {
  if ((error as unknown) instanceof NunjucksTemplateError) return true;
  // nunjucks raises plain Errors too ("Unable to call …", "filter not found: …"): its code, or the template's own
  // compiled code, is then the top frame. An error from the app's code has the app's code on top.
  const top = /^\s+at .*$/m.exec(error.stack ?? '')?.[0] ?? '';
  return /[\\/]node_modules[\\/]nunjucks[\\/]/.test(top) || top.includes(TEMPLATE_URL_SCHEME);
}

/**
 * What to throw for an error that escaped rendering `topTemplate`: our own {@link TemplateError}s pass as they are;
 * errors nunjucks raises (undefined calls, unknown filters, missing includes) become a TemplateError at the right
 * template and line; errors from the app's own code keep their identity, with template frames in their stack.
 */
export function explainRenderError(
  thrown: unknown,
  topTemplate: { name: string; file: string | null; searchPaths?: readonly string[] },
): unknown {
  let error = thrown;
  // nunjucks wraps an error in its TemplateError at each template it passes; the first one thrown is the innermost.
  while (error instanceof NunjucksTemplateError && (error as Error).cause !== undefined) error = (error as Error).cause;
  if (error instanceof TemplateError) return error;
  if (!(error instanceof Error)) {
    return new TemplateError(
      `a template threw ${typeof error === 'string' ? JSON.stringify(error) : String(error)}, not an Error`,
      { template: topTemplate.name, file: topTemplate.file, line: null, column: null },
      { cause: error },
    );
  }
  const { stack, frames } = rewriteStack(error.stack ?? '', null);
  const innermost = frames[0];
  if (!isFromNunjucks(error)) {
    trySetStack(error, stack);
    return error;
  }
  const original = error.message.replace(NUNJUCKS_PREFIX, '');
  const { text, notFound } = explainNunjucksMessage(original, topTemplate.searchPaths ?? null);
  const where: TemplateLocation = innermost
    ? { template: innermost.template, file: innermost.file, line: innermost.line, column: innermost.column }
    : { template: topTemplate.name, file: topTemplate.file, line: null, column: null };
  const explained = notFound ? new TemplateNotFound(text, where) : new TemplateError(text, where);
  trySetStack(
    explained,
    `${explained.name}: ${explained.message}\n${stack
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n')}`,
  );
  return explained;
}

/**
 * The error for a template that fails to compile, raised while it is loaded: a {@link TemplateSyntaxError} at the
 * line nunjucks's parser names (it counts from 1 already), its first stack frame the template itself.
 */
export function syntaxError(thrown: unknown, template: string, file: string | null): TemplateSyntaxError {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const { lineno, colno } = error as { lineno?: number; colno?: number };
  const line = typeof lineno === 'number' && lineno > 0 ? lineno : null;
  const column = line !== null && typeof colno === 'number' && colno > 0 ? colno : null;
  const explained = new TemplateSyntaxError(error.message.replace(NUNJUCKS_PREFIX, ''), {
    template,
    file,
    line,
    column,
  });
  const first: TemplateFrame = { template, file, line: line ?? 1, column: column ?? 1, fn: 'template' };
  const framesOnly = (error.stack ?? '')
    .split('\n')
    .filter((text) => /^\s+at /.test(text))
    .join('\n');
  trySetStack(explained, rewriteStack(`${explained.name}: ${explained.message}\n${framesOnly}`, first).stack);
  return explained;
}

function trySetStack(error: Error, stack: string): void {
  try {
    Object.defineProperty(error, 'stack', { value: stack, writable: true, configurable: true, enumerable: false });
  } catch {
    // A frozen error keeps the stack it has.
  }
}
