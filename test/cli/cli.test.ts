/** The `flagon` command: finding the app, .env files, option merging, `routes`, `shell`, and `run --no-reload`. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSettings } from '../../src/cli/run.js';
import { locateApp, readDotenv } from '../../src/dev/app-loader.js';
import { fetchRaw, freePort } from '../helpers/http.js';
import { CLI, makeProject, startCli } from '../helpers/dev-server.js';

const APP = `import { App, Blueprint } from 'flagon';
export function createApp() {
  const app = new App(import.meta.url, { name: 'cli-app', config: { GREETING: process.env.GREETING ?? 'unset' } });
  app.get('/', () => String(app.config.GREETING));
  app.route('/items/<int:id>', { methods: ['GET', 'PUT', 'DELETE'] }, (req) => ({ id: req.params.id }));
  const admin = new Blueprint('admin', import.meta.url, { urlPrefix: '/admin' });
  admin.post('/reset', function reset() { return 'reset'; });
  app.registerBlueprint(admin);
  return app;
}
`;

const project = makeProject({
  'src/app.ts': APP,
  'broken-import.ts':
    "import './not-here.ts';\nimport { App } from 'flagon';\nexport const app = new App(import.meta.url);\n",
  'notes.txt': 'not a module\n',
  'syntax.mjs': "import { App } from 'flagon';\nexport const app = new App(import.meta.url);\nconst x = ;\n",
  'proxies.ts':
    "import { App } from 'flagon';\nexport { currentApp, g, request, session } from 'flagon';\nexport function createApp() { return new App(import.meta.url, { name: 'beside-proxies' }); }\n",
  'default-factory.ts':
    "import { App } from 'flagon';\nexport default function build() { return new App(import.meta.url, { name: 'from-default' }); }\n",
  'factory-args.ts':
    "import { App } from 'flagon';\nexport const createApp = (...args: unknown[]) => {\n  const app = new App(import.meta.url);\n  app.get('/', { endpoint: 'args ' + JSON.stringify(args) }, () => 'x');\n  return app;\n};\n",
  '.env': 'GREETING=from-dotenv\nFLAGON_RUN_PORT=0\n',
  '.flagonenv': 'GREETING=from-flagonenv\nOTHER=kept\n',
  'config/prod.env': 'GREETING=from-prod\n',
});
afterAll(() => project.remove());
const flagon = (args: string[], input?: string) =>
  spawnSync(process.execPath, [CLI, ...args], {
    cwd: project.dir,
    input,
    encoding: 'utf8',
    env: { ...process.env, FLAGON_APP: '' },
    timeout: 20_000,
  });

describe('finding the app', () => {
  it('takes --app, then FLAGON_APP, then app.ts, src/app.ts, app.js, src/app.js', () => {
    expect(locateApp(undefined, project.dir, {})).toEqual({ file: join(project.dir, 'src/app.ts'), name: null });
    expect(locateApp('src/app', project.dir, {})).toEqual({ file: join(project.dir, 'src/app.ts'), name: null });
    expect(locateApp('src', project.dir, {})).toEqual({ file: join(project.dir, 'src/app.ts'), name: null });
    expect(locateApp(undefined, project.dir, { FLAGON_APP: 'src/app.ts:createApp()' })).toEqual({
      file: join(project.dir, 'src/app.ts'),
      name: 'createApp()',
    });
    expect(locateApp('src/app.ts:api', project.dir, { FLAGON_APP: 'elsewhere.ts' }).name).toBe('api');
  });

  it('names the fix when there is nothing to find', () => {
    expect(() => locateApp(undefined, join(project.dir, 'node_modules'), {})).toThrow(
      /--app PATH\[:NAME\], set FLAGON_APP, or create app\.ts/,
    );
    expect(() => locateApp('nope.ts', project.dir, {})).toThrow(/Could not find the app 'nope\.ts'/);
  });

  it("answers an app that cannot load with one error and its own code's frames, exit 2, never a crash", () => {
    // An import failing inside the app's module died uncaught: Node's internal stack, a 1.5 kB data: URL, exit 1.
    const broken = flagon(['routes', '--app', 'broken-import.ts']);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(
      /^Error: While importing '.*broken-import\.ts', an error was raised: Error: Cannot find module/,
    );
    expect(broken.stderr).not.toMatch(/node:internal|data:/);
    // A syntax error keeps its place: the file, the line and the caret (only the error's name and message came out).
    const syntax = flagon(['routes', '--app', 'syntax.mjs']);
    expect(syntax.status).toBe(2);
    expect(syntax.stderr).toMatch(/syntax\.mjs:3\nconst x = ;\n +\^\n+SyntaxError: Unexpected token ';'/);
    // Flagon's proxies re-exported beside a factory (reading them outside a request threw), a default factory.
    expect(flagon(['routes', '--app', 'proxies.ts']).status).toBe(0);
    expect(flagon(['routes', '--app', 'default-factory.ts']).status).toBe(0);
    // A file that is no module (it was required as CommonJS: a SyntaxError and a stack).
    const text = flagon(['routes', '--app', 'notes.txt']);
    expect([text.status, text.stderr]).toEqual([
      2,
      "Error: 'notes.txt' is not a JavaScript or TypeScript module (.ts, .mts, .cts, .js, .mjs, .cjs): pass the app's module with --app PATH[:NAME].\n",
    ]);
    // Factory arguments, as Flask's: literals only; anything else is refused, saying what it takes.
    const args = flagon(['routes', '--app', 'factory-args.ts:createApp(\'a\', 2, None, {"x": [true]}, )']);
    expect([args.status, args.stderr]).toEqual([0, '']);
    expect(args.stdout).toContain("args ['a',2,null,{'x':[true]}]".replace(/'/g, '"'));
    const code = flagon(['routes', '--app', 'factory-args.ts:createApp(process.env)']);
    expect([code.status, code.stderr]).toEqual([
      2,
      `Error: 'factory-args.ts:createApp(process.env)': the arguments of createApp(process.env) are not literals: give strings, numbers, true, false, null, or JSON arrays and objects, as in createApp('dev', 2).\n`,
    ]);
    const notCallable = flagon(['routes', '--app', 'proxies.ts:currentApp("x")']);
    expect(notCallable.status).toBe(2);
    expect(notCallable.stderr).toMatch(
      /'currentApp' in '.*proxies\.ts' is not a function, so it cannot be called as currentApp\("x"\)\.\n$/,
    );
  });

  it('reads .flagonenv then .env, and the environment wins over both', () => {
    const { values, files } = readDotenv(join(project.dir, 'src/app.ts'), {
      GREETING: undefined,
      FLAGON_RUN_PORT: '9999',
    });
    expect(values).toEqual({ GREETING: 'from-dotenv', OTHER: 'kept' });
    expect(files).toEqual([join(project.dir, '.flagonenv'), join(project.dir, '.env')]);
  });

  it("reads FLAGON_ENV_FILE over .env and .flagonenv, and FLAGON_SKIP_DOTENV skips only those two (flask's)", () => {
    const app = join(project.dir, 'src/app.ts');
    const prod = join(project.dir, 'config/prod.env');
    const named = readDotenv(app, { FLAGON_ENV_FILE: 'config/prod.env' }, project.dir);
    expect(named.values).toEqual({ GREETING: 'from-prod', OTHER: 'kept', FLAGON_RUN_PORT: '0' });
    expect(named.files).toEqual([prod, join(project.dir, '.flagonenv'), join(project.dir, '.env')]);
    // The environment still wins over the named file.
    expect(readDotenv(app, { FLAGON_ENV_FILE: prod, GREETING: 'set' }, project.dir).values.GREETING).toBeUndefined();
    const skipped = readDotenv(app, { FLAGON_ENV_FILE: prod, FLAGON_SKIP_DOTENV: '1' }, project.dir);
    expect(skipped).toEqual({ values: { GREETING: 'from-prod' }, files: [prod] });
    expect(readDotenv(app, { FLAGON_SKIP_DOTENV: 'true' }, project.dir)).toEqual({ values: {}, files: [] });
    for (const no of ['0', 'false', 'No', '']) {
      expect(readDotenv(app, { FLAGON_SKIP_DOTENV: no }, project.dir).files, no).toHaveLength(2);
    }
    // A named file that is not there loads nothing (load_dotenv's answer); the command refuses it (below).
    expect(readDotenv(null, { FLAGON_ENV_FILE: 'nope.env', FLAGON_SKIP_DOTENV: '1' }, project.dir).files).toEqual([]);
  });

  it('takes -e/--env-file FILE before the command, or FLAGON_ENV_FILE, and refuses a file that is not there', () => {
    const greeting = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [CLI, ...args, 'shell'], {
        cwd: project.dir,
        input: 'currentApp.config.GREETING\n.exit\n',
        encoding: 'utf8',
        env: { ...process.env, FLAGON_APP: '', ...env },
        timeout: 20_000,
      }).stdout;
    expect(greeting([])).toContain("'from-dotenv'");
    expect(greeting(['-e', 'config/prod.env'])).toContain("'from-prod'");
    expect(greeting(['--env-file=config/prod.env', '--app', 'src/app.ts'])).toContain("'from-prod'");
    expect(greeting([], { FLAGON_ENV_FILE: 'config/prod.env' })).toContain("'from-prod'");
    expect(greeting([], { FLAGON_SKIP_DOTENV: '1' })).toContain("'unset'");
    const missing = flagon(['-e', 'config/missing.env', 'routes']);
    expect([missing.status, missing.stderr]).toEqual([
      2,
      "Error: --env-file: 'config/missing.env' is not a file (give the path of a file of KEY=value lines)\n",
    ]);
    // With the long form, Node 20 and 24 refuse the missing file themselves (they look for --env-file even after the
    // script, nodejs/node#54232, without loading it there): exit 9 and 'node: FILE: not found', before Flagon runs.
    const long = flagon(['--env-file', 'config/missing.env', 'routes']);
    expect(long.status).not.toBe(0);
    expect(long.stderr).toContain('config/missing.env');
    const fromEnv = spawnSync(process.execPath, [CLI, 'routes'], {
      cwd: project.dir,
      encoding: 'utf8',
      env: { ...process.env, FLAGON_APP: '', FLAGON_ENV_FILE: 'config' },
    });
    expect([fromEnv.status, fromEnv.stderr]).toEqual([
      2,
      "Error: FLAGON_ENV_FILE: 'config' is not a file (give the path of a file of KEY=value lines)\n",
    ]);
  });
});

describe('runSettings', () => {
  it('merges options over FLAGON_* variables over defaults, with the reloader following debug', () => {
    const base = runSettings({}, project.dir, {});
    expect(base).toMatchObject({ host: '127.0.0.1', port: 0, debug: false, reload: false }); // port 0 from .env
    expect(
      runSettings({}, project.dir, { FLAGON_DEBUG: '1', FLAGON_RUN_HOST: '::1', FLAGON_RUN_PORT: '8001' }),
    ).toMatchObject({ host: '::1', port: 8001, debug: true, reload: true });
    expect(
      runSettings({ debug: true, 'no-reload': true, port: '7000' }, project.dir, { FLAGON_RUN_PORT: '8001' }),
    ).toMatchObject({ port: 7000, debug: true, reload: false });
    expect(
      runSettings({ 'extra-files': ['a.json:b.json'], 'exclude-patterns': ['*.db'] }, project.dir, {}),
    ).toMatchObject({ extraFiles: ['a.json', 'b.json'], excludePatterns: ['*.db'] });
    expect(() => runSettings({ port: 'eighty' }, project.dir, {})).toThrow(/--port must be a number from 0 to 65535/);
  });
});

describe('flagon routes', () => {
  it('lists endpoint, methods and rule, sorted by endpoint, without HEAD and OPTIONS', () => {
    const result = flagon(['routes']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        'Endpoint     Methods           Rule',
        '-----------  ----------------  ---------------',
        'admin.reset  POST              /admin/reset',
        'index        GET               /',
        'items_id     DELETE, GET, PUT  /items/<int:id>',
        '',
      ].join('\n'),
    );
  });

  it('sorts by rule, and shows HEAD and OPTIONS with --all-methods', () => {
    const byRule = flagon(['routes', '--sort', 'rule', '--all-methods']).stdout.split('\n').slice(2, -1);
    expect(byRule.map((line) => line.split(/\s{2,}/).at(-1))).toEqual(['/', '/admin/reset', '/items/<int:id>']);
    expect(byRule[0]).toMatch(/GET, HEAD, OPTIONS/);
    expect(flagon(['routes', '--sort', 'size']).stderr).toMatch(/--sort takes endpoint, methods or rule/);
  });
});

describe('flagon shell', () => {
  it('evaluates with the app loaded and its context pushed', () => {
    const result = flagon(['shell'], 'app.name\ncurrentApp.config.GREETING\n.exit\n');
    expect(result.stdout).toMatch(/App: cli-app/);
    expect(result.stdout).toContain("'cli-app'");
    expect(result.stdout).toContain("'from-dotenv'");
    expect(result.status).toBe(0);
  });
});

describe('flagon run', () => {
  it('exits with a message that names the fix when the app is missing or an option is wrong', () => {
    const missing = flagon(['run', '--app', 'missing.ts']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^Error: Could not find the app 'missing\.ts'.*--app PATH\[:NAME\]/);
    expect(flagon(['run', '--colour']).stderr).toMatch(/Unknown option '--colour'/);
    expect(flagon(['deploy']).stderr).toMatch(/no such command 'deploy'/);
  });

  it('says the port is taken, with and without the reloader, and exits 2', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as { port: number }).port);
    try {
      for (const args of [['--debug'], ['--no-reload']]) {
        const result = flagon(['run', '--port', port, ...args]);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(new RegExp(`${port}.*in use.*pass another --port`));
      }
    } finally {
      blocker.close();
    }
  });

  it('serves a factory app in one process with --no-reload, with .env applied', async () => {
    const cli = await startCli(project.dir, ['run', '--no-reload']);
    try {
      expect(cli.stdout()).toMatch(/ \* Serving Flagon app 'cli-app'\n \* Debug mode: off\n/);
      expect(cli.stdout()).not.toContain('Restarting');
      expect((await fetchRaw(`${cli.url}/`)).text).toBe('from-dotenv');
    } finally {
      await cli.stop();
    }
  });

  it('warns a second time when bound beyond loopback', async () => {
    const cli = await startCli(project.dir, ['run', '--no-reload', '--host', '0.0.0.0']);
    try {
      expect(cli.stdout()).toMatch(/WARNING: Listening on 0\.0\.0\.0, beyond this machine/);
      expect(cli.stdout()).toContain(' * Running on all addresses (0.0.0.0)');
    } finally {
      await cli.stop();
    }
  });
});

describe("a module that calls serve() itself, as the README's first example", () => {
  it.each([
    ['with the reloader', ['--debug']],
    ['in one process', ['--no-reload']],
  ])('is served by the command on that port, %s, and its serve() is ignored with a note', async (_mode, flags) => {
    const port = await freePort();
    const scripted = makeProject({
      'app.ts': `import { App } from 'flagon';\nimport { serve } from 'flagon/serving';\nexport const app = new App(import.meta.url);\napp.get('/', () => 'Hello, World!');\nawait serve(app.gatewayApp, { port: ${port} });\n`,
    });
    try {
      // Before, the app module's serve() found the command's port taken: EADDRINUSE, and the dev server exited.
      const cli = await startCli(scripted.dir, ['run', '--port', String(port), ...flags]);
      try {
        expect((await fetchRaw(`${cli.url}/`)).text).toBe('Hello, World!');
        expect(cli.stderr()).toContain(`Ignoring serve() on port ${port} in the app module`);
      } finally {
        await cli.stop();
      }
    } finally {
      scripted.remove();
    }
  });
});

describe('a module that calls serve() itself, under the commands that only load the app', () => {
  it('flagon routes, an app command and the --help listing ignore it, on a port in use or not', async () => {
    // Before, `flagon routes` beside a running `flagon run` failed: the module's serve() found port 5000 taken.
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const scripted = makeProject({
      'app.ts': `import { App } from 'flagon';\nimport { serve } from 'flagon/serving';\nexport const app = new App(import.meta.url);\napp.get('/', () => 'Hello');\napp.cli.command('hello', () => console.log('hi'));\nawait serve(app.gatewayApp, { port: ${taken} });\n`,
    });
    const inProject = (args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args], {
        cwd: scripted.dir,
        encoding: 'utf8',
        env: { ...process.env, FLAGON_APP: '' },
        timeout: 20_000,
      });
    try {
      const routes = inProject(['routes']);
      expect([routes.status, routes.stdout]).toEqual([0, expect.stringContaining('index     GET      /')]);
      expect(routes.stderr).toBe(
        ` * Ignoring serve() on port ${taken} in the app module: this flagon command loads the app without serving it. Keep serve() for a script you start with node or tsx.\n`,
      );
      expect(inProject(['hello'])).toMatchObject({ status: 0, stdout: 'hi\n' });
      expect(inProject(['--help'])).toMatchObject({ status: 0, stdout: expect.stringContaining('hello') });
    } finally {
      blocker.close();
      scripted.remove();
    }
  });
});

describe('a module that calls app.run() itself', () => {
  it('is served by the command, and its app.run() call is ignored with a note', async () => {
    const scripted = makeProject({
      'server.ts':
        "import { App } from 'flagon';\nexport const app = new App(import.meta.url, { name: 'scripted' });\napp.get('/', () => 'served once');\nawait app.run({ port: 5999, debug: true });\n",
    });
    try {
      const cli = await startCli(scripted.dir, ['run', '--app', 'server.ts', '--port', '0', '--debug']);
      try {
        expect((await fetchRaw(`${cli.url}/`)).text).toBe('served once');
        expect(cli.stderr()).toContain("Ignoring a call to 'app.run()'");
      } finally {
        await cli.stop();
      }
    } finally {
      scripted.remove();
    }
  });
});
