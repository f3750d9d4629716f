/** A server process for upload-abort.test.ts: /upload spools the upload, reports its temp file, then throws from outside any request, which ends the process (src/serving/process-guard.ts). */
import { App } from 'flagon';
import { serve } from 'flagon/serving';

const app = new App(import.meta.url, { name: 'crashing-uploads', staticFolder: null });
app.post('/upload', async (req) => {
  const file = (await req.files()).get('f');
  // The request never ends: the process dies with the temp file still open for this request.
  process.stdout.write(`${JSON.stringify({ spooled: file?.spooled ?? false })}\n`);
  setImmediate(() => {
    throw new Error('crashed on purpose with an upload in flight');
  });
  return new Promise<never>(() => undefined);
});
const server = await serve(app.gatewayApp, { port: 0 });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
