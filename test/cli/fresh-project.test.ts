/**
 * A Flask developer's first minute (issue 14): `npm init -y`, `npm install flagon`, save the README's hello app, `npx
 * flagon run`. The packed package is installed once into a scratch project; sibling projects of each package type
 * share its node_modules through a link. Every server is started by `npx`, bound to port 0, and stopped by its
 * process group.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRaw } from '../helpers/http.js';
import { packFlagon, ROOT } from '../helpers/packed.js';

const exec = promisify(execFile);

/** The README's hello snippet, without its last line (`await serve(…)`), as the README says to save it as app.ts. */
function readmeHello(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .find((code) => code.includes("'Hello, World!'"));
  if (block === undefined) throw new Error('README.md has no ```ts block with the hello app');
  const lines = block.trimEnd().split('\n');
  expect(lines.at(-1)).toMatch(/^await serve\(/);
  return `${lines.slice(0, -1).join('\n')}\n`;
}

/** The same app written as CommonJS, with a TypeScript-only cast so that `.cts` really goes through TypeScript. */
const COMMONJS_HELLO = (
  typed: boolean,
) => `const { App } = require('flagon')${typed ? " as typeof import('flagon')" : ''};
const { pathToFileURL } = require('node:url');
const app = new App(pathToFileURL(__filename).href);
app.get('/', () => 'Hello, World!');
app.get('/users/<int:id>', (req${typed ? ': { params: { id: number } }' : ''}) => ({ id: req.params.id }));
module.exports = app;
`;

// The environment a developer's shell has: no FLAGON_* variables from this process (FLAGON_APP would win over
// .flagonenv), no colour codes in the banner.
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
for (const key of Object.keys(env)) if (key.startsWith('FLAGON_')) delete env[key];

interface Served {
  url: string;
  output(): string;
  /** Resolves when the output (stdout and stderr) has printed text matching `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
  stop(): Promise<void>;
}

/** `npx flagon <args>` in `cwd`, resolved once it prints ` * Running on http://127.0.0.1:PORT`. */
function serveWith(cwd: string, args: string[]): Promise<Served> {
  // Its own process group: npx runs flagon as a child, and the reloader forks workers; one signal reaches them all.
  const child = spawn('npx', ['--no-install', 'flagon', ...args], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiting = new Set<() => void>();
  const waitFor = (pattern: RegExp): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`flagon never printed ${pattern}:\n${output}`)), 15_000);
      const check = (): void => {
        if (!pattern.test(output)) return;
        waiting.delete(check);
        clearTimeout(timer);
        resolve();
      };
      waiting.add(check);
      check();
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.kill(-child.pid!, 'SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => void stop().then(() => reject(new Error(`no banner from flagon ${args.join(' ')} in ${cwd}:\n${output}`))),
      30_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = / \* Running on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, output: () => output, waitFor, stop });
      }
      for (const check of waiting) check();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const check of waiting) check();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`flagon ${args.join(' ')} exited (${code}) in ${cwd} before its banner:\n${output}`));
    });
  });
}

/** `npx flagon <args>` to completion (routes, shell, or a run that must fail). */
async function flagon(
  cwd: string,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'npx',
      ['--no-install', 'flagon', ...args],
      { cwd, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
      },
    );
    child.stdin!.end(input);
  });
}

/** Serves `args` in `cwd`, checks the hello app's two routes over HTTP, and stops the server. */
async function expectHello(cwd: string, args: string[]): Promise<void> {
  const served = await serveWith(cwd, args);
  try {
    const hello = await fetchRaw(`${served.url}/`);
    expect(hello.status, served.output()).toBe(200);
    expect(hello.text).toBe('Hello, World!');
    expect(JSON.parse((await fetchRaw(`${served.url}/users/7`)).text)).toEqual({ id: 7 });
  } finally {
    await served.stop();
  }
}

const EXTENSIONS = ['ts', 'mts', 'js', 'mjs', 'cts', 'cjs'] as const;
const PROJECTS = { commonjs: 'commonjs', untyped: undefined, module: 'module', bare: null } as const;
type Project = keyof typeof PROJECTS;
let scratch = '';
const dir = (project: Project | 'dotenv'): string => join(scratch, project);

beforeAll(async () => {
  const tarball = await packFlagon();
  scratch = mkdtempSync(join(tmpdir(), 'flagon-fresh-'));
  const hello = readmeHello();
  await Promise.all(
    [...Object.keys(PROJECTS), 'dotenv'].map(async (name) => {
      mkdirSync(join(scratch, name));
      // 'bare' has no package.json at all; the others are what `npm init -y` writes, with `type` set for each case.
      if (name !== 'bare') await exec('npm', ['init', '-y'], { cwd: join(scratch, name), env });
    }),
  );
  for (const [name, type] of Object.entries(PROJECTS)) {
    const manifestFile = join(scratch, name, 'package.json');
    if (type === null) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { type?: string };
    if (type === undefined) delete manifest.type;
    else manifest.type = type;
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  }
  await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: dir('commonjs'), env });
  for (const name of ['untyped', 'module', 'bare', 'dotenv'])
    symlinkSync(join(dir('commonjs'), 'node_modules'), join(scratch, name, 'node_modules'), 'dir');
  for (const name of Object.keys(PROJECTS)) {
    writeFileSync(join(scratch, name, 'app.ts'), hello);
    for (const extension of EXTENSIONS) {
      const commonJs = extension === 'cts' || extension === 'cjs';
      writeFileSync(join(scratch, name, `hello.${extension}`), commonJs ? COMMONJS_HELLO(extension === 'cts') : hello);
    }
  }
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the README hello app in a fresh project', () => {
  it('is exported, so that saving it as app.ts is enough', () => {
    expect(readmeHello()).toMatch(/^export const app = new App\(import\.meta\.url\);$/m);
  });

  // Every extension where npm's default (commonjs) used to fail and where `type` is module; the others where they
  // could differ from those two (Node's own syntax detection in an untyped package, no package.json at all).
  const cases: Record<Project, readonly (typeof EXTENSIONS)[number][]> = {
    commonjs: EXTENSIONS,
    module: ['ts', 'js', 'mjs', 'cjs'],
    untyped: ['ts', 'js', 'cts'],
    bare: ['ts', 'js', 'cjs'],
  };
  for (const project of Object.keys(PROJECTS) as Project[]) {
    it(`is served by npx flagon run from ${cases[project].map((extension) => `.${extension}`).join(', ')} in a ${project} project`, async () => {
      // Three at a time: each start is a node process with tsx, and the suite runs on two cores.
      for (let i = 0; i < cases[project].length; i += 3) {
        await Promise.all(
          cases[project]
            .slice(i, i + 3)
            .map((extension) => expectHello(dir(project), ['run', '--port', '0', '--app', `hello.${extension}`])),
        );
      }
    }, 60_000);
  }

  it('is found as app.ts and served by the reloader in debug mode', async () => {
    await expectHello(dir('module'), ['run', '--debug', '--port', '0']);
  }, 30_000);

  it('is listed by flagon routes and loaded by flagon shell, the CommonJS one sharing Flagon with the CLI', async () => {
    const [routes, shell, commonJsShell] = await Promise.all([
      flagon(dir('commonjs'), ['routes']),
      flagon(dir('commonjs'), ['shell'], 'currentApp.name\n.exit\n'),
      flagon(dir('commonjs'), ['shell', '--app', 'hello.cts'], 'currentApp.name\n.exit\n'),
    ]);
    expect(routes.stderr).toBe('');
    expect(routes.stdout).toMatch(/^users_id +GET +\/users\/<int:id>$/m);
    // currentApp is the CLI's own proxy: it sees the app only if the app's `flagon` is the very same module.
    expect(shell.stdout).toContain(`'${basename(dir('commonjs'))}'`);
    expect(commonJsShell.stdout).toContain(`'${basename(dir('commonjs'))}'`);
  }, 60_000);

  it('names the fix when a file mixes the module systems', async () => {
    writeFileSync(join(dir('module'), 'legacy.ts'), COMMONJS_HELLO(false));
    writeFileSync(join(dir('commonjs'), 'meta.cts'), readmeHello());
    const [legacy, meta] = await Promise.all([
      flagon(dir('module'), ['routes', '--app', 'legacy.ts']),
      flagon(dir('commonjs'), ['routes', '--app', 'meta.cts']),
    ]);
    expect(legacy.code).toBe(2);
    expect(legacy.stderr).toMatch(/uses CommonJS \('require'\).*"type": "module"\. Rename it to \S*legacy\.cts/);
    expect(meta.code).toBe(2);
    expect(meta.stderr).toMatch(/meta\.cts uses import\.meta.*Rename it to \S*meta\.ts/);
  }, 60_000);
});

describe('.flagonenv in the current folder', () => {
  it('can set FLAGON_APP, as FLASK_APP in .flaskenv; the reloader reloads the app it names on a change', async () => {
    mkdirSync(join(dir('dotenv'), 'web'));
    const server = join(dir('dotenv'), 'web', 'server.ts');
    writeFileSync(server, readmeHello());
    writeFileSync(join(dir('dotenv'), '.flagonenv'), 'FLAGON_APP=web/server.ts\n');
    await expectHello(dir('dotenv'), ['run', '--port', '0']);
    // The same project (npm init -y: commonjs) with the reloader: its workers load the app, and load it again.
    const served = await serveWith(dir('dotenv'), ['run', '--debug', '--port', '0']);
    try {
      expect((await fetchRaw(`${served.url}/`)).text).toBe('Hello, World!');
      writeFileSync(server, readmeHello().replace("'Hello, World!'", "'Hello again!'"));
      await served.waitFor(/ \* Reloaded in \d+ ms/);
      expect((await fetchRaw(`${served.url}/`)).text).toBe('Hello again!');
    } finally {
      await served.stop();
    }
  }, 30_000);
});

describe('the debug page of the installed package', () => {
  it("shows the source lines of Flagon's own frames (the package ships src/ beside dist/ and its maps)", async () => {
    writeFileSync(
      join(dir('commonjs'), 'broken.ts'),
      "import { App, urlFor } from 'flagon';\nexport const app = new App(import.meta.url);\napp.get('/', () => urlFor('nowhere'));\n",
    );
    const served = await serveWith(dir('commonjs'), ['run', '--debug', '--port', '0', '--app', 'broken.ts']);
    try {
      const page = await fetchRaw(`${served.url}/`);
      expect(page.status).toBe(500);
      const frame = /(\/node_modules\/flagon\/src\/[\w/-]+\.ts):(\d+):\d+/.exec(page.text);
      expect(frame, page.text.slice(0, 2000)).not.toBeNull();
      const installed = join(dir('commonjs'), frame![1]!.slice(1));
      const line = readFileSync(installed, 'utf8').split('\n')[Number(frame![2]) - 1]!.trim();
      expect(line.length).toBeGreaterThan(5);
      expect(page.text).toContain(escapeHtml(line));
    } finally {
      await served.stop();
    }
  }, 30_000);
});

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
