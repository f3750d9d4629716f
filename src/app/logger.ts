/** @module The app's logger (layer L3): levelled lines on the request's error stream, debug lines only in debug mode. */
import { format } from 'node:util';
import type { ErrorStream } from '../gateway/types.js';
import { currentContext } from './context.js';

/** The placeholders util.format fills, and Python's `%r`, `%a`, `%x` read as `%s`. */
const PLACEHOLDERS = /%[sdifjoOcraxX%]/g;
const PYTHON_ONLY = /%[raxX]/g;

/**
 * The current request's `tsgi.errors`, Flask's `wsgi_errors_stream`: where the server (or the test) wants the app's
 * log lines; `undefined` outside a request.
 */
const requestErrors = (): ErrorStream | undefined => currentContext()?.request?.environ['tsgi.errors'];

/**
 * `app.logger`: `debug` (only when DEBUG), `info`, `warn` and `error`, written with the app's name to the current
 * request's `tsgi.errors` (the server's error log; standard error for Flagon's servers unless told otherwise), and to
 * standard error outside a request, as Flask's default handler. Errors are written with their stack.
 *
 * @example
 * app.logger.info('user %s logged in', name);
 * app.logger.error('payment failed', error);
 */
export class Logger {
  readonly name: string;
  readonly #debugEnabled: () => boolean;
  readonly #stream: () => ErrorStream | undefined;

  /**
   * @param debugEnabled - whether `debug` lines are written (the app passes its config's DEBUG)
   * @param stream - where a line goes; standard error when it gives `undefined` (default: the request's `tsgi.errors`)
   */
  constructor(
    name: string,
    debugEnabled: () => boolean = () => false,
    stream: () => ErrorStream | undefined = requestErrors,
  ) {
    this.name = name;
    this.#debugEnabled = debugEnabled;
    this.#stream = stream;
  }

  #write(level: string, message: string, extra: unknown[]): void {
    // Python's logging fills `%s` (and `%d`, `%r`…) from the arguments: so does this, with Node's util.format.
    // As Python's, a message without arguments is written as it is; user text belongs in the arguments, never here.
    const used = extra.length === 0 ? 0 : (message.match(PLACEHOLDERS)?.filter((found) => found !== '%%').length ?? 0);
    const text = used > 0 ? format(message.replace(PYTHON_ONLY, '%s'), ...extra.slice(0, used)) : message;
    const details = extra
      .slice(used)
      .map((item) => (item instanceof Error ? `\n${item.stack ?? String(item)}` : ` ${String(item)}`))
      .join('');
    const line = `[${new Date().toISOString()}] ${level} in ${this.name}: ${text}${details}\n`;
    const stream = this.#stream();
    if (stream === undefined) {
      process.stderr.write(line);
      return;
    }
    try {
      stream.write(line);
    } catch (error) {
      // A broken error stream must not lose the line, nor turn a log call into the request's error.
      process.stderr.write(`${line}(tsgi.errors failed: ${String(error)})\n`);
    }
  }

  debug(message: string, ...extra: unknown[]): void {
    if (this.#debugEnabled()) this.#write('DEBUG', message, extra);
  }

  info(message: string, ...extra: unknown[]): void {
    this.#write('INFO', message, extra);
  }

  warn(message: string, ...extra: unknown[]): void {
    this.#write('WARNING', message, extra);
  }

  error(message: string, ...extra: unknown[]): void {
    this.#write('ERROR', message, extra);
  }
}
