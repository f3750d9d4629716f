// The floor under any App that keeps issue 17's design decision 4 (a view's promise sees its request on every Node):
// raw node:http, routed as node-http-app.mjs, with each request run inside AsyncLocalStorage.run, the one thing such
// an App must do per request. Nothing else: no request object, no environ, no hooks.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import { isMain, ready } from './common.mjs';
import { listener } from './node-http-app.mjs';

const storage = new AsyncLocalStorage();
const inContext = (req, handle) => storage.run(req, handle);

/** The server, not listening yet (bench/stack-cost.mjs feeds it without a socket). */
export async function httpServer() {
  return createServer(listener(inContext));
}

if (isMain(import.meta.url)) {
  const server = await httpServer();
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
}
