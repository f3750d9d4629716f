/** @module What a Flagon server process does with an error its app let escape every request (layer L4). */
import { inspect } from 'node:util';
import type { ErrorStream } from '../gateway/types.js';

/** What the guard does after an uncaught exception: close the servers (or hand over to a new worker). */
type OnUncaught = () => Promise<unknown> | undefined;

const guarded = new Set<OnUncaught>();
let installedFor: ErrorStream | null = null;

/**
 * Keeps a serving process up through the errors an app lets escape every request: without it, Node ends the
 * process, and one request to a careless view takes every other client's server down. Installed once per process,
 * and for each event only when the process has no listener of its own (an app, or a test runner, that handles them
 * keeps doing so):
 *
 * - a promise rejected with no handler (`void saveLater()` that fails) is logged and serving goes on, as Flask logs
 *   an error raised in a background thread and goes on;
 * - an exception thrown outside any request (in a timer's callback) is logged, then `onUncaught` runs for every
 *   guarded server (they stop accepting and finish the requests under way) and the process exits with code 1: Node's
 *   documentation says a process's state cannot be trusted after one. `flagon serve` replaces such a worker before it
 *   drains, so no request is refused; a lone `serve()` process needs a supervisor (systemd, a container runtime) to
 *   start it again.
 *
 * Returns the function that takes the server off the guard, for its `close()`.
 *
 * @example
 * const unguard = guardProcess(stderrStream, () => closeServer(server, 5_000));
 */
export function guardProcess(errors: ErrorStream, onUncaught: OnUncaught): () => void {
  guarded.add(onUncaught);
  if (installedFor === null) {
    installedFor = errors;
    if (process.listenerCount('unhandledRejection') === 0) process.on('unhandledRejection', onRejection);
    if (process.listenerCount('uncaughtException') === 0) process.on('uncaughtException', onException);
  }
  return () => guarded.delete(onUncaught);
}

function report(what: string, error: unknown): void {
  installedFor?.write(`[${new Date().toISOString()}] ${what} (pid ${process.pid}):\n${inspect(error)}\n`);
  installedFor?.flush?.();
}

function onRejection(reason: unknown): void {
  report('A promise was rejected and nothing handled it; serving goes on', reason);
}

let exiting = false;

function onException(error: unknown): void {
  if (exiting) {
    report('Another uncaught exception while stopping', error);
    return;
  }
  exiting = true;
  report(
    'An uncaught exception: the requests under way finish, then the process exits with code 1 (its state cannot be trusted)',
    error,
  );
  void Promise.allSettled([...guarded].map((fn) => fn())).then(() => process.exit(1));
}
