// bench/servers/fastify-app.mjs (Fastify, the same 102 routes) in 2 node:cluster workers.
import { httpServer } from '../servers/fastify-app.mjs';
import { runCluster } from './cluster.mjs';

runCluster(httpServer, 2);
