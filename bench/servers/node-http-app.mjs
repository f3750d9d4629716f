// Raw node:http with the same 102 routes, routed by hand: a Map for static paths, then the dynamic patterns in order.
import { createServer } from 'node:http';
import { ready } from './common.mjs';
import { INDEX_BODY, OTHER_ROUTES } from './routes.mjs';

const html = { 'Content-Type': 'text/html; charset=utf-8' };
const statics = new Map([['/', (req, res) => { res.writeHead(200, { ...html, 'Content-Length': Buffer.byteLength(INDEX_BODY) }); res.end(INDEX_BODY); }]]);
const dynamics = [];
for (const route of OTHER_ROUTES) {
  const handler = (req, res) => { res.writeHead(200, html); res.end(route); };
  if (route.includes(':')) dynamics.push([new RegExp(`^${route.replace(/:\w+/g, '([^/]+)')}$`), handler]);
  else statics.set(route, handler);
}
dynamics.push([/^\/users\/(\d+)$/, (req, res, m) => {
  const body = `${JSON.stringify({ id: Number(m[1]) })}\n`;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}]);

const server = createServer((req, res) => {
  const path = req.url.split('?')[0];
  const handler = statics.get(path);
  if (handler) return handler(req, res);
  for (const [pattern, dynamic] of dynamics) {
    const m = pattern.exec(path);
    if (m) return dynamic(req, res, m);
  }
  res.writeHead(404);
  res.end();
});
server.listen(0, '127.0.0.1', () => ready(server.address().port));
