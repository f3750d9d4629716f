#!/usr/bin/env node
// Router benchmark: Hono's router cases over a table of 1,000 rules, Flagon's Router against find-my-way, same run.
// Usage: npm run bench:router -- [--rounds 5] [--iterations 1000000] [--out bench/RESULTS.md]
import { cpus, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import findMyWay from 'find-my-way';
import { Router } from '../../dist/routing/index.js';
import { median } from '../harness.mjs';
import { writeSection } from '../results.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    iterations: { type: 'string', default: '1000000' },
    out: { type: 'string', default: `${here}../RESULTS.md` },
  },
});

// Hono's benchmarks/routers table, then filler rules up to 1,000, in find-my-way's syntax.
const HONO_ROUTES = [
  ['GET', '/user'],
  ['GET', '/user/comments'],
  ['GET', '/user/avatar'],
  ['GET', '/user/lookup/username/:username'],
  ['GET', '/user/lookup/email/:address'],
  ['GET', '/event/:id'],
  ['GET', '/event/:id/comments'],
  ['POST', '/event/:id/comment'],
  ['GET', '/map/:location/events'],
  ['GET', '/status'],
  ['GET', '/very/deeply/nested/route/hello/there'],
  ['GET', '/static/*'],
];
const routes = [...HONO_ROUTES];
for (let i = 0; routes.length < 1000; i++) {
  const base = `/api/v${i % 4}/res${i}`;
  routes.push(['GET', base], ['GET', `${base}/:id`], ['PUT', `${base}/:id/items`], ['GET', `${base}/:id/items/:item`]);
}
routes.length = 1000;

const CASES = [
  ['short static', 'GET', '/user'],
  ['static with same radix', 'GET', '/user/comments'],
  ['dynamic route', 'GET', '/user/lookup/username/hey'],
  ['mixed static dynamic', 'GET', '/event/abcd1234/comments'],
  ['post', 'POST', '/event/abcd1234/comment'],
  ['long static', 'GET', '/very/deeply/nested/route/hello/there'],
  ['wildcard', 'GET', '/static/index.html'],
];

const toFlagonRule = (path) => path.replace(/:(\w+)/g, '<$1>').replace(/\*$/, '<path:wildcard>');
const flagon = new Router();
const fmw = findMyWay();
routes.forEach(([method, path], i) => {
  const methods = method === 'GET' ? ['GET'] : [method];
  flagon.add(toFlagonRule(path), { endpoint: `e${i}`, methods });
  fmw.on(method, path, () => i);
});

// Each contender answers the same question: which rule, with which parameters.
let sink = 0;
const contenders = {
  flagon: (method, path) => {
    sink += flagon.match(path, { method }).endpoint.length;
  },
  'find-my-way': (method, path) => {
    sink += fmw.find(method, path).handler.length + 1;
  },
};
for (const [name, method, path] of CASES) {
  for (const [who, match] of Object.entries(contenders)) {
    try {
      match(method, path);
    } catch (error) {
      throw new Error(`${who} does not match ${name} ${method} ${path}: ${error.message}`);
    }
  }
}

function nsPerMatch(fn, cases, iterations) {
  for (let i = 0; i < iterations / 10; i++) for (const [, method, path] of cases) fn(method, path); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) for (const [, method, path] of cases) fn(method, path);
  return Number(process.hrtime.bigint() - start) / iterations / (cases.length === 1 ? 1 : 1);
}

const rounds = Number(args.rounds);
const iterations = Number(args.iterations);
const groups = [...CASES.map((c) => [c[0], [c]]), ['all together', CASES]];
const samples = new Map(groups.map(([name]) => [name, { flagon: [], 'find-my-way': [] }]));
for (let round = 1; round <= rounds; round++) {
  for (const [name, cases] of groups) {
    const order = round % 2 ? Object.entries(contenders) : Object.entries(contenders).reverse();
    for (const [who, fn] of order)
      samples.get(name)[who].push(nsPerMatch(fn, cases, name === 'all together' ? iterations / 7 : iterations));
  }
  console.log(`round ${round} done`);
}

const lines = [
  "## Router: Hono's cases over 1,000 rules (`npm run bench:router`)",
  '',
  `- Command: \`npm run bench:router -- --rounds ${rounds} --iterations ${iterations}\``,
  `- Date: ${new Date().toISOString()}; Node ${process.version}; ${cpus()[0]?.model ?? 'unknown CPU'}; Linux ${release()}`,
  `- Table: Hono's 12 routes plus ${routes.length - HONO_ROUTES.length} filler rules (static, dynamic and nested under /api), the same for both routers.`,
  '- ns per match, median of the rounds (the contenders alternate order each round); "all together" is the time for all seven cases, in one loop.',
  '',
  '| case | flagon ns | find-my-way ns | flagon ÷ find-my-way |',
  '| --- | ---: | ---: | ---: |',
];
for (const [name] of groups) {
  const s = samples.get(name);
  const a = median(s.flagon);
  const b = median(s['find-my-way']);
  lines.push(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)}× |`);
}
const markdown = lines.join('\n');
console.log(`\n${markdown}`);
writeSection(args.out, 'router', markdown);
if (sink === 0) console.log('');
