// The baseline: a hand-written node:http handler sending the same bytes as the others.
import { createServer } from 'node:http';
import { BODY, CONTENT_TYPE, ready } from './common.mjs';

const headers = { 'Content-Type': CONTENT_TYPE, 'Content-Length': String(BODY.length) };
const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(BODY);
});
server.listen(0, '127.0.0.1', () => ready(server.address().port));
