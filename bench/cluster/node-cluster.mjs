// The baseline: bench/servers/node-http-app.mjs (raw node:http, the same 102 routes) in 2 node:cluster workers.
import { httpServer } from '../servers/node-http-app.mjs';
import { runCluster } from './cluster.mjs';

runCluster(httpServer, 2);
