// Raw node:http with the same 102 routes, routed by hand: a Map for static paths, then the dynamic patterns in order.
// Written as a careful hand-written server would be: the headers of a constant body are built once, not per request.
import { createServer } from 'node:http';
import { isMain, ready } from './common.mjs';
import { INDEX_BODY, OTHER_ROUTES } from './routes.mjs';

const HTML = 'text/html; charset=utf-8';
const constant = (body) => {
  const headers = { 'Content-Type': HTML, 'Content-Length': String(Buffer.byteLength(body)) };
  return (_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  };
};

/** The request listener; `wrap` runs around each request (bench/servers/node-http-context-app.mjs gives one). */
export function listener(wrap = (_req, handle) => handle()) {
  const statics = new Map([['/', constant(INDEX_BODY)]]);
  const dynamics = [];
  for (const route of OTHER_ROUTES) {
    if (route.includes(':')) dynamics.push([new RegExp(`^${route.replace(/:\w+/g, '([^/]+)')}$`), constant(route)]);
    else statics.set(route, constant(route));
  }
  dynamics.push([
    /^\/users\/(\d+)$/,
    (_req, res, m) => {
      const body = `${JSON.stringify({ id: Number(m[1]) })}\n`;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
      res.end(body);
    },
  ]);
  const route = (req, res) => {
    const question = req.url.indexOf('?');
    const path = question < 0 ? req.url : req.url.slice(0, question);
    const handler = statics.get(path);
    if (handler) return handler(req, res);
    for (const [pattern, dynamic] of dynamics) {
      const m = pattern.exec(path);
      if (m) return dynamic(req, res, m);
    }
    res.writeHead(404);
    res.end();
  };
  return (req, res) => wrap(req, () => route(req, res));
}

/** The server, not listening yet (bench/stack-cost.mjs feeds it without a socket). */
export async function httpServer() {
  return createServer(listener());
}

if (isMain(import.meta.url)) {
  const server = await httpServer();
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
}
