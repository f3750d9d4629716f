/**
 * Flagon on Bun and Deno (the devDependencies `bun` and `deno` bring their binaries): the shared Fetch suite against
 * fixtures/suite-app.ts served natively (`Bun.serve({ fetch: app.fetch })`, `Deno.serve(app.fetch)`) and through
 * `serve()` on each runtime's node:http. Each server is a child process in a scratch folder where 'flagon' is the
 * packed framework, as users install it; the test talks to it over real HTTP and stops it by its PID.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe } from 'vitest';
import { packFlagon, ROOT } from '../helpers/packed.js';
import { fetchSuite } from './fetch-suite.js';

const run = promisify(execFile);
const FIXTURES = join(ROOT, 'test', 'adapters', 'fixtures');

interface Runtime {
  name: string;
  bin: string;
  args: (script: string, mode: string) => string[];
}
const RUNTIMES: Runtime[] = [
  { name: 'Bun', bin: join(ROOT, 'node_modules', '.bin', 'bun'), args: (script, mode) => [script, mode] },
  // --sloppy-imports: the fixtures import './suite-app.js' as tsc wants; Deno then finds suite-app.ts.
  {
    name: 'Deno',
    bin: join(ROOT, 'node_modules', '.bin', 'deno'),
    args: (script, mode) => ['run', '--allow-all', '--sloppy-imports', script, mode],
  },
];
const available = RUNTIMES.filter((runtime) => existsSync(runtime.bin));

let scratch = '';

/** A folder with the fixtures and node_modules/flagon unpacked from `npm pack` (its dependencies from the checkout). */
async function setUpScratch(): Promise<void> {
  const tarball = await packFlagon();
  scratch = mkdtempSync(join(tmpdir(), 'flagon-runtimes-'));
  mkdirSync(join(scratch, 'node_modules'));
  mkdirSync(join(scratch, 'unpacked'));
  await run('tar', ['-xzf', tarball, '-C', join(scratch, 'unpacked')]);
  renameSync(join(scratch, 'unpacked', 'package'), join(scratch, 'node_modules', 'flagon'));
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules', 'flagon', 'node_modules'), 'dir');
  for (const name of ['suite-app.ts', 'runtime-server.ts', 'templates'])
    cpSync(join(FIXTURES, name), join(scratch, name), { recursive: true });
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'flagon-runtime-suite', type: 'module', private: true }),
  );
}

/** Starts the fixture server and resolves with its port once it prints `listening on <port>`. */
function startServer(runtime: Runtime, mode: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(runtime.bin, runtime.args('runtime-server.ts', mode), {
    cwd: scratch,
    env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(scratch, '.deno') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${runtime.name} ${mode}: no "listening on" within 20 s\n${out}${err}`)),
      20_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${runtime.name} ${mode} exited with ${code} before listening:\n${out}${err}`));
    });
  });
}

function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(child.pid!, 'SIGTERM');
  });
}

if (available.length > 0) {
  beforeAll(setUpScratch, 120_000);
  afterAll(() => {
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
  });
}

for (const runtime of RUNTIMES) {
  const missing = !available.includes(runtime);
  const skipped = missing ? ` (skipped: ${runtime.bin} is missing; run npm ci)` : '';
  for (const [mode, label] of [
    ['fetch', `${runtime.name}, natively through app.fetch`],
    ['serve', `${runtime.name}, through serve() on its node:http`],
  ] as const) {
    describe.skipIf(missing)(`${label}${skipped}`, () => {
      let server: { child: ChildProcess; port: number } | undefined;
      beforeAll(async () => {
        server = await startServer(runtime, mode);
      }, 30_000);
      afterAll(() => stopServer(server?.child));
      // Socket buffers on both sides and the runtime's own stream buffers sit between the app and the reader.
      fetchSuite(runtime.name, () => ({
        send: (path, init) => fetch(`http://127.0.0.1:${server!.port}${path}`, init),
        slack: 32 * 1024 * 1024,
        runtime: runtime.name.toLowerCase(),
      }));
    });
  }
}
