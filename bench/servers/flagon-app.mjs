// Flagon's App with the same 102 routes, on serve().
import { App } from '../../dist/app/index.js';
import { serve } from '../../dist/serving/index.js';
import '../../dist/testing/index.js';
import { ready } from './common.mjs';
import { INDEX_BODY, OTHER_ROUTES } from './routes.mjs';

const app = new App(import.meta.url, { name: 'bench', staticFolder: null });
app.get('/', () => INDEX_BODY);
OTHER_ROUTES.forEach((route, i) => app.get(route.replace(/:(\w+)/g, '<$1>'), { endpoint: `route${i}` }, () => route));
app.get('/users/<int:id>', (req) => ({ id: req.params.id }));
const server = await serve(app.gatewayApp, { port: 0 });
ready(server.port);
