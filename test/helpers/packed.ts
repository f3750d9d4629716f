/**
 * The framework as users get it: `npm pack` of this checkout, built into a private copy so that test files packing
 * at the same time (or a build running in the checkout) never see each other's half-written dist/.
 *
 * The tarball is cached under the system temp folder by a hash of everything that goes into it, so the second test
 * file that asks for it (in this run or the next) gets it at once. Two processes that miss the cache together both
 * build; the first rename wins and the other's copy is thrown away, so no lock is needed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
/** The checkout's root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What the tarball is made from: package.json's `files`, plus what tsc reads to build dist/. */
const INPUTS = ['package.json', 'tsconfig.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'src', 'templates', 'docs'];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesUnder(join(ROOT, input)))) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function build(target: string): Promise<void> {
  const staging = `${target}.${process.pid}.${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  try {
    for (const input of INPUTS)
      if (existsSync(join(ROOT, input))) cpSync(join(ROOT, input), join(staging, input), { recursive: true });
    // tsc and @types from the checkout's node_modules (a link), writing into the copy: the checkout's dist/ is left alone.
    symlinkSync(join(ROOT, 'node_modules'), join(staging, 'node_modules'), 'dir');
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(staging, 'tsconfig.json')], {
      cwd: staging,
    });
    unlinkSync(join(staging, 'node_modules'));
    // The copy is built already: --ignore-scripts skips a prepack build, which would need node_modules here.
    await run('npm', ['pack', '--ignore-scripts', '--silent'], {
      cwd: staging,
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    try {
      renameSync(staging, target);
    } catch (error) {
      if (!existsSync(target)) throw error; // another process won the race with an identical build
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

let memo: Promise<string> | null = null;

/**
 * The absolute path of a `flagon-<version>.tgz` packed from this checkout, for `npm install <path>` into a scratch
 * project. Builds on the first call (about 15 s), then answers from the cache.
 *
 * @example
 * const tarball = await packFlagon();
 * await run('npm', ['install', tarball], { cwd: project });
 */
export function packFlagon(): Promise<string> {
  memo ??= (async () => {
    const target = join(tmpdir(), `flagon-pack-${inputsHash()}`);
    if (!existsSync(target)) await build(target);
    const tarball = readdirSync(target).find((name) => name.startsWith('flagon-') && name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack left no flagon-*.tgz in ${target}`);
    return join(target, tarball);
  })();
  return memo;
}
