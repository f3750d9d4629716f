// Flagon's App with the same 102 routes, on serve().
import { createServer } from 'node:http';
import { App } from '../../dist/app/index.js';
import { createRequestListener, serve } from '../../dist/serving/index.js';
import { isMain, ready } from './common.mjs';
import { INDEX_BODY, OTHER_ROUTES } from './routes.mjs';

function flagonApp() {
  const app = new App(import.meta.url, { name: 'bench', staticFolder: null });
  app.get('/', () => INDEX_BODY);
  for (const [i, route] of OTHER_ROUTES.entries()) {
    app.get(route.replace(/:(\w+)/g, '<$1>'), { endpoint: `route${i}` }, () => route);
  }
  app.get('/users/<int:id>', (req) => ({ id: req.params.id }));
  return app;
}

/** The server, not listening yet (bench/stack-cost.mjs feeds it without a socket). */
export async function httpServer() {
  return createServer(createRequestListener(flagonApp().gatewayApp));
}

if (isMain(import.meta.url)) {
  const server = await serve(flagonApp().gatewayApp, { port: 0 });
  ready(server.port);
}
