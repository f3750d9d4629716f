/** @module The app's logger (layer L3): levelled lines on the request's error stream, debug lines only in debug mode. */
import { inspect } from 'node:util';
import type { ErrorStream } from '../gateway/types.js';
import { currentContext } from './context.js';

/** Python's %-placeholders a log message may hold, and `%%`. */
const PLACEHOLDER = /%(%|[sdiufxXora])/g;

/**
 * A log message with its placeholders filled from `args`, as Python's logging (`%s`, `%d`, `%r`, `%x`…), and how many
 * arguments it took. A message with no arguments is kept as it is, `%` and all.
 */
function fill(message: string, args: readonly unknown[]): { text: string; used: number } {
  if (args.length === 0) return { text: message, used: 0 };
  let used = 0;
  const text = message.replace(PLACEHOLDER, (whole, kind: string) => {
    if (kind === '%') return '%';
    if (used >= args.length) return whole;
    const value = args[used++];
    const number = Number(value);
    switch (kind) {
      case 'd':
      case 'i':
      case 'u':
        return String(Math.trunc(number));
      case 'f':
        return number.toFixed(6);
      case 'x':
      case 'X':
      case 'o': {
        const digits = Math.trunc(number).toString(kind === 'o' ? 8 : 16);
        return kind === 'X' ? digits.toUpperCase() : digits;
      }
      case 'r':
      case 'a':
        return inspect(value);
      default:
        return value instanceof Error ? String(value) : typeof value === 'string' ? value : inspect(value);
    }
  });
  return { text, used };
}

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

  #write(level: string, message: unknown, extra: unknown[]): void {
    // Python's logging fills `%s` (and `%d`, `%r`…) from the arguments: user text belongs in them, never in the
    // message. A message that is not text (`logger.error(error)` in a catch) is written as it is, an Error with its
    // stack.
    const { text, used } =
      typeof message === 'string'
        ? fill(message, extra)
        : { text: message instanceof Error ? (message.stack ?? String(message)) : inspect(message), used: 0 };
    const details = extra
      .slice(used)
      .map((item) =>
        item instanceof Error
          ? `\n${item.stack ?? String(item)}`
          : ` ${typeof item === 'string' ? item : inspect(item)}`,
      )
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

  debug(message: unknown, ...extra: unknown[]): void {
    if (this.#debugEnabled()) this.#write('DEBUG', message, extra);
  }

  info(message: unknown, ...extra: unknown[]): void {
    this.#write('INFO', message, extra);
  }

  warn(message: unknown, ...extra: unknown[]): void {
    this.#write('WARNING', message, extra);
  }

  error(message: unknown, ...extra: unknown[]): void {
    this.#write('ERROR', message, extra);
  }
}
