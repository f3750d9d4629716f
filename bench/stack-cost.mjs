#!/usr/bin/env node
// CPU per request through the whole node:http stack, without sockets: the App-benchmark servers (raw node:http,
// Fastify, Flagon's App) each get a real http.Server fed by an in-memory connection, 16 pipelined requests at a
// time. No kernel, no load generator and no second process share the measurement, so the figures move by a few
// percent between runs where the socket benchmark (bench/run.mjs) moves by ten: use it to see what a change costs.
// Usage: npm run bench:stack -- [--rounds 5] [--requests 100000] [--out bench/RESULTS.md]
import { spawn } from 'node:child_process';
import { cpus, release } from 'node:os';
import { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './harness.mjs';
import { writeSection } from './results.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const SERVERS = [
  { name: 'node:http', file: 'servers/node-http-app.mjs' },
  { name: 'fastify', file: 'servers/fastify-app.mjs' },
  { name: 'flagon App', file: 'servers/flagon-app.mjs' },
  // Fastify with a request context on AsyncLocalStorage, which Flagon's App always has (@fastify/request-context).
  { name: 'fastify + context', file: 'servers/fastify-context-app.mjs' },
  // The floor under any App that gives a view's promises their request (issue 17, decision 4): node:http plus one
  // AsyncLocalStorage.run per request, and nothing else.
  { name: 'node:http + context', file: 'servers/node-http-context-app.mjs' },
  // The floor under any App: Flagon's gateway with a TSGI app that returns constant bytes (text/plain, same size).
  { name: 'flagon gateway, no App', file: 'servers/flagon-tsgi.mjs', paths: ['/'] },
];
const PATHS = ['/', '/users/42'];
const DEPTH = 16;

/** A connection that is only memory: requests are pushed in, responses are counted as they are written out. */
class MemoryConnection extends Duplex {
  remoteAddress = '127.0.0.1';
  remotePort = 40000;
  localAddress = '127.0.0.1';
  localPort = 5000;
  responses = 0;
  #onBatch = () => {};

  constructor() {
    super({ decodeStrings: false }); // as net.Socket: strings go to the write as they are
  }

  _read() {}
  _write(chunk, _encoding, callback) {
    this.#count(chunk);
    callback();
  }
  _writev(chunks, callback) {
    for (const { chunk } of chunks) this.#count(chunk);
    callback();
  }
  setTimeout() {
    return this;
  }
  setNoDelay() {
    return this;
  }
  setKeepAlive() {
    return this;
  }

  /** Sends `count` requests (a multiple of DEPTH), DEPTH at a time, and resolves when every answer is out. */
  send(batch, count) {
    const target = this.responses + count;
    return new Promise((resolve) => {
      this.#onBatch = () => (this.responses >= target ? resolve() : setImmediate(() => this.push(batch)));
      this.push(batch);
    });
  }

  #count(chunk) {
    // Strings and Buffers are searched where they are: copying a Buffer into a string would bill Buffer bodies extra.
    for (let at = chunk.indexOf('HTTP/1.1 200 '); at >= 0; at = chunk.indexOf('HTTP/1.1 200 ', at + 1)) {
      this.responses++;
      if (this.responses % DEPTH === 0) this.#onBatch();
    }
  }
}

/** Child mode: one server, one path; prints the best CPU µs/request of five measured runs. */
async function child(file, path, requests) {
  const { httpServer } = await import(`${here}${file}`);
  const server = await httpServer();
  const connection = new MemoryConnection();
  server.emit('connection', connection);
  const batch = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:5000\r\nUser-Agent: bench\r\n\r\n`.repeat(DEPTH));
  const count = Math.ceil(requests / DEPTH) * DEPTH;
  await connection.send(batch, count); // warm-up: the JIT settles
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const before = process.cpuUsage();
    await connection.send(batch, count);
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / count);
  }
  process.stdout.write(`${best}\n`);
  process.exit(0);
}

function measure(file, path, requests) {
  return new Promise((resolve, reject) => {
    let out = '';
    const proc = spawn(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', file, '--path', path, '--requests', String(requests)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    proc.stdout.on('data', (data) => {
      out += data;
    });
    proc.once('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`${file} exited with ${code}`))));
  });
}

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '100000' },
    out: { type: 'string', default: `${here}RESULTS.md` },
    child: { type: 'string' },
    path: { type: 'string', default: '/' },
  },
});
if (args.child) {
  await child(args.child, args.path, Number(args.requests));
} else {
  const rounds = Number(args.rounds);
  const lines = [
    `## Whole stack without sockets, Node ${process.versions.node.split('.')[0]}: CPU per request (\`npm run bench:stack\`)`,
    '',
    'Made by `bench/stack-cost.mjs`: the App-benchmark servers each get a real `http.Server`, fed 16 pipelined requests',
    'at a time through an in-memory connection; no kernel, no load generator. Each figure is the median over rounds of',
    'the best of five runs; each round starts a fresh process per server, in rotating order. On `/`, "flagon gateway, no',
    'App" is the floor under any App on TSGI: `createRequestListener` with an app that returns constant bytes.',
    '',
    `- Command: \`npm run bench:stack -- --rounds ${rounds} --requests ${args.requests}\``,
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Linux ${release()}, Node ${process.version}`,
    '',
    '| path | server | CPU µs/req | × node:http | + µs over node:http | × fastify | × fastify + context |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const path of PATHS) {
    const servers = SERVERS.filter((s) => s.paths === undefined || s.paths.includes(path));
    const samples = new Map(servers.map((s) => [s.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < servers.length; i++) {
        const server = servers[(i + round) % servers.length];
        samples.get(server.name).push(await measure(server.file, path, Number(args.requests)));
      }
    }
    const base = median(samples.get(servers[0].name));
    const fastify = median(samples.get('fastify'));
    const withContext = median(samples.get('fastify + context'));
    for (const server of servers) {
      const cost = median(samples.get(server.name));
      const row = `| \`${path}\` | ${server.name} | ${cost.toFixed(2)} | ${(cost / base).toFixed(3)} | ${(cost - base).toFixed(2)} | ${(cost / fastify).toFixed(3)} | ${(cost / withContext).toFixed(3)} |`;
      console.log(row);
      lines.push(row);
    }
  }
  // One section per Node major: the goal is read on Node 20 and on Node 24, from the same checkout.
  writeSection(args.out, `stack-node${process.versions.node.split('.')[0]}`, `${lines.join('\n')}\n`);
  console.log(`\nwrote ${args.out}`);
}
