// The App of bench/servers/flagon-app.mjs (the same 102 routes), exported for `flagon serve --app`.
import { App } from '../../dist/app/index.js';
import { INDEX_BODY, OTHER_ROUTES } from '../servers/routes.mjs';

export const app = new App(import.meta.url, { name: 'bench', staticFolder: null });
app.get('/', () => INDEX_BODY);
for (const [i, route] of OTHER_ROUTES.entries()) {
  app.get(route.replace(/:(\w+)/g, '<$1>'), { endpoint: `route${i}` }, () => route);
}
app.get('/users/<int:id>', (req) => ({ id: req.params.id }));
