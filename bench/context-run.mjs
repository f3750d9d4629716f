#!/usr/bin/env node
// What one AsyncLocalStorage.run() costs, the call the App makes once per request so that `request`, `g` and
// `currentApp` work in a view and in everything it awaits. On Node 24 (AsyncContextFrame) run() builds two frames:
// one with the store entered, and one more to put the prior store back, each a copy of the current frame (a Map).
// On Node 20 run() itself is cheap, and the cost is elsewhere: every async resource made while any storage is
// active runs an async_hooks callback (see the context-cost scenario of `npm run bench`).
// Usage: npm run bench:context -- [--rounds 5] [--calls 2000000] [--out bench/RESULTS.md]
import { AsyncLocalStorage } from 'node:async_hooks';
import { cpus, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './harness.mjs';
import { writeSection } from './results.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    calls: { type: 'string', default: '2000000' },
    out: { type: 'string', default: fileURLToPath(new URL('RESULTS.md', import.meta.url)) },
  },
});
const rounds = Number(args.rounds);
const calls = Number(args.calls);

const storage = new AsyncLocalStorage();
const other = new AsyncLocalStorage(); // another library's storage (a tracer's, say), entered around the request
let sink = 0;
const view = () => {
  sink += storage.getStore()?.n ?? 1;
};

const CASES = [
  ['a plain call of the view', (i) => view(i)],
  ['storage.run(store, view)', (i) => storage.run({ n: i }, view)],
  ['storage.run inside another storage', (i) => other.run(1, () => storage.run({ n: i }, view))],
  ['another storage alone (the line above minus run)', (i) => other.run(1, () => view(i))],
  ['storage.getStore()', () => storage.getStore()],
];

/** Best ns per call over 5 timed loops, after a warm-up loop. */
function measure(fn) {
  for (let i = 0; i < calls / 4; i++) fn(i);
  let best = Number.POSITIVE_INFINITY;
  for (let loop = 0; loop < 5; loop++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn(i);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / calls);
  }
  return best;
}

const samples = new Map(CASES.map(([name]) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < CASES.length; k++) {
    const [name, fn] = CASES[(k + round) % CASES.length];
    samples.get(name).push(measure(fn));
  }
}
const plain = median(samples.get(CASES[0][0]));
const node = process.versions.node.split('.')[0];
const lines = [
  `## One AsyncLocalStorage.run() per request, Node ${node} (\`npm run bench:context\`)`,
  '',
  'Made by `bench/context-run.mjs`: nanoseconds per call, median over rounds of the best of five loops, the cases',
  'interleaved. "+ ns" is over a plain call of the same view. The App runs each request in one `run()`.',
  '',
  `- Command: \`npm run bench:context -- --rounds ${rounds} --calls ${calls}\``,
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Linux ${release()}, Node ${process.version}`,
  '',
  '| case | ns per call | + ns |',
  '| --- | ---: | ---: |',
];
for (const [name] of CASES) {
  const ns = median(samples.get(name));
  const row = `| ${name} | ${ns.toFixed(1)} | ${(ns - plain).toFixed(1)} |`;
  console.log(row);
  lines.push(row);
}
writeSection(args.out, `context-run-node${node}`, `${lines.join('\n')}\n`);
if (sink < 0) console.log(sink); // keeps the views' work observable, so it cannot be optimised away
console.log(`\nwrote ${args.out}`);
