#!/usr/bin/env node
// `flagon serve --workers 2` against Fastify and raw node:http, each on node:cluster with 2 workers (issue 18), plus
// raw node:http in one process for what the cluster itself costs. Same run, interleaved rounds, the order rotated.
// Usage: npm run bench:cluster -- [--rounds 10] [--duration 4] [--warmup 2] [--connections 50] [--pin on|off]
//   [--scenarios index,user] [--out bench/RESULTS.md]
// Load: bench/load.mjs (autocannon in its own process). Figures: bench/results.mjs's writeSection, one section per
// Node major (`cluster-node20`, `cluster-node24`). Pinning as bench/run.mjs: with taskset and 2+ CPUs, every server
// process (the primary and the workers it forks inherit the mask) on CPU 0 and the load generator on CPU 1.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { canPin, fixed, median, pinned as pinnedIf, runLoad } from '../harness.mjs';
import { writeSection } from '../results.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    duration: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    pin: { type: 'string', default: 'on' },
    scenarios: { type: 'string', default: 'index,user' },
    'max-others': { type: 'string', default: '0.1' },
    retries: { type: 'string', default: '1' },
    out: { type: 'string', default: `${root}bench/RESULTS.md` },
  },
});
const rounds = Number(args.rounds);
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const maxOthers = Number(args['max-others']);
const retries = Number(args.retries);
const WORKERS = 2;

const node = process.execPath;
const BASE = 'node:http ×2';
const OURS = 'flagon serve ×2';
const THEIRS = 'fastify ×2';
/** `cluster`: prints `Listening at: URL` and one `Worker booted` line per worker; `ipc`: bench/servers/common.mjs's ready(). */
const TARGETS = [
  { name: BASE, kind: 'cluster', command: [node, `${here}node-cluster.mjs`, '0'] },
  { name: THEIRS, kind: 'cluster', command: [node, `${here}fastify-cluster.mjs`, '0'] },
  {
    name: OURS,
    kind: 'cluster',
    command: [
      node,
      `${root}dist/cli/main.js`,
      'serve',
      '--app',
      `${here}flagon-app.mjs`,
      '--workers',
      String(WORKERS),
      '--bind',
      '127.0.0.1:0',
    ],
  },
  { name: 'node:http, 1 process', kind: 'ipc', command: [node, `${root}bench/servers/node-http-app.mjs`] },
];
const SCENARIOS = {
  index: { title: 'GET / among 102 rules', path: '/' },
  user: { title: 'GET /users/<int:id> among 102 rules', path: '/users/42' },
};
const chosen = args.scenarios.split(',');
for (const key of chosen)
  if (!(key in SCENARIOS)) throw new Error(`unknown scenario ${key}; known: ${Object.keys(SCENARIOS).join(', ')}`);

const taskset = args.pin !== 'off' && canPin();
const pinned = (cpu, command) => pinnedIf(taskset, cpu, command);

// CPU time from /proc, summed over the primary and its workers (the same way for every server, one process or many).
const TICK_US = (() => {
  try {
    return 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 1e4;
  }
})();
function descendants(pid) {
  const found = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const child of children ? children.split(' ').map(Number) : []) found.push(child, ...descendants(child));
  }
  return found;
}
function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  return (Number(fields[11]) + Number(fields[12])) * TICK_US; // utime + stime
}
/** CPU 0's busy and total time (µs) from /proc/stat: with the servers pinned there, busy minus theirs is someone else's. */
function cpu0() {
  const fields = /^cpu0 (.*)$/m.exec(readFileSync('/proc/stat', 'utf8'))[1].trim().split(/\s+/).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy * TICK_US, total: (busy + idle + iowait) * TICK_US };
}
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const running = new Set();
process.once('exit', () => {
  for (const pid of running) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

/** Starts a server; resolves when it serves: every worker booted (or the IPC port arrived) and one GET answered 200. */
async function startServer(target, path) {
  const [cmd, cmdArgs] = pinned(0, target.command);
  const child = spawn(cmd, cmdArgs, {
    stdio: ['ignore', 'pipe', 'inherit', ...(target.kind === 'ipc' ? ['ipc'] : [])],
  });
  running.add(child.pid);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    exited.then(({ code, signal }) => reject(new Error(`${target.name} exited with ${signal ?? code} before serving`)));
    if (target.kind === 'ipc') {
      child.stdout.resume();
      child.once('message', (message) => resolve(message.port));
      return;
    }
    let url = null;
    let booted = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const listening = /^Listening at: (http:\/\/\S+)/.exec(line);
      if (listening) url = new URL(listening[1]);
      if (/^Worker booted/.test(line)) booted++;
      if (url && booted === WORKERS) resolve(Number(url.port));
    });
  });
  await new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.statusCode === 200 ? resolve() : reject(new Error(`${target.name}: GET ${path} answered ${res.statusCode}`));
    }).once('error', reject);
  });
  const pids = [child.pid, ...descendants(child.pid)];
  if (pids.length !== (target.kind === 'ipc' ? 1 : 1 + WORKERS))
    throw new Error(
      `${target.name}: expected ${target.kind === 'ipc' ? 1 : 1 + WORKERS} processes, found ${pids.join(', ')}`,
    );
  for (const pid of pids) running.add(pid);
  const cpu = () => ({ primary: cpuMicros(child.pid), all: pids.reduce((sum, pid) => sum + cpuMicros(pid), 0) });
  return { child, pids, port, cpu, exited };
}

/** SIGTERM to the primary's PID, then its exit awaited and checked, and every worker PID checked gone. */
async function stopServer(target, server) {
  server.child.kill('SIGTERM');
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), 10_000);
  });
  const exit = await Promise.race([server.exited, timeout]);
  clearTimeout(timer);
  if (exit === null) {
    for (const pid of server.pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    throw new Error(`${target.name} did not exit within 10 s of SIGTERM: killed`);
  }
  // A one-process server has no SIGTERM handler (killed by the signal); a cluster primary exits 0 once its workers did.
  // Any other exit is recorded and reported with the figures (and fails the run only if a process is left).
  const clean = target.kind === 'ipc' ? exit.signal === 'SIGTERM' || exit.code === 0 : exit.code === 0;
  if (!clean) {
    const how = exit.signal ?? exit.code;
    console.error(`${target.name} exited with ${how} after SIGTERM, not 0`);
    target.unclean = [...(target.unclean ?? []), how];
  }
  for (const pid of server.pids) {
    // Workers exit before their primary; a zombie's PID is reaped by init right after.
    if (alive(pid) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')) {
      process.kill(pid, 'SIGKILL');
      throw new Error(`${target.name}: process ${pid} outlived its primary: killed`);
    }
    running.delete(pid);
  }
}

const load = (url, seconds) => runLoad(url, seconds, connections, taskset);

async function measure(target, path) {
  const server = await startServer(target, path);
  let failure = null;
  let figures;
  try {
    const url = `http://127.0.0.1:${server.port}${path}`;
    await load(url, warmup);
    const before = server.cpu();
    const core0 = cpu0();
    const result = await load(url, duration);
    const after = server.cpu();
    const core1 = cpu0();
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    figures = {
      rps: result.rps,
      p99: result.p99,
      cpuPerRequest: (after.all - before.all) / result.total,
      primaryPerRequest: (after.primary - before.primary) / result.total,
      // Noise: the share of CPU 0 that other processes of the machine took while this server was measured.
      others: taskset ? (core1.busy - core0.busy - (after.all - before.all)) / (core1.total - core0.total) : Number.NaN,
    };
  } catch (error) {
    failure = error;
  }
  try {
    await stopServer(target, server);
  } catch (error) {
    if (failure)
      console.error(error.message); // the first failure is the one thrown
    else failure = error;
  }
  if (failure) throw failure;
  return figures;
}

/**
 * On a shared machine: a measurement during which other processes took more than `--max-others` of CPU 0 is made
 * again with a fresh server, up to `--retries` times, and the quietest attempt kept (the same rule for every server).
 */
let remeasured = 0;
async function quietest(target, path) {
  let best;
  for (let attempt = 0; attempt <= retries; attempt++) {
    const result = await measure(target, path);
    if (best === undefined || result.others < best.others) best = result;
    if (!(result.others > maxOthers)) break;
    if (attempt < retries) {
      remeasured++;
      console.log(`  ${target.name}: others took ${(result.others * 100).toFixed(1)}% of CPU 0; measuring again`);
    }
  }
  return best;
}

const percent = (value) => (Number.isNaN(value) ? '–' : `${fixed(Math.max(0, value) * 100, 1)}%`);

const loadStart = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
const report = [];
for (const key of chosen) {
  const { title, path } = SCENARIOS[key];
  console.log(`\n## ${title}`);
  const samples = new Map(TARGETS.map((t) => [t.name, []]));
  for (let round = 1; round <= rounds; round++) {
    // Rotate the order each round so no server always runs first (warm caches, thermal state), as bench/run.mjs.
    const order = TARGETS.map((_, i) => TARGETS[(i + round - 1) % TARGETS.length]);
    const results = new Map();
    for (const target of order) results.set(target.name, await quietest(target, path));
    const base = results.get(BASE);
    for (const target of TARGETS) {
      const r = results.get(target.name);
      samples
        .get(target.name)
        .push({ ...r, rpsRatio: r.rps / base.rps, cpuRatio: r.cpuPerRequest / base.cpuPerRequest });
      console.log(
        `round ${round}  ${target.name.padEnd(20)} ${fixed(r.rps, 0).padStart(7)} req/s  ×${fixed(r.rps / base.rps, 3)}  p99 ${r.p99} ms  ${fixed(r.cpuPerRequest, 1)} µs CPU/req (primary ${fixed(r.primaryPerRequest, 1)})  others on CPU 0 ${percent(r.others)}`,
      );
    }
  }
  report.push({ key, title, samples });
}

const version = (pkg) => JSON.parse(readFileSync(`${root}node_modules/${pkg}/package.json`, 'utf8')).version;
const nodeMajor = process.versions.node.split('.')[0];
const flagonVersion = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version;
const commit = (() => {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const command = `npm run bench:cluster -- --scenarios ${chosen.join(',')} --rounds ${rounds} --duration ${duration} --warmup ${warmup} --connections ${connections} --pin ${taskset ? 'on' : 'off'} --max-others ${maxOthers} --retries ${retries}`;
const lines = [
  `## \`flagon serve --workers 2\` against Fastify and node:http on node:cluster, Node ${nodeMajor} (\`npm run bench:cluster\`)`,
  '',
  'Made by `bench/cluster/run.mjs`; every figure in this section comes from one run, with the servers interleaved round by round.',
  '',
  `- Command: \`${command}\` (commit ${commit})`,
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}`,
  `- Pinning: ${taskset ? 'every server process (the cluster primary and both workers; the one-process server) on CPU 0, autocannon on CPU 1 (taskset)' : 'none: servers and autocannon share every CPU'}`,
  `- Versions: Node ${process.version}, flagon ${flagonVersion}, fastify ${version('fastify')}, autocannon ${version('autocannon')}`,
  `- Servers: \`${BASE}\` is bench/servers/node-http-app.mjs and \`${THEIRS}\` bench/servers/fastify-app.mjs, each in ${WORKERS} workers under a node:cluster primary (bench/cluster/cluster.mjs); \`${OURS}\` is \`node dist/cli/main.js serve --app bench/cluster/flagon-app.mjs --workers ${WORKERS} --bind 127.0.0.1:0\` (the App of bench/servers/flagon-app.mjs); \`node:http, 1 process\` is node-http-app.mjs alone. The two baselines use node:cluster's default scheduling (round-robin: the primary accepts and hands each connection to a worker); \`${OURS}\` has its workers accept from the shared socket (SCHED_NONE, as gunicorn's; docs/deployment.md says why). autocannon opens its connections once, so scheduling decides only how they are split.`,
  `- Load: autocannon, ${connections} keep-alive connections, ${warmup} s warm-up then ${duration} s measured, per server per round; a server counts as ready when every worker has reported booted and one GET answered 200; stopped by SIGTERM to its PID, exit checked.`,
  '- CPU µs/req: user + system CPU time (/proc) of the primary and its workers over the measured window, divided by the requests served; "primary" is the primary\'s share alone.',
  `- Noise: ${taskset ? `other processes took a median ${percent(median(report.flatMap(({ samples }) => [...samples.values()].flat().map((x) => x.others))))} of CPU 0 while a server was measured (max ${percent(Math.max(...report.flatMap(({ samples }) => [...samples.values()].flat().map((x) => x.others))))}; per round in "Every round")` : 'not measured (nothing pinned)'}; ${remeasured} measurements were made again (a fresh server) because others took more than ${percent(maxOthers)} of CPU 0 (\`--max-others ${maxOthers} --retries ${retries}\`: the quieter attempt is kept); load average ${loadStart} before the run, ${loadavg()
    .map((x) => fixed(x, 2))
    .join(' ')} after.`,
  `- Stops: ${TARGETS.length * rounds * chosen.length} SIGTERMs, every process checked gone after each. ${
    TARGETS.filter((t) => t.unclean)
      .map(
        (t) =>
          `${t.name} exited with ${t.unclean.join(', ')} instead of 0 in ${t.unclean.length} of its ${rounds * chosen.length} stops.`,
      )
      .join(' ') || 'Every primary exited 0.'
  }`,
];
for (const { title, samples } of report) {
  lines.push(
    '',
    `### ${title}`,
    '',
    `Medians of ${rounds} rounds; ratios are to ${BASE} in the same round.`,
    '',
    `| server | req/s | × ${BASE} | p99 ms | CPU µs/req | of which primary | CPU × ${BASE} |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const target of TARGETS) {
    const s = samples.get(target.name);
    lines.push(
      `| ${target.name} | ${fixed(median(s.map((x) => x.rps)), 0)} | ${fixed(median(s.map((x) => x.rpsRatio)), 3)} | ${median(s.map((x) => x.p99))} | ${fixed(median(s.map((x) => x.cpuPerRequest)), 1)} | ${target.kind === 'ipc' ? '–' : fixed(median(s.map((x) => x.primaryPerRequest)), 1)} | ${fixed(median(s.map((x) => x.cpuRatio)), 3)} |`,
    );
  }
  const ours = samples.get(OURS);
  const theirs = samples.get(THEIRS);
  const perRound = ours.map((x, i) => x.rps / theirs[i].rps);
  lines.push(
    '',
    `**${OURS} ÷ ${THEIRS}** req/s, median of the per-round ratios: **${fixed(median(perRound), 3)}**; Flagon was ahead in ${perRound.filter((r) => r >= 1).length} of ${rounds} rounds.`,
    '',
    '<details><summary>Every round</summary>',
    '',
    `| round | server | req/s | × ${BASE} | p99 ms | CPU µs/req | primary µs/req | others on CPU 0 |`,
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (let round = 0; round < rounds; round++) {
    for (const target of TARGETS) {
      const x = samples.get(target.name)[round];
      lines.push(
        `| ${round + 1} | ${target.name} | ${fixed(x.rps, 0)} | ${fixed(x.rpsRatio, 3)} | ${x.p99} | ${fixed(x.cpuPerRequest, 1)} | ${target.kind === 'ipc' ? '–' : fixed(x.primaryPerRequest, 1)} | ${percent(x.others)} |`,
      );
    }
  }
  lines.push('', '</details>');
}
writeSection(args.out, `cluster${taskset ? '' : '-unpinned'}-node${nodeMajor}`, lines.join('\n'));
console.log(`\nwrote ${args.out}`);
