// Fastify 5 with logging off: the framework Flagon is compared with.
import Fastify from 'fastify';
import { BODY, CONTENT_TYPE, ready } from './common.mjs';

const app = Fastify({ logger: false });
app.get('/', (_request, reply) => {
  reply.header('Content-Type', CONTENT_TYPE).send(BODY);
});
await app.listen({ host: '127.0.0.1', port: 0 });
ready(app.server.address().port);
