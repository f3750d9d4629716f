/** @module A Fastify plugin that mounts a TSGI app under the plugin's prefix (layer L4), on the node handler. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayApp } from '../gateway/types.js';
import type { ListenerOptions } from '../serving/listener.js';
import { toNodeHandler, type NodeHandler } from './node.js';

/**
 * The part of a Fastify instance {@link flagonPlugin} uses, written out so that `flagon/adapters` needs no Fastify
 * types: a real `FastifyInstance` fits it.
 *
 * @example
 * const host: FastifyHost = Fastify();
 */
export interface FastifyHost {
  /** The prefix the plugin was registered under, parents' included (`register(plugin, { prefix })`). */
  readonly prefix: string;
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(
    contentType: string,
    parser: (request: never, payload: never, done: (error: Error | null, body?: undefined) => void) => void,
  ): unknown;
  all(
    path: string,
    handler: (
      request: { readonly raw: IncomingMessage },
      reply: { readonly raw: ServerResponse; hijack(): unknown },
    ) => void,
  ): unknown;
}

/**
 * Options of {@link flagonPlugin}: the app, and the listener's own options. The mount path is Fastify's `prefix`
 * register option.
 *
 * @example
 * await fastify.register(flagonPlugin, { app: app.gatewayApp, prefix: '/flagon', handlerTimeout: 10_000 });
 */
export interface FlagonPluginOptions extends ListenerOptions {
  /** The TSGI app to mount: a Flagon App's `app.gatewayApp`, or any TSGI app. */
  app: GatewayApp;
}

/**
 * A Fastify plugin that serves a TSGI app under the prefix it is registered with: requests to `/flagon` and
 * `/flagon/…` go to the app with SCRIPT_NAME `/flagon`, so `urlFor`, redirects and static files stay under it; every
 * other path stays Fastify's (its own 404 included). The plugin's routes have no body parsers, so a request body
 * reaches the app unread, whatever its content type; the host's hooks up to `preHandler` (an auth check) still run
 * first. Each request is handed over with `reply.hijack()` to the node listener (see `toNodeHandler`), which answers
 * app errors with a 500 and keeps its `handlerTimeout` and `writeTimeout`.
 *
 * @example
 * import Fastify from 'fastify';
 * import { flagonPlugin } from 'flagon/adapters';
 * const fastify = Fastify();
 * await fastify.register(flagonPlugin, { app: app.gatewayApp, prefix: '/flagon' });
 * await fastify.listen({ port: 3000 });
 */
export function flagonPlugin(instance: FastifyHost, options: FlagonPluginOptions, done: (error?: Error) => void): void {
  if (typeof options?.app !== 'function') {
    done(
      new TypeError(
        "flagonPlugin needs the TSGI app to mount: fastify.register(flagonPlugin, { app: app.gatewayApp, prefix: '/flagon' })",
      ),
    );
    return;
  }
  let handler: NodeHandler;
  try {
    // Fastify leaves the raw request's url whole, so the node handler strips the prefix itself.
    handler = toNodeHandler(options.app, { ...options, prefix: instance.prefix });
  } catch (error) {
    done(error as Error);
    return;
  }
  // Only inside this plugin (Fastify encapsulates a plugin that is not wrapped in fastify-plugin): a catch-all parser
  // that reads nothing leaves the stream for tsgi.input, where the app's own limits (MAX_CONTENT_LENGTH) apply.
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null));
  const route = (
    request: { readonly raw: IncomingMessage },
    reply: { readonly raw: ServerResponse; hijack(): unknown },
  ): void => {
    reply.hijack();
    handler(request.raw, reply.raw);
  };
  instance.all('/', route);
  instance.all('/*', route);
  done();
}
