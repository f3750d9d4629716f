/** @module Stack frames for the debug page (layer L4): parse a V8 stack, find the source lines around each frame. */
import { readFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One line of source around a frame.
 *
 * @example
 * const line: SourceLine = { number: 12, text: "  throw new Error('boom');", current: true };
 */
export interface SourceLine {
  number: number;
  text: string;
  current: boolean;
}

/**
 * One frame of a stack, with where its code lives and the lines around it.
 *
 * @example
 * const [top] = stackFrames(new Error('boom'));
 * console.log(`${top.file}:${top.line}`);
 */
export interface StackFrame {
  /** The function, as V8 names it (`App.#dispatch`, `<anonymous>`). */
  fn: string;
  file: string;
  line: number;
  column: number;
  /** app: the user's code; framework: Flagon; library: node_modules; internal: Node itself. */
  kind: 'app' | 'framework' | 'library' | 'internal';
  source: SourceLine[];
}

// Flagon's own files: two folders up from this one is the package root (dist/dev or src/dev).
const FRAMEWORK_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..') + sep;
const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;
// esbuild (through tsx) reports syntax errors in the message: "/app/app.ts:6:26: ERROR: Expected ")" but found ";"".
const TRANSFORM_LOCATION = /^(\S.*?):(\d+):(\d+): ERROR: /m;
// V8 puts a syntax error's location on the stack's first line: "/app/app.js:6" (or a file: URL).
const V8_LOCATION = /^((?:file:\/\/|\/|[A-Za-z]:\\)[^\n]*?):(\d+)\n/;

/**
 * Parses an error's stack into frames, the innermost first, each with `context` lines of source on either side.
 * Source maps apply already: with them enabled (tsx enables them; `flagon run` passes `--enable-source-maps`), V8
 * reports TypeScript files and lines, so the lines shown come from the `.ts` file. A syntax error's own location
 * (from esbuild's message or V8's stack head) becomes the first frame.
 *
 * @example
 * for (const frame of stackFrames(error)) console.log(frame.kind, frame.fn, `${frame.file}:${frame.line}`);
 */
export function stackFrames(error: unknown, context = 3): StackFrame[] {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const message = error instanceof Error ? error.message : '';
  const files = new Map<string, string[] | null>();
  const frames: StackFrame[] = [];
  const add = (fn: string, rawFile: string, line: number, column: number): void => {
    const file = rawFile.startsWith('file://') ? safeFileUrl(rawFile) : rawFile;
    const kind = classify(file);
    frames.push({
      fn,
      file,
      line,
      column,
      kind,
      source: kind === 'internal' ? [] : sourceAround(files, file, line, context),
    });
  };
  const located = TRANSFORM_LOCATION.exec(message) ?? V8_LOCATION.exec(stack);
  if (located) add('(where the code fails to parse)', located[1]!, Number(located[2]), Number(located[3] ?? 0));
  for (const text of stack.split('\n')) {
    const match = FRAME.exec(text);
    if (!match || !text.trimStart().startsWith('at ')) continue;
    const [, fn = '<anonymous>', file, line, column] = match;
    if (file!.includes('(') || file!.startsWith('eval at')) continue; // eval frames have no file of their own
    add(fn.replace(/^async /, ''), file!, Number(line), Number(column));
  }
  return frames;
}

function safeFileUrl(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

function classify(file: string): StackFrame['kind'] {
  if (file.startsWith('node:') || (!file.includes('/') && !file.includes('\\'))) return 'internal';
  if (file.startsWith(`${FRAMEWORK_ROOT}src${sep}`) || file.startsWith(`${FRAMEWORK_ROOT}dist${sep}`))
    return 'framework';
  // Checked after Flagon's own files, which sit in node_modules once installed; a library under Flagon's root (its
  // node_modules in a checkout, nunjucks among them) is still a library.
  if (file.includes(`${sep}node_modules${sep}`)) return 'library';
  return 'app';
}

function sourceAround(cache: Map<string, string[] | null>, file: string, line: number, context: number): SourceLine[] {
  let lines = cache.get(file);
  if (lines === undefined) {
    try {
      lines = readFileSync(file, 'utf8').split(/\r?\n/);
    } catch {
      lines = null;
    }
    cache.set(file, lines);
  }
  if (!lines) return [];
  const out: SourceLine[] = [];
  for (let n = Math.max(1, line - context); n <= Math.min(lines.length, line + context); n++) {
    out.push({ number: n, text: lines[n - 1]!, current: n === line });
  }
  return out;
}
