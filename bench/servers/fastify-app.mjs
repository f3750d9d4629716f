// Fastify with the same 102 routes.
import Fastify from 'fastify';
import { isMain, ready } from './common.mjs';
import { INDEX_BODY, OTHER_ROUTES } from './routes.mjs';

/** The app; `before` runs on it first (bench/servers/fastify-context-app.mjs registers a plugin there). */
export function fastifyApp(before = () => {}) {
  const app = Fastify({ logger: false });
  before(app);
  app.get('/', (_request, reply) => {
    reply.type('text/html; charset=utf-8').send(INDEX_BODY);
  });
  for (const route of OTHER_ROUTES)
    app.get(route, (_request, reply) => {
      reply.type('text/html; charset=utf-8').send(route);
    });
  app.get('/users/:id', (request, reply) => {
    reply.send({ id: Number(request.params.id) });
  });
  return app;
}

/** The server, not listening yet (bench/stack-cost.mjs feeds it without a socket). */
export async function httpServer() {
  const app = fastifyApp();
  await app.ready();
  return app.server;
}

if (isMain(import.meta.url)) {
  const app = fastifyApp();
  await app.listen({ host: '127.0.0.1', port: 0 });
  ready(app.server.address().port);
}
