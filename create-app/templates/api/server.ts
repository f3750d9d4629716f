/**
 * Serves the app for production: `npm start`. No debug page and no reloader. PORT and HOST choose where it listens
 * (default 127.0.0.1:8000): run it behind a reverse proxy, which terminates TLS.
 */
import { serve } from 'flagon/serving';
import { createApp } from './app.js';

const app = createApp();

const server = await serve(app.gatewayApp, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 8000),
}).catch((error: Error) => {
  // A port in use, say: the reason in one line, and how to pick another, rather than a stack.
  console.error(`${error.message}\nnpm start listens where HOST and PORT say, e.g. PORT=8080 npm start`);
  process.exit(1);
});
console.log(`Serving ${app.name} on ${server.url}`);

// Finish the requests in flight before exiting, when the process manager or Ctrl-C asks it to stop.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
