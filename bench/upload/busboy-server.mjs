// The baseline: plain busboy on node:http, piping the file to disk.
import { createServer } from 'node:http';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';

const target = process.argv[2];
const server = createServer((req, res) => {
  const bb = busboy({ headers: req.headers });
  const writes = [];
  bb.on('file', (_name, stream) => {
    writes.push(pipeline(stream, createWriteStream(target)));
  });
  bb.on('close', async () => {
    await Promise.all(writes);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ files: writes.length }));
  });
  req.pipe(bb);
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => {
  if (m === 'rss') process.send({ rss: process.resourceUsage().maxRSS * 1024 });
});
