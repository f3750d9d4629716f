/**
 * `npm create flagon@latest`, end to end: create-flagon packed as it is published, run as npm runs it, writing each
 * template against the framework packed from this checkout; then each project's own `npm install`, `npm test`,
 * `npm run typecheck`, `npm run dev` over real HTTP and, for the full template, `npx flagon init-db`, a register and
 * login round through the forms, and `npm start`; for the api template, a note created and the docs page with its
 * assets over HTTP.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFlagon, ROOT } from '../helpers/packed.js';
import { run, startServer } from './processes.js';

const CREATE_APP = join(ROOT, 'create-app');
const work = mkdtempSync(join(tmpdir(), 'create-flagon-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let flagonTarball = '';
let createTarball = '';
/** create-flagon's bin, unpacked from the tarball: for the quick checks of its command line. */
let bin = '';

/** Runs the unpacked bin as `node index.js …` (no TTY: stdin is not a terminal under execFile). */
const createFlagon = (args: string[], cwd = work) => run(process.execPath, [bin, ...args], cwd);

beforeAll(async () => {
  const packed = join(work, 'packed');
  mkdirSync(packed);
  const [flagon, { stdout }] = await Promise.all([
    packFlagon(),
    run('npm', ['pack', '--silent', '--pack-destination', packed], CREATE_APP),
  ]);
  flagonTarball = flagon;
  createTarball = join(packed, stdout.trim().split('\n').pop()!);
  await run('tar', ['-xzf', createTarball, '-C', packed], packed);
  bin = join(packed, 'package', 'index.js');
}, 120_000);

describe('the create-flagon package', () => {
  it('ships its templates, with .gitignore as _gitignore (npm drops .gitignore files)', () => {
    const templates = join(work, 'packed', 'package', 'templates');
    expect(readdirSync(templates).sort()).toEqual(['api', 'full', 'minimal']);
    for (const template of ['api', 'full', 'minimal']) {
      expect(existsSync(join(templates, template, '_gitignore'))).toBe(true);
      expect(existsSync(join(templates, template, 'package.json'))).toBe(true);
    }
  });

  it('has the version of the framework it writes projects for', () => {
    const own = JSON.parse(readFileSync(join(CREATE_APP, 'package.json'), 'utf8')) as { version: string };
    const flagon = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(own.version).toBe(flagon.version);
  });

  it('asks for nothing without a terminal: a missing folder or template is an error naming the flag', async () => {
    await expect(createFlagon(['--template', 'minimal'])).rejects.toThrow(
      "missing the project folder: put it first, as in 'create-flagon my-app --template minimal'",
    );
    await expect(createFlagon(['app-x'])).rejects.toThrow(
      'missing --template: pass --template minimal or --template full or --template api',
    );
    await expect(createFlagon(['app-x', '--template', 'huge'])).rejects.toThrow("no template 'huge'");
    await expect(createFlagon(['app-x', '--template', 'minimal', '--colour'])).rejects.toThrow(
      "Unknown option '--colour'",
    );
    expect(existsSync(join(work, 'app-x'))).toBe(false);
  });

  it('refuses a folder that is not empty unless --yes, and then keeps the files it does not replace', async () => {
    const target = join(work, 'busy');
    mkdirSync(target);
    writeFileSync(join(target, 'notes.txt'), 'mine');
    writeFileSync(join(target, 'app.ts'), 'old');
    await expect(createFlagon([target, '--template', 'minimal', '--no-install'])).rejects.toThrow(
      'is not empty: pick a new folder, or pass --yes',
    );
    expect(readFileSync(join(target, 'app.ts'), 'utf8')).toBe('old');
    await createFlagon([target, '--template', 'minimal', '--no-install', '--yes']);
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(target, 'app.ts'), 'utf8')).toContain('new App(import.meta.url)');
  });

  it('writes the matching published flagon by default, names the package after the folder, and prints the next steps', async () => {
    const { stdout } = await createFlagon(['My Blog', '--template', 'full', '--no-install']);
    const pkg = JSON.parse(readFileSync(join(work, 'My Blog', 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    expect(pkg.name).toBe('my-blog');
    expect(pkg.dependencies!.flagon).toBe(`^${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}`);
    expect(existsSync(join(work, 'My Blog', '.gitignore'))).toBe(true);
    expect(existsSync(join(work, 'My Blog', '_gitignore'))).toBe(false);
    expect(stdout).toContain('  cd "My Blog"\n  npm install\n  npx flagon init-db\n  npm run dev');
    expect(stdout).toContain('  npm test\n');
  });
});

/** Sends a form as a browser does, with the cookie jar's session; answers the response without following redirects. */
async function submit(url: string, jar: Map<string, string>, form: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: cookieHeader(jar), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  keepCookies(jar, response);
  return response;
}

async function page(
  url: string,
  jar: Map<string, string>,
): Promise<{ status: number; text: string; token: string | undefined }> {
  const response = await fetch(url, { headers: { Cookie: cookieHeader(jar) }, redirect: 'manual' });
  keepCookies(jar, response);
  const text = await response.text();
  return { status: response.status, text, token: /name="csrf_token" value="([^"]+)"/.exec(text)?.[1] };
}

const cookieHeader = (jar: Map<string, string>): string =>
  [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

function keepCookies(jar: Map<string, string>, response: Response): void {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    const at = pair!.indexOf('=');
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
}

describe('the generated projects', () => {
  const minimal = join(work, 'hello');
  const full = join(work, 'blog');
  const api = join(work, 'notes-api');

  beforeAll(async () => {
    const create = (target: string, template: string, extra: string[]) =>
      run(
        'npm',
        [
          'exec',
          '--yes',
          '--package',
          createTarball,
          '--',
          'create-flagon',
          target,
          '--template',
          template,
          '--flagon',
          `file:${flagonTarball}`,
          ...extra,
        ],
        work,
      );
    // The full project is installed by create-flagon itself (npm reads these settings from the environment); the
    // minimal and api ones with --no-install, then by hand as the printed steps say. All at once: each mostly waits
    // on npm.
    const install = (project: string) =>
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], project);
    await Promise.all([
      create(full, 'full', []).then(({ stdout }) => expect(stdout).toContain('npx flagon init-db')),
      create(minimal, 'minimal', ['--no-install']).then(() => install(minimal)),
      create(api, 'api', ['--no-install']).then(() => install(api)),
    ]);
  }, 300_000);

  it('are ES modules whose dev script passes arguments on to flagon run --debug', () => {
    for (const project of [minimal, full, api]) {
      const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
        type: string;
        scripts: Record<string, string>;
        dependencies: Record<string, string>;
      };
      expect(pkg.type).toBe('module');
      expect(pkg.scripts.dev).toBe('flagon run --debug');
      expect(pkg.dependencies.flagon).toBe(`file:${flagonTarball}`);
      expect(readFileSync(join(project, 'tsconfig.json'), 'utf8')).not.toMatch(/"experimentalDecorators"/);
    }
  });

  it('minimal: npm test passes (its app has a decorated route), and it type-checks', async () => {
    const { stdout } = await run('npm', ['test'], minimal);
    expect(stdout).toMatch(/Tests\s+4 passed/);
    await run('npm', ['run', 'typecheck'], minimal);
  }, 60_000);

  it('minimal: npm run dev -- --port 0 serves it over HTTP', async () => {
    const server = await startServer('npm', ['run', 'dev', '--', '--port', '0'], minimal);
    try {
      expect(server.output()).toContain('Debug mode: on');
      const response = await fetch(`${server.url}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<h1>Hello from Flagon!</h1>');
      expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok' });
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('minimal: npm start on a port in use says so and how to pick another, without a stack', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((holder.address() as AddressInfo).port);
      const failure = await run('npm', ['start'], minimal, { PORT: port }).catch((error: Error) => error.message);
      expect(failure).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(failure).toContain('npm start listens where HOST and PORT say, e.g. PORT=8080 npm start');
      // It was node's report of an uncaught rejection: a caret under server.ts's line and node:net frames.
      expect(failure).not.toContain('node:net');
    } finally {
      holder.close();
    }
  }, 60_000);

  it('api: npm test passes (the routes, the 422 problem details, the OpenAPI document), and it type-checks', async () => {
    const { stdout } = await run('npm', ['test'], api);
    expect(stdout).toMatch(/Tests\s+11 passed/);
    await run('npm', ['run', 'typecheck'], api);
  }, 60_000);

  it('api: npm run dev -- --port 0 serves the API, /openapi.json and the docs page with its assets', async () => {
    const server = await startServer('npm', ['run', 'dev', '--', '--port', '0'], api);
    try {
      const created = await fetch(`${server.url}/notes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'Over HTTP', secret: 'dropped' }),
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('Location')).toBe('/notes/1');
      expect(await created.json()).toMatchObject({ id: 1, title: 'Over HTTP', body: '', tags: [] });
      const invalid = await fetch(`${server.url}/notes?page=0`);
      expect(invalid.status).toBe(422);
      expect(invalid.headers.get('Content-Type')).toBe('application/problem+json');
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths).sort()).toEqual(['/notes', '/notes/{id}']);
      const page = await fetch(`${server.url}/docs`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const assets = [...html.matchAll(/(?:src|href)="([^"]*\/assets\/[^"]+)"/g)].map((match) => match[1]!);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) {
        expect((await fetch(new URL(asset, `${server.url}/docs`))).status, asset).toBe(200);
      }
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('full: npm test passes (blueprints with decorators, CSRF, sessions, the database, init-db), and it type-checks', async () => {
    const { stdout } = await run('npm', ['test'], full);
    expect(stdout).toMatch(/Test Files\s+3 passed/);
    await run('npm', ['run', 'typecheck'], full);
  }, 90_000);

  it('full: npx flagon init-db, then register and log in over HTTP on npm run dev', async () => {
    const { stdout } = await run('npx', ['flagon', 'init-db'], full);
    expect(stdout).toContain(`Initialized the database in ${join(full, 'instance', 'blog.sqlite')}`);
    const server = await startServer('npm', ['run', 'dev', '--', '--port', '0'], full);
    try {
      const jar = new Map<string, string>();
      const home = await page(`${server.url}/`, jar);
      expect(home.status).toBe(200);
      expect(home.text).toContain('No posts yet.');

      const register = await page(`${server.url}/auth/register`, jar);
      expect((await submit(`${server.url}/auth/register`, jar, { username: 'ada', password: 'secret' })).status).toBe(
        400,
      ); // no CSRF token
      const registered = await submit(`${server.url}/auth/register`, jar, {
        csrf_token: register.token!,
        username: 'ada',
        password: 'secret',
      });
      expect(registered.headers.get('Location')).toBe('/auth/login');

      const login = await page(`${server.url}/auth/login`, jar);
      const loggedIn = await submit(`${server.url}/auth/login`, jar, {
        csrf_token: login.token!,
        username: 'ada',
        password: 'secret',
      });
      expect(loggedIn.headers.get('Location')).toBe('/');

      const create = await page(`${server.url}/create`, jar);
      await submit(`${server.url}/create`, jar, {
        csrf_token: create.token!,
        title: 'Hello <world>',
        body: 'First post.',
      });
      const after = await page(`${server.url}/`, jar);
      expect(after.text).toContain('<span>ada</span>');
      expect(after.text).toContain('<h1>Hello &lt;world&gt;</h1>');
      expect((await fetch(`${server.url}/static/style.css`)).headers.get('Content-Type')).toBe(
        'text/css; charset=utf-8',
      );
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('full: npm start refuses the development secret key, and serves once one is set', async () => {
    await expect(run('npm', ['start'], full, { PORT: '0' })).rejects.toThrow('FLAGON_SECRET_KEY is not set');
    const server = await startServer('npm', ['start'], full, {
      PORT: '0',
      FLAGON_SECRET_KEY: 'a-long-random-production-key',
    });
    try {
      expect(server.output()).toMatch(/^\n?> .*\n> node --import tsx server\.ts\n\nServing blog on http/);
      expect((await fetch(`${server.url}/`)).status).toBe(200);
      expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
