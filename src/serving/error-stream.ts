/** @module The default `tsgi.errors` stream of Flagon's servers: the process's standard error (layer L4). */
import type { ErrorStream } from '../gateway/types.js';

/**
 * An {@link ErrorStream} that writes to standard error, the default `tsgi.errors` of `serve()`.
 *
 * @example
 * stderrStream.write('something odd happened\n');
 */
export const stderrStream: ErrorStream = Object.freeze({
  write(text: string): void {
    process.stderr.write(text);
  },
  flush(): void {},
});

/**
 * An {@link ErrorStream} that drops everything: for benchmarks and tests that provoke errors on purpose.
 *
 * @example
 * await serve(app, { errors: silentStream });
 */
export const silentStream: ErrorStream = Object.freeze({
  write(): void {},
  flush(): void {},
});
