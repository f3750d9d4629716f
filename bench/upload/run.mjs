#!/usr/bin/env node
// Upload benchmark: a 1 GiB multipart upload streamed to disk by Flagon's req.parts() and by plain busboy on
// node:http, same run, interleaved. Reports throughput and the server's peak RSS. Usage: npm run bench:upload
import { spawn } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSection } from '../results.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values: args } = parseArgs({
  options: { mib: { type: 'string', default: '1024' }, rounds: { type: 'string', default: '2' } },
});
const size = Number(args.mib) * 1024 * 1024;
const rounds = Number(args.rounds);
const boundary = 'flagonbenchboundary';
const head = Buffer.from(
  `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
);
const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
const block = Buffer.alloc(1024 * 1024, 0x61);

function upload(port) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/upload',
        method: 'POST',
        headers: {
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': head.length + size + tail.length,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode, text, seconds: Number(process.hrtime.bigint() - started) / 1e9 }),
        );
      },
    );
    req.on('error', reject);
    (async () => {
      req.write(head);
      for (let sent = 0; sent < size; sent += block.length) {
        if (!req.write(block.subarray(0, Math.min(block.length, size - sent))))
          await new Promise((r) => req.once('drain', r));
      }
      req.end(tail);
    })();
  });
}

async function measure(name, file) {
  const target = join(tmpdir(), `flagon-bench-upload-${process.pid}.bin`);
  const child = spawn(process.execPath, [`${here}${file}`, target], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  try {
    const result = await upload(port);
    if (result.status !== 200 || statSync(target).size !== size)
      throw new Error(`${name}: status ${result.status}, ${result.text}`);
    child.send('rss');
    const { rss } = await new Promise((resolve) => child.once('message', resolve));
    return { mibPerSecond: size / 1024 / 1024 / result.seconds, rssMib: rss / 1024 / 1024 };
  } finally {
    child.kill();
    rmSync(target, { force: true });
  }
}

const samples = { 'flagon req.parts()': [], 'busboy on node:http': [] };
const files = { 'flagon req.parts()': 'flagon-server.mjs', 'busboy on node:http': 'busboy-server.mjs' };
for (let round = 0; round < rounds; round++) {
  const order = round % 2 ? Object.keys(samples).reverse() : Object.keys(samples);
  for (const name of order) {
    const r = await measure(name, files[name]);
    samples[name].push(r);
    console.log(
      `round ${round + 1}  ${name.padEnd(20)} ${r.mibPerSecond.toFixed(0)} MiB/s  peak RSS ${r.rssMib.toFixed(0)} MiB`,
    );
  }
}
const best = (xs, key, pick) => pick(...xs.map((x) => x[key]));
const lines = [
  '## Uploads: a multipart file streamed to disk (`npm run bench:upload`)',
  '',
  `- Command: \`npm run bench:upload -- --mib ${args.mib} --rounds ${rounds}\`; ${new Date().toISOString()}; Node ${process.version}`,
  `- One ${args.mib} MiB file in a multipart body over loopback, written to disk by the server; each server in its own process, interleaved.`,
  "- Peak RSS is the server process's maximum resident set size (getrusage), i.e. the whole process, Node included.",
  '',
  '| server | MiB/s (median) | peak RSS MiB (max) |',
  '| --- | ---: | ---: |',
  ...Object.entries(samples).map(([name, xs]) => {
    const rates = xs.map((x) => x.mibPerSecond).sort((a, b) => a - b);
    return `| ${name} | ${rates[rates.length >> 1].toFixed(0)} | ${best(xs, 'rssMib', Math.max).toFixed(0)} |`;
  }),
];
console.log(lines.join('\n'));
writeSection(`${here}../RESULTS.md`, 'upload', lines.join('\n'));
