#!/usr/bin/env node
// What Flagon's own code costs per request, without sockets or kernel noise: the TSGI request listener against stub
// req/res objects, next to a raw handler doing the same writeHead/end calls. Usage: npm run build && node bench/listener-cost.mjs
import { createRequestListener } from '../dist/serving/index.js';

const BODY = Buffer.from('Hello, World!');
const CONTENT_TYPE = 'text/plain; charset=utf-8';
const tsgiHeaders = [['Content-Type', CONTENT_TYPE]];
const rawHeaders = { 'Content-Type': CONTENT_TYPE, 'Content-Length': String(BODY.length) };

const listener = createRequestListener(
  (_environ, startResponse) => {
    startResponse('200 OK', tsgiHeaders);
    return [BODY];
  },
  { serverName: '127.0.0.1', serverPort: 5000 },
);
const raw = (_req, res) => {
  res.writeHead(200, rawHeaders);
  res.end(BODY);
};

const socket = { remoteAddress: '127.0.0.1', remotePort: 40000, localAddress: '127.0.0.1', localPort: 5000 };
const req = {
  url: '/',
  method: 'GET',
  httpVersion: '1.1',
  httpVersionMajor: 1,
  httpVersionMinor: 1,
  rawHeaders: ['Host', '127.0.0.1:5000'],
  socket,
};
let sink = 0;
const res = {
  writeHead(code) {
    sink += code;
  },
  end(body) {
    sink += body.length;
  },
  write() {
    return true;
  },
  on() {},
  once() {},
  off() {},
  headersSent: false,
  socket,
  writableHighWaterMark: 16384,
};

function nsPerCall(fn, calls = 5e6) {
  for (let i = 0; i < 1e6; i++) fn(req, res); // warm up the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn(req, res);
  return Number(process.hrtime.bigint() - start) / calls;
}

for (let round = 1; round <= 3; round++) {
  const rawNs = nsPerCall(raw);
  const flagonNs = nsPerCall(listener);
  console.log(
    `round ${round}: raw handler ${rawNs.toFixed(0)} ns, Flagon listener ${flagonNs.toFixed(0)} ns, Flagon's own cost ${(flagonNs - rawNs).toFixed(0)} ns/request`,
  );
}
if (sink === 0) console.log('');
