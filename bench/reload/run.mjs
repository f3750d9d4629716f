// Reload latency: from saving a file to the first response that comes from the new code, over 20 saves, while a
// steady request loop runs (its failures are counted). Flagon's `flagon run --debug` against the common alternative,
// restarting the whole process on change (`tsx watch` on a script that calls app.run without the reloader).
// Usage: npm run bench:reload [-- --edits 20 --gap 1500]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSection } from '../results.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..', '..');
const { values } = parseArgs({
  options: { edits: { type: 'string', default: '20' }, gap: { type: 'string', default: '1500' } },
});
const edits = Number(values.edits);
const gap = Number(values.gap);

const view = (text) => `import { App, renderTemplate } from 'flagon';
export const app = new App(import.meta.url, { name: 'bench-reload' });
class Pages {
  @app.get('/')
  static index(): string { return ${JSON.stringify(text)}; }
}
app.get('/page', () => renderTemplate('page.html', { n: 1 }));
`;

function project() {
  const dir = mkdtempSync(join(tmpdir(), 'flagon-reload-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repo, join(dir, 'node_modules', 'flagon'), 'dir');
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(join(dir, 'templates', 'page.html'), '<p>{{ n }}</p>');
  writeFileSync(join(dir, 'app.ts'), view('v0'));
  writeFileSync(
    join(dir, 'server.ts'),
    "import { app } from './app.js';\nawait app.run({ port: Number(process.env.PORT), reload: false, banner: true, log: false });\n",
  );
  return dir;
}

async function start(command, args, cwd, env = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', () => undefined);
  for (let i = 0; i < 600 && !/Running on (http\S+)/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
  const url = /Running on (http\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`no banner from ${args.join(' ')}:\n${out}`);
  return { child, url };
}

async function measure(name, dir, url) {
  let ok = 0;
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const response = await fetch(`${url}/page`);
        await response.text();
        if (response.ok) ok++;
        else failed++;
      } catch {
        failed++;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  })();
  const times = [];
  for (let i = 1; i <= edits; i++) {
    await new Promise((r) => setTimeout(r, gap));
    const text = `v${i}`;
    const saved = performance.now();
    writeFileSync(join(dir, 'app.ts'), view(text));
    for (;;) {
      try {
        const response = await fetch(`${url}/`);
        if ((await response.text()) === text) break;
      } catch {
        // the process is restarting
      }
      if (performance.now() - saved > 30_000) throw new Error(`${name}: no new code after 30 s`);
    }
    times.push(performance.now() - saved);
  }
  running = false;
  await loop;
  const sorted = [...times].sort((a, b) => a - b);
  return {
    name,
    median: sorted[sorted.length >> 1],
    p90: sorted[Math.floor(sorted.length * 0.9)],
    max: sorted.at(-1),
    min: sorted[0],
    ok,
    failed,
  };
}

const results = [];
{
  const dir = project();
  const { child, url } = await start(
    process.execPath,
    [join(repo, 'dist', 'cli', 'main.js'), 'run', '--debug', '--port', '0'],
    dir,
  );
  try {
    results.push(await measure('flagon run --debug', dir, url));
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
{
  const dir = project();
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const tsx = join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const { child, url } = await start(process.execPath, [tsx, 'watch', '--clear-screen=false', 'server.ts'], dir, {
    PORT: String(port),
  });
  try {
    results.push(await measure('tsx watch (restart the process)', dir, url));
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x) => `${Math.round(x)}`;
const markdown = [
  '## Reload: save → first response from the new code (`npm run bench:reload`)',
  '',
  `- Command: \`npm run bench:reload\` (${edits} saves of app.ts, ${gap} ms apart, each followed by back-to-back GET / until the new text answers; meanwhile a loop of GET /page, a template, counts failures); ${new Date().toISOString()}; Node ${process.version}; 2-core VM`,
  '- The same TypeScript app (a decorated class, a template) under `flagon run --debug` and under `tsx watch server.ts` (the whole process restarts: what `npm run demo` did before issue 7).',
  '',
  '| server | median ms | p90 ms | max ms | min ms | loop requests | failed |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map(
    (r) => `| ${r.name} | ${ms(r.median)} | ${ms(r.p90)} | ${ms(r.max)} | ${ms(r.min)} | ${r.ok} | ${r.failed} |`,
  ),
].join('\n');
console.log(markdown);
writeSection(join(here, '..', 'RESULTS.md'), 'reload', markdown);
process.exit(0);
