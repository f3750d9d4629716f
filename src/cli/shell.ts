/** @module `flagon shell` (layer L5): a Node REPL with the app loaded and an app context around every line. */
import { start, type REPLServer } from 'node:repl';
import type { App } from '../app/app.js';

/**
 * Starts a REPL whose globals hold `app` (and `currentApp`, `g` work, as in `flask shell`): each input runs inside
 * `app.appContext()`, so code that needs the app (urlFor with SERVER_NAME, currentApp.config) works as in a view.
 *
 * @example
 * const repl = startShell(app, appFile);
 * repl.on('exit', () => process.exit(0));
 */
export function startShell(app: App, appFile: string, streams: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = {}): REPLServer {
  const output = streams.output ?? process.stdout;
  output.write(`Node ${process.version} on ${process.platform}\nApp: ${app.name}\nInstance: ${app.rootPath}\nModule: ${appFile}\n`);
  const repl = start({ prompt: '>>> ', input: streams.input ?? process.stdin, output, useGlobal: false });
  const evaluate = repl.eval;
  // The REPL evaluates each line from an input event, outside any context; enter the app's context for each one.
  (repl as { eval: REPLServer['eval'] }).eval = (code, context, file, callback) => app.appContext().run(() => evaluate.call(repl, code, context, file, callback));
  repl.context.app = app;
  return repl;
}
