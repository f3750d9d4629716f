/**
 * A `serve()` process for process-guard.test.ts: the careless views (`/reject`, `/throw-later`), and `/slow`, which
 * prints `{ slow: 'started' }` and answers when a line arrives on standard input. Prints `{ port }` once it listens.
 */
import { once } from 'node:events';
import { App } from 'flagon';
import { serve } from 'flagon/serving';
import { addCarelessViews } from '../fixtures/careless-views.js';

const app = new App(import.meta.url, { name: 'guarded', staticFolder: null });
app.get('/', () => 'alive');
addCarelessViews(app);
app.get('/slow', async () => {
  process.stdout.write(`${JSON.stringify({ slow: 'started' })}\n`);
  await once(process.stdin, 'data');
  return 'slow done';
});
const server = await serve(app.gatewayApp, { port: 0 });
// GUARD_SCENARIO=own: the process handles rejections itself, from after serve() on; =closed: the server closes, and
// a rejection then is Node's to handle again.
if (process.env.GUARD_SCENARIO === 'own')
  process.on('unhandledRejection', (reason) => {
    process.stdout.write(`${JSON.stringify({ mine: String(reason) })}\n`);
  });
if (process.env.GUARD_SCENARIO === 'closed') {
  await server.close();
  void Promise.reject(new Error('rejected after close'));
}
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
