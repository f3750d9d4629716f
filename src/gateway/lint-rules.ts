/** @module The rules `lint()` enforces, each tied to its section of docs/gateway.md, plus the environ checks (layer L0). */
import { HTTP_TOKEN as TOKEN } from './response.js';
import type { Environ } from './types.js';

/**
 * Which party broke a rule: the server (or middleware acting as one) or the application.
 *
 * @example
 * if (error instanceof LintError && error.side === 'server') console.log('fix the server, not the app');
 */
export type LintSide = 'server' | 'app';

interface RuleInfo {
  readonly side: LintSide;
  readonly section: string;
  readonly title: string;
}

/**
 * Every rule `lint()` checks, by id. The section is the one in docs/gateway.md that states the rule.
 *
 * @example
 * LINT_RULES['start-response.status'].section; // '4.1'
 */
export const LINT_RULES = {
  'environ.type': { side: 'server', section: '3', title: 'the environ is a plain object' },
  'environ.missing-key': { side: 'server', section: '3.1', title: 'every required key is present' },
  'environ.not-string': { side: 'server', section: '3.1', title: 'CGI keys hold strings' },
  'environ.method': { side: 'server', section: '3.1', title: 'REQUEST_METHOD is an HTTP token' },
  'environ.query-string': { side: 'server', section: '3.1', title: 'QUERY_STRING has no leading "?"' },
  'environ.content-length': { side: 'server', section: '3.1', title: 'CONTENT_LENGTH is decimal digits' },
  'environ.server-port': { side: 'server', section: '3.1', title: 'SERVER_PORT is decimal digits' },
  'environ.protocol': { side: 'server', section: '3.1', title: 'SERVER_PROTOCOL looks like HTTP/1.1' },
  'environ.paths': { side: 'server', section: '3.2', title: 'SCRIPT_NAME and PATH_INFO have the right shape' },
  'environ.header-key': { side: 'server', section: '3.3', title: 'request headers use HTTP_* keys in upper case' },
  'environ.tsgi-version': {
    side: 'server',
    section: '3.4',
    title: 'tsgi.version is [1, 1] (or [1, 0] from a TSGI 1.0 server)',
  },
  'environ.url-scheme': { side: 'server', section: '3.4', title: "tsgi.url_scheme is 'http' or 'https'" },
  'environ.input': { side: 'server', section: '3.4', title: 'tsgi.input is an AsyncIterable<Uint8Array>' },
  'environ.errors': { side: 'server', section: '3.4', title: 'tsgi.errors has write() and flush()' },
  'environ.flags': { side: 'server', section: '3.4', title: 'the tsgi.* flags are booleans' },
  'input.chunk': { side: 'server', section: '3.4', title: 'tsgi.input yields Uint8Array chunks' },
  'input.read-twice': { side: 'app', section: '3.4', title: 'tsgi.input is read at most once' },
  'errors.write': { side: 'app', section: '3.4', title: 'tsgi.errors.write() takes a string' },
  'start-response.status': { side: 'app', section: '4.1', title: 'the status is "NNN Reason", 200-599, latin-1' },
  'start-response.headers': {
    side: 'app',
    section: '4.2',
    title: 'headers are an array of [name, value] string pairs',
  },
  'start-response.header-name': { side: 'app', section: '4.2', title: 'a header name is an HTTP token' },
  'start-response.header-value': {
    side: 'app',
    section: '4.2',
    title: 'a header value is latin-1 with no CR, LF or NUL',
  },
  'start-response.hop-by-hop': { side: 'app', section: '4.2', title: 'applications send no hop-by-hop headers' },
  'start-response.twice': { side: 'app', section: '4.3', title: 'a second startResponse() call passes excInfo' },
  'start-response.rethrow': {
    side: 'server',
    section: '4.3',
    title: 'after headers are sent, the server rethrows excInfo',
  },
  'start-response.write': { side: 'server', section: '4.4', title: 'startResponse() returns a write() function' },
  'write.chunk': {
    side: 'app',
    section: '4.4',
    title: 'write() takes a Uint8Array or a string (bytes only on a TSGI 1.0 server)',
  },
  'write.after-return': { side: 'app', section: '4.4', title: 'write() is used only before the application returns' },
  'app.result': { side: 'app', section: '5.1', title: 'the application returns an iterable of chunks' },
  'body.chunk': {
    side: 'app',
    section: '5.1',
    title: 'body chunks are Uint8Array or string (bytes only on a TSGI 1.0 server)',
  },
  'body.before-start': { side: 'app', section: '5.2', title: 'startResponse() comes before the first chunk' },
  'body.no-start': { side: 'app', section: '5.2', title: 'startResponse() is called by the end of the body' },
  'body.forbidden': { side: 'app', section: '6.2', title: '1xx, 204 and 304 responses carry no body' },
  'body.content-length': { side: 'app', section: '6.1', title: 'the body has exactly Content-Length bytes' },
  'server.iterate-twice': { side: 'server', section: '5.3', title: 'the server iterates the body once' },
  'server.iterate-after-close': {
    side: 'server',
    section: '5.3',
    title: 'the server stops iterating once it called close()',
  },
  'server.close-twice': { side: 'server', section: '5.3', title: 'the server calls close() exactly once' },
} as const satisfies Record<string, RuleInfo>;

/**
 * The id of a rule in {@link LINT_RULES}.
 *
 * @example
 * const rule: LintRule = 'start-response.header-value';
 */
export type LintRule = keyof typeof LINT_RULES;

/**
 * Thrown by `lint()` when either side breaks the TSGI spec. The message names the side, the rule and the section of
 * docs/gateway.md to read.
 *
 * @example
 * try { await runApp(lint(app), environ); } catch (e) { if (e instanceof LintError) console.log(e.rule, e.section); }
 */
export class LintError extends Error {
  readonly code = 'FLAGON_ERR_TSGI_LINT';
  readonly rule: LintRule;
  readonly side: LintSide;
  readonly section: string;

  constructor(rule: LintRule, detail: string) {
    const info = LINT_RULES[rule];
    super(`TSGI lint (${info.side} side): ${detail}. Rule: ${info.title} — docs/gateway.md §${info.section} [${rule}]`);
    this.name = 'LintError';
    this.rule = rule;
    this.side = info.side;
    this.section = info.section;
  }
}

const REQUIRED_STRINGS = [
  'REQUEST_METHOD',
  'SCRIPT_NAME',
  'PATH_INFO',
  'QUERY_STRING',
  'REQUEST_URI',
  'SERVER_NAME',
  'SERVER_PORT',
  'SERVER_PROTOCOL',
  'REMOTE_ADDR',
  'REMOTE_PORT',
] as const;
const REQUIRED_TSGI = [
  'tsgi.version',
  'tsgi.url_scheme',
  'tsgi.input',
  'tsgi.input_terminated',
  'tsgi.errors',
  'tsgi.multithread',
  'tsgi.multiprocess',
  'tsgi.run_once',
] as const;
const FLAGS = ['tsgi.input_terminated', 'tsgi.multithread', 'tsgi.multiprocess', 'tsgi.run_once'] as const;

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Checks the server's side of docs/gateway.md §3 on an environ and throws a {@link LintError} at the first problem.
 *
 * @example
 * checkEnviron(createEnviron('/')); // passes
 */
export function checkEnviron(environ: Environ): void {
  if (typeof environ !== 'object' || environ === null || Array.isArray(environ)) {
    throw new LintError('environ.type', `the environ is ${environ === null ? 'null' : typeof environ}`);
  }
  for (const key of [...REQUIRED_STRINGS, ...REQUIRED_TSGI]) {
    if (!(key in environ)) throw new LintError('environ.missing-key', `the environ has no ${key}`);
  }
  for (const key of REQUIRED_STRINGS) {
    if (typeof environ[key] !== 'string')
      throw new LintError('environ.not-string', `${key} is a ${typeof environ[key]}`);
  }
  for (const key of ['CONTENT_TYPE', 'CONTENT_LENGTH'] as const) {
    if (key in environ && typeof environ[key] !== 'string') {
      throw new LintError('environ.not-string', `${key} is a ${typeof environ[key]}`);
    }
  }
  if (!TOKEN.test(environ.REQUEST_METHOD)) {
    throw new LintError('environ.method', `REQUEST_METHOD is ${show(environ.REQUEST_METHOD)}`);
  }
  if (environ.QUERY_STRING.startsWith('?')) {
    throw new LintError('environ.query-string', `QUERY_STRING ${show(environ.QUERY_STRING)} starts with "?"`);
  }
  if (environ.CONTENT_LENGTH !== undefined && !/^\d+$/.test(environ.CONTENT_LENGTH)) {
    throw new LintError('environ.content-length', `CONTENT_LENGTH is ${show(environ.CONTENT_LENGTH)}`);
  }
  if (!/^\d+$/.test(environ.SERVER_PORT)) {
    throw new LintError('environ.server-port', `SERVER_PORT is ${show(environ.SERVER_PORT)}`);
  }
  if (!/^HTTP\/\d(\.\d)?$/.test(environ.SERVER_PROTOCOL)) {
    throw new LintError('environ.protocol', `SERVER_PROTOCOL is ${show(environ.SERVER_PROTOCOL)}`);
  }
  checkPaths(environ);
  checkHeaderKeys(environ);
  checkTsgiKeys(environ);
}

function checkPaths(environ: Environ): void {
  const { SCRIPT_NAME: script, PATH_INFO: path } = environ;
  if (script !== '' && (!script.startsWith('/') || script.endsWith('/'))) {
    throw new LintError(
      'environ.paths',
      `SCRIPT_NAME ${show(script)} must be '' or start with "/" and not end with one`,
    );
  }
  const asterisk = path === '*' && environ.REQUEST_METHOD === 'OPTIONS';
  if (path !== '' && !path.startsWith('/') && !asterisk) {
    throw new LintError('environ.paths', `PATH_INFO ${show(path)} must be '' or start with "/"`);
  }
  if (script === '' && path === '') {
    throw new LintError('environ.paths', "SCRIPT_NAME and PATH_INFO are both ''; at the root PATH_INFO is '/'");
  }
}

function checkHeaderKeys(environ: Environ): void {
  for (const key of Object.keys(environ)) {
    if (key === 'HTTP_CONTENT_TYPE' || key === 'HTTP_CONTENT_LENGTH') {
      throw new LintError('environ.header-key', `${key} must be ${key.slice(5)}, without the HTTP_ prefix`);
    }
    if (key.startsWith('HTTP_')) {
      if (!/^HTTP_[A-Z0-9_]+$/.test(key)) throw new LintError('environ.header-key', `${show(key)} is not upper case`);
      if (typeof environ[key] !== 'string')
        throw new LintError('environ.not-string', `${key} is a ${typeof environ[key]}`);
    }
  }
}

function checkTsgiKeys(environ: Environ): void {
  const version: unknown = environ['tsgi.version'];
  // A 1.1 server sends [1, 1]; a 1.0 server's [1, 0] is still a valid environ (its apps send bytes only).
  if (!Array.isArray(version) || version.length !== 2 || version[0] !== 1 || (version[1] !== 0 && version[1] !== 1)) {
    throw new LintError('environ.tsgi-version', `tsgi.version is ${JSON.stringify(version)}`);
  }
  const scheme: unknown = environ['tsgi.url_scheme'];
  if (scheme !== 'http' && scheme !== 'https')
    throw new LintError('environ.url-scheme', `tsgi.url_scheme is ${show(scheme)}`);
  const input: unknown = environ['tsgi.input'];
  if (
    typeof input !== 'object' ||
    input === null ||
    typeof (input as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function'
  ) {
    throw new LintError('environ.input', 'tsgi.input has no [Symbol.asyncIterator]');
  }
  const errors: unknown = environ['tsgi.errors'];
  const stream = errors as { write?: unknown; flush?: unknown } | null;
  if (
    typeof stream !== 'object' ||
    stream === null ||
    typeof stream.write !== 'function' ||
    typeof stream.flush !== 'function'
  ) {
    throw new LintError('environ.errors', 'tsgi.errors needs write(text) and flush()');
  }
  for (const key of FLAGS) {
    if (typeof environ[key] !== 'boolean') throw new LintError('environ.flags', `${key} is ${show(environ[key])}`);
  }
}
