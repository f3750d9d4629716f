// Fastify with the same 102 routes and a request context, as a Fastify user gets one: @fastify/request-context, the
// official plugin, runs every request in AsyncLocalStorage (Flagon's App does the same for `request`, `g`, `session`).
import { fastifyRequestContext } from '@fastify/request-context';
import { isMain, ready } from './common.mjs';
import { fastifyApp } from './fastify-app.mjs';

const withContext = () => fastifyApp((app) => app.register(fastifyRequestContext));

/** The server, not listening yet (bench/stack-cost.mjs feeds it without a socket). */
export async function httpServer() {
  const app = withContext();
  await app.ready();
  return app.server;
}

if (isMain(import.meta.url)) {
  const app = withContext();
  await app.listen({ host: '127.0.0.1', port: 0 });
  ready(app.server.address().port);
}
