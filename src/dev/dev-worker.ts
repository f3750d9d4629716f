/** @module The reloader's child process (layer L4): warm before it is needed, it loads the app, listens on the parent's socket, drains. */
// It starts before it is needed and loads Flagon and tsx while the current child still serves (the slow part of a
// start), then waits: on `load` it imports the app, on `listen` it listens on the socket the parent owns (with the
// parent's certificate under HTTPS: one per run, so a browser's exception for an adhoc one lasts across reloads), on
// `drain` it finishes its requests and exits. If the app fails to load, it serves a page that explains the error
// instead, so the parent never has to restart in a loop.
import type { Server } from 'node:http';
import type { App } from '../app/app.js';
import type { Body, GatewayApp } from '../gateway/types.js';
import { importApp, registerTypeScript, type AppSpec } from './app-loader.js';
import { hostCheck, renderDebugPage } from './debug-page.js';
import { createDevServer, type DevProfileOptions, type DevServerOptions, drainServer, listenOn } from './dev-server.js';
import type { TlsMaterial } from './tls.js';

/** What the parent asks of a child. */
export type ParentMessage =
  | {
      type: 'load';
      spec: AppSpec;
      debug: boolean;
      /** The debug page and the request inspector, in debug mode (`--no-debugger`, `--no-inspector`). */
      debugger: boolean;
      inspector: boolean;
      host: string;
      port: number;
      /** Variables from the dotenv files, read now; `unset`: the ones the parent had from them, to clear first. */
      env: Record<string, string>;
      unset: string[];
      profile?: DevProfileOptions | null;
    }
  | { type: 'page'; title: string; message: string; debug: boolean; debugger: boolean; host: string; port: number }
  | { type: 'listen'; tls: TlsMaterial | null }
  | { type: 'drain' };

/** What a child tells its parent. */
export type ChildMessage =
  | { type: 'standby' }
  | { type: 'loaded'; ok: boolean; name: string; error?: string }
  | { type: 'listening' }
  | { type: 'stopped' };

const send = (message: ChildMessage): void => {
  process.send?.(message);
};

/** What to serve once told to listen: the server is made then, with the TLS material the `listen` message brings. */
let serving: { app: GatewayApp; options: DevServerOptions } | null = null;
let server: Server | null = null;
let handle: object | null = null;

/**
 * A gateway app that answers every request with a 500 explaining why the real app is not there: the debug page when
 * `debugPage` (debug mode with the debugger on), which, as the app's own, answers only to a local Host or the bound
 * `host` (a page elsewhere that points its name at this machine must not read the source it shows).
 */
function explainingApp(error: unknown, title: string, debugPage: boolean, host: string): GatewayApp {
  const refused = debugPage ? hostCheck([host]) : null;
  return function explain(environ, startResponse): Body {
    const refusal = refused === null ? null : refused(environ, startResponse);
    if (refusal !== null) return refusal;
    const html = debugPage
      ? renderDebugPage(error, environ, title)
      : `<!doctype html>\n<title>App not loaded</title>\n<h1>App not loaded</h1>\n<p>${title} The error is in the terminal.</p>\n`;
    const body = new TextEncoder().encode(html);
    startResponse('500 Internal Server Error', [
      ['Content-Type', 'text/html; charset=utf-8'],
      ['Content-Length', String(body.length)],
      ['Cache-Control', 'no-store'],
    ]);
    return [body];
  };
}

async function load(message: Extract<ParentMessage, { type: 'load' }>): Promise<void> {
  // The variables the parent had from dotenv files are read again: the files may have changed since.
  for (const key of message.unset) delete process.env[key];
  for (const [key, value] of Object.entries(message.env)) process.env[key] ??= value;
  // 'true', not Flask's '1': app.config.fromPrefixedEnv() JSON-decodes it, and DEBUG must be a boolean, not 1.
  if (message.debug) process.env.FLAGON_DEBUG = 'true';
  let app: App;
  try {
    app = await importApp(message.spec);
  } catch (error) {
    process.stderr.write(`Error: the app failed to load:\n${error instanceof Error ? error.stack : String(error)}\n`);
    const title = 'The app failed to load. Fix the error and save: the server reloads by itself.';
    serving = {
      app: explainingApp(error, title, message.debug && message.debugger, message.host),
      options: { debug: false, host: message.host, port: message.port },
    };
    send({
      type: 'loaded',
      ok: false,
      name: message.spec.file,
      error: error instanceof Error ? error.message : String(error),
    });
    return;
  }
  if (message.debug) app.config.DEBUG = true;
  const trusted = app.config.TRUSTED_HOSTS ?? [];
  serving = {
    app: app.gatewayApp,
    options: {
      debug: app.config.DEBUG,
      debugger: message.debugger,
      inspector: message.inspector,
      host: message.host,
      port: message.port,
      allowedHosts: trusted,
      profile: message.profile,
    },
  };
  send({ type: 'loaded', ok: true, name: app.name });
}

process.on('message', (message: ParentMessage, sentHandle?: object) => {
  if (sentHandle) handle = sentHandle;
  void (async () => {
    switch (message.type) {
      case 'load':
        await load(message);
        break;
      case 'page':
        serving = {
          app: explainingApp(
            new Error(message.message),
            message.title,
            message.debug && message.debugger,
            message.host,
          ),
          options: { debug: false, host: message.host, port: message.port },
        };
        send({ type: 'loaded', ok: false, name: 'page', error: message.message });
        break;
      case 'listen':
        server = createDevServer(serving!.app, { ...serving!.options, tls: message.tls });
        await listenOn(server, handle!);
        send({ type: 'listening' });
        break;
      case 'drain': {
        // drainServer stops accepting before it returns: the parent may let the next child listen right away.
        const drained = server?.listening ? drainServer(server) : Promise.resolve();
        send({ type: 'stopped' });
        await drained;
        process.exit(0);
      }
    }
  })();
});
process.on('SIGINT', () => undefined); // Ctrl+C reaches the whole process group; the parent stops its children
// The parent going away (Ctrl+C in a terminal reaches both; a killed parent closes the channel) ends the child.
process.on('disconnect', () => process.exit(0));

// Warm the module cache with the Flagon the app will import (the parent resolved it from the app's folder). Before
// tsx: its resolve hooks run off-thread and make every import slower, and the app's `import 'flagon'` later resolves
// to this same URL, so it finds these modules loaded.
const warm = process.argv[2];
if (warm) await import(warm).catch(() => undefined);
await registerTypeScript();
send({ type: 'standby' });
