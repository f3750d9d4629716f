/** @module The app's logger (layer L3): levelled lines on standard error, debug lines only in debug mode. */

/**
 * `app.logger`: `debug` (only when DEBUG), `info`, `warn` and `error`, written to standard error with the app's name.
 * Errors are written with their stack.
 *
 * @example
 * app.logger.info('user %s logged in', name);
 * app.logger.error('payment failed', error);
 */
export class Logger {
  readonly name: string;
  readonly #debugEnabled: () => boolean;

  constructor(name: string, debugEnabled: () => boolean = () => false) {
    this.name = name;
    this.#debugEnabled = debugEnabled;
  }

  #write(level: string, message: string, extra: unknown[]): void {
    const details = extra
      .map((item) => (item instanceof Error ? `\n${item.stack ?? String(item)}` : ` ${String(item)}`))
      .join('');
    process.stderr.write(`[${new Date().toISOString()}] ${level} in ${this.name}: ${message}${details}\n`);
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
