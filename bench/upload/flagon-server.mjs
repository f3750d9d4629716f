// Flagon: an App route that streams the upload through req.parts() straight to a file.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { App } from '../../dist/app/index.js';
import { serve } from '../../dist/serving/index.js';

const target = process.argv[2];
const app = new App(import.meta.url, { name: 'upload', staticFolder: null });
app.post('/upload', async (req) => {
  let files = 0;
  for await (const part of req.parts()) {
    if (part.kind === 'file') {
      await pipeline(part.stream, createWriteStream(target));
      files++;
    }
  }
  return { files };
});
const server = await serve(app.gatewayApp, { port: 0 });
process.send({ port: server.port });
process.on('message', (m) => {
  if (m === 'rss') process.send({ rss: process.resourceUsage().maxRSS * 1024 });
});
