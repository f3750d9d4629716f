/** @module `flagon shell` (layer L5): a Node REPL with the app loaded and one app context for the session. */
import { start, type REPLServer } from 'node:repl';
import type { App } from '../app/app.js';

/**
 * Starts a REPL whose globals hold `app` (and `currentApp`, `g` work, as in `flask shell`): each input runs inside
 * one `app.appContext()` for the session, so code that needs the app (urlFor with SERVER_NAME, currentApp.config)
 * works as in a view, `g` lasts from line to line, and the `teardownAppcontext` hooks run when the shell exits.
 *
 * @example
 * const repl = startShell(app, appFile);
 * repl.on('exit', () => process.exit(0));
 */
export function startShell(
  app: App,
  appFile: string,
  streams: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = {},
): REPLServer {
  const output = streams.output ?? process.stdout;
  output.write(
    `Node ${process.version} on ${process.platform}\nApp: ${app.name}\nInstance: ${app.instancePath}\nModule: ${appFile}\n`,
  );
  const repl = start({ prompt: '>>> ', input: streams.input ?? process.stdin, output, useGlobal: false });
  const evaluate = repl.eval;
  // The REPL evaluates each line from an input event, outside any context; enter the session's context for each one.
  // Ending it per line would close what g opened while a line's promise still used it.
  const appContext = app.appContext();
  appContext.begin();
  (repl as { eval: REPLServer['eval'] }).eval = (code, context, file, callback) =>
    appContext.within(() => evaluate.call(repl, code, context, file, callback));
  repl.on('exit', () => {
    try {
      void (appContext.end() as Promise<void> | undefined)?.catch((error: unknown) =>
        app.logger.error('A teardown-appcontext hook failed', error),
      );
    } catch (error) {
      app.logger.error('A teardown-appcontext hook failed', error);
    }
  });
  repl.context.app = app;
  return repl;
}
