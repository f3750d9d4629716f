/** @module What a Flagon server process does with an error its app let escape every request (layer L4). */
import { writeSync } from 'node:fs';
import { inspect } from 'node:util';

/** What the guard does after an uncaught exception: close the servers (or hand over to a new worker). */
type OnUncaught = () => Promise<unknown> | undefined;

const guarded = new Set<OnUncaught>();
let exiting = false;

/**
 * Keeps a serving process up through the errors an app lets escape every request: without it, Node ends the
 * process, and one request to a careless view takes every other client's server down. The guard listens while at
 * least one server is guarded, and steps aside for a process that handles these events itself (a listener of the
 * app's, or a test runner's, added before or after):
 *
 * - a promise rejected with no handler (`void saveLater()` that fails) is logged and serving goes on, as Flask logs
 *   an error raised in a background thread and goes on;
 * - an exception thrown outside any request (in a timer's callback) is logged, then `onUncaught` runs for every
 *   guarded server (they stop accepting and finish the requests under way) and the process exits with code 1: Node's
 *   documentation says a process's state cannot be trusted after one. `flagon serve` starts a new worker first, so no
 *   request is refused; a lone `serve()` process needs a supervisor (systemd, a container runtime) to start it again.
 *
 * Both are written to standard error at once (a synchronous write, as Node's own report of a fatal error), whatever
 * the server's `errors` stream: they are the process's, not a request's. Returns the function that takes the server
 * off the guard, for its `close()`.
 *
 * @example
 * const unguard = guardProcess(() => closeServer(server, 5_000));
 */
export function guardProcess(onUncaught: OnUncaught): () => void {
  if (guarded.size === 0) {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
  }
  guarded.add(onUncaught);
  return () => {
    if (!guarded.delete(onUncaught) || guarded.size > 0) return;
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

/** Whether the process has a listener of its own for `event` besides the guard's. */
const handledElsewhere = (event: 'unhandledRejection' | 'uncaughtException'): boolean =>
  process.listenerCount(event) > 1;

function report(what: string, error: unknown): void {
  try {
    writeSync(2, `[${new Date().toISOString()}] ${what} (pid ${process.pid}):\n${inspect(error)}\n`);
  } catch {
    // standard error is gone (a closed pipe): nowhere left to say it
  }
}

function onRejection(reason: unknown): void {
  if (handledElsewhere('unhandledRejection')) return;
  report('A promise was rejected and nothing handled it; serving goes on', reason);
}

function onException(error: unknown): void {
  if (handledElsewhere('uncaughtException')) return;
  if (exiting) {
    report('Another uncaught exception while stopping', error);
    return;
  }
  exiting = true;
  report(
    'An uncaught exception, after which this process cannot be trusted: it stops once the requests under way finish',
    error,
  );
  void Promise.allSettled([...guarded].map((fn) => fn())).then(() => process.exit(1));
}
