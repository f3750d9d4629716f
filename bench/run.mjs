#!/usr/bin/env node
// Benchmark runner: raw node:http, Fastify and Flagon, same run, interleaved rounds, ratios to node:http.
// Usage: npm run bench -- [--rounds 5] [--duration 10] [--warmup 3] [--connections 50] [--out bench/RESULTS.md]
// Each server runs in its own process pinned to CPU 0 and autocannon in another pinned to CPU 1 (when taskset exists).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { canPin, fixed, median, pinned, runLoad } from './harness.mjs';
import { writeSection } from './results.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    duration: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    out: { type: 'string', default: `${here}RESULTS.md` },
    scenarios: { type: 'string', default: 'all' },
  },
});
const rounds = Number(args.rounds);
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);

/** The scenarios: a section of RESULTS.md each, the path requested, and the servers (the first is the baseline). */
const HELLO = {
  raw: { name: 'node:http', file: 'servers/node-http.mjs' },
  flagon: { name: 'flagon serve()', file: 'servers/flagon-tsgi.mjs' },
};
const APP_TARGETS = [
  { name: 'node:http', file: 'servers/node-http-app.mjs' },
  { name: 'fastify', file: 'servers/fastify-app.mjs' },
  { name: 'flagon App', file: 'servers/flagon-app.mjs' },
  // Fastify with what Flagon's App always has: a request context on AsyncLocalStorage (@fastify/request-context).
  { name: 'fastify + context', file: 'servers/fastify-context-app.mjs' },
];
/**
 * Issue 4's goal: Flagon's ratio to node:http at least Fastify's; with one baseline per round, Flagon's req/s ≥
 * Fastify's. The second compares like with like: Fastify once it carries a request context too.
 */
const APP_GOALS = [
  { ours: 'flagon App', theirs: 'fastify' },
  { ours: 'flagon App', theirs: 'fastify + context' },
];
const SCENARIOS = {
  http: {
    title: 'TSGI hello world (GET /)',
    path: '/',
    targets: [HELLO.raw, { name: 'fastify', file: 'servers/fastify.mjs' }, HELLO.flagon],
  },
  'context-cost': {
    title: 'What AsyncLocalStorage costs: the TSGI hello world with and without a context',
    path: '/',
    targets: [HELLO.raw, HELLO.flagon, { name: 'serve() + ALS', file: 'servers/flagon-tsgi-als.mjs' }],
  },
  'app-index': {
    title: 'App: GET / among 102 rules',
    path: '/',
    targets: APP_TARGETS,
    goals: APP_GOALS,
  },
  'app-user': {
    title: 'App: GET /users/<int:id> among 102 rules',
    path: '/users/42',
    targets: APP_TARGETS,
    goals: APP_GOALS,
  },
};
const chosen = args.scenarios === 'all' ? Object.keys(SCENARIOS) : args.scenarios.split(',');
for (const key of chosen)
  if (!(key in SCENARIOS)) throw new Error(`unknown scenario ${key}; known: ${Object.keys(SCENARIOS).join(', ')}`);

const taskset = canPin();

function startServer(file) {
  const [cmd, cmdArgs] = pinned(taskset, 0, [process.execPath, `${here}${file}`]);
  const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  const cpu = () =>
    new Promise((resolve) => {
      child.once('message', (message) => resolve(message.cpu.user + message.cpu.system));
      child.send('cpu');
    });
  return { child, port, cpu };
}

const load = (url, seconds) => runLoad(url, seconds, connections, taskset);

async function measure(target, path) {
  const server = startServer(target.file);
  try {
    const url = `http://127.0.0.1:${await server.port}${path}`;
    await load(url, warmup);
    const before = await server.cpu();
    const result = await load(url, duration);
    const after = await server.cpu();
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return { rps: result.rps, p99: result.p99, cpuPerRequest: (after - before) / result.total };
  } finally {
    server.child.kill();
  }
}

const report = [];
for (const key of chosen) {
  const { title: scenario, path, targets } = SCENARIOS[key];
  console.log(`\n## ${scenario}`);
  const samples = new Map(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= rounds; round++) {
    // Rotate the order each round so no target always runs first (warm caches, thermal state).
    const order = targets.map((_, i) => targets[(i + round - 1) % targets.length]);
    const results = new Map();
    for (const target of order) results.set(target.name, await measure(target, path));
    const base = results.get(targets[0].name);
    for (const target of targets) {
      const r = results.get(target.name);
      samples
        .get(target.name)
        .push({ ...r, rpsRatio: r.rps / base.rps, cpuRatio: r.cpuPerRequest / base.cpuPerRequest });
      console.log(
        `round ${round}  ${target.name.padEnd(18)} ${fixed(r.rps, 0).padStart(7)} req/s  ×${fixed(r.rps / base.rps, 3)}  p99 ${r.p99} ms  ${fixed(r.cpuPerRequest, 1)} µs CPU/req  ×${fixed(r.cpuPerRequest / base.cpuPerRequest, 3)}`,
      );
    }
  }
  report.push({ key, scenario, targets, samples, goals: SCENARIOS[key].goals ?? [] });
}

const version = (pkg) => JSON.parse(readFileSync(`${here}../node_modules/${pkg}/package.json`, 'utf8')).version;
const nodeMajor = process.versions.node.split('.')[0];
const flagonVersion = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')).version;
const command = `npm run bench -- --scenarios ${chosen.join(',')} --rounds ${rounds} --duration ${duration} --warmup ${warmup} --connections ${connections}`;
for (const { key, scenario, targets, samples, goals } of report) {
  const lines = [
    `## ${key === 'http' ? 'HTTP: Flagon, raw node:http and Fastify' : scenario}, Node ${nodeMajor} (\`npm run bench\`)`,
    '',
    'Made by `bench/run.mjs`; every figure in this section comes from one run, with the servers interleaved round by round.',
    '',
    `- Command: \`${command}\``,
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}`,
    `- Pinning: ${taskset ? 'server on CPU 0, autocannon on CPU 1 (taskset)' : 'none (taskset not available)'}`,
    `- Versions: Node ${process.version}, flagon ${flagonVersion}, fastify ${version('fastify')}, autocannon ${version('autocannon')}`,
    `- Load: autocannon, ${connections} connections, ${warmup} s warm-up then ${duration} s measured, per server per round`,
    "- CPU µs/req: the server process's user + system CPU time over the measured window, divided by the requests served.",
    '',
    `### ${scenario}`,
    '',
    `Medians of ${rounds} rounds; ratios are to ${targets[0].name} in the same round.`,
    '',
    '| server | req/s | × node:http | p99 ms | CPU µs/req | CPU × node:http |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const target of targets) {
    const s = samples.get(target.name);
    lines.push(
      `| ${target.name} | ${fixed(median(s.map((x) => x.rps)), 0)} | ${fixed(median(s.map((x) => x.rpsRatio)), 3)} | ${median(s.map((x) => x.p99))} | ${fixed(median(s.map((x) => x.cpuPerRequest)), 1)} | ${fixed(median(s.map((x) => x.cpuRatio)), 3)} |`,
    );
  }
  for (const goal of goals) {
    const ours = samples.get(goal.ours);
    const theirs = samples.get(goal.theirs);
    const perRound = ours.map((x, i) => x.rps / theirs[i].rps);
    const ahead = perRound.filter((ratio) => ratio >= 1).length;
    const met = median(ours.map((x) => x.rpsRatio)) >= median(theirs.map((x) => x.rpsRatio));
    lines.push(
      '',
      `**Goal** (${goal.ours}'s × node:http at least ${goal.theirs}'s): **${met ? 'met' : 'not met'}** in this run. ` +
        `${goal.ours} ÷ ${goal.theirs} req/s, median of the rounds: ${fixed(median(perRound), 3)}; ${goal.ours} was ahead in ${ahead} of ${perRound.length} rounds.`,
    );
  }
  lines.push(
    '',
    '<details><summary>Every round</summary>',
    '',
    '| round | server | req/s | × node:http | p99 ms | CPU µs/req | CPU × |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) {
      const x = samples.get(target.name)[round];
      lines.push(
        `| ${round + 1} | ${target.name} | ${fixed(x.rps, 0)} | ${fixed(x.rpsRatio, 3)} | ${x.p99} | ${fixed(x.cpuPerRequest, 1)} | ${fixed(x.cpuRatio, 3)} |`,
      );
    }
  }
  lines.push('', '</details>', '');
  const notesFile = `${here}NOTES-${key}.md`; // how to read the section, kept by hand
  if (existsSync(notesFile)) lines.push(readFileSync(notesFile, 'utf8').trim(), '');
  // One section per scenario and Node major: issue 17's goals are read on Node 20 and on Node 24 from one checkout.
  writeSection(args.out, `${key}-node${nodeMajor}`, lines.join('\n'));
}
console.log(`\nwrote ${args.out}`);
