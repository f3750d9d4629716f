// A hello-world TSGI app on Flagon's serve(), from the built package: the gateway with an app that does nothing.
import { createServer } from 'node:http';
import { createRequestListener, serve } from '../../dist/serving/index.js';
import { BODY, CONTENT_TYPE, isMain, ready } from './common.mjs';

const headers = [['Content-Type', CONTENT_TYPE]];
const hello = (_environ, startResponse) => {
  startResponse('200 OK', headers);
  return [BODY];
};

/** The server, not listening yet (bench/stack-cost.mjs feeds it without a socket). */
export async function httpServer() {
  return createServer(createRequestListener(hello));
}

if (isMain(import.meta.url)) {
  const server = await serve(hello, { port: 0 });
  ready(server.port);
}
