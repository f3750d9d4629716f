/**
 * `flagon run --debug` end to end, over real HTTP: a TypeScript app in a temp folder, the built CLI on port 0, edits
 * that reload, a syntax error that gives the explaining page and recovers, a crash that does not loop, and a request
 * loop that sees no failure through five reloads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRaw } from '../helpers/http.js';
import { makeProject, startCli, type RunningCli } from '../helpers/dev-server.js';

const view = (greeting: string): string => `import { App } from 'flagon';

export const app = new App(import.meta.url, { name: 'reload-demo' });

class Pages {
  @app.get('/')
  static index(): string {
    const greeting: string = ${JSON.stringify(greeting)};
    return greeting;
  }
}

app.get('/boom', () => {
  const detail: string = '<script>alert(1)</script>';
  throw new Error(\`broken \${detail}\`); // the line the debug page must show
});
`;

/** Polls until `path` answers `expected`; returns how long that took. */
async function until(cli: RunningCli, path: string, expected: string, timeoutMs = 10_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { text } = await fetchRaw(`${cli.url}${path}`);
    if (text === expected) return performance.now() - started;
    if (performance.now() - started > timeoutMs)
      throw new Error(
        `still '${text.slice(0, 200)}' after ${timeoutMs} ms; stdout:\n${cli.stdout()}\nstderr:\n${cli.stderr()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls GET / until it answers `status` (after a save, the reload takes a few tens of milliseconds). */
async function untilStatus(cli: RunningCli, status: number): Promise<Awaited<ReturnType<typeof fetchRaw>>> {
  let response = await fetchRaw(`${cli.url}/`);
  for (let i = 0; i < 400 && response.status !== status; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    response = await fetchRaw(`${cli.url}/`);
  }
  expect(response.status).toBe(status);
  return response;
}

describe('flagon run --debug (reloader, debug page)', () => {
  const project = makeProject({ 'app.ts': view('Hello, v1') });
  let cli: RunningCli;

  beforeAll(async () => {
    cli = await startCli(project.dir, ['run', '--debug', '--port', '0']);
  }, 30_000);
  afterAll(async () => {
    await cli?.stop();
    project.remove();
  });

  it("prints Flask's banner with the chosen port and serves the TypeScript app (decorators, no build step)", async () => {
    expect(cli.stdout()).toMatch(
      /^ \* Serving Flagon app 'reload-demo'\n \* Debug mode: on\nWARNING: This is a development server\. Do not use it in a production deployment\. Use a production TSGI server instead\.\n \* Running on http:\/\/127\.0\.0\.1:\d+\nPress CTRL\+C to quit\n/,
    );
    expect(cli.url).not.toMatch(/:0$/);
    const response = await fetchRaw(`${cli.url}/`);
    expect(response.status).toBe(200);
    expect(response.text).toBe('Hello, v1');
  });

  it("logs each request in Werkzeug's format", async () => {
    await fetchRaw(`${cli.url}/?q=1`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cli.stderr()).toMatch(
      /127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4} \d{2}:\d{2}:\d{2}\] "GET \/\?q=1 HTTP\/1\.1" 200 -\n/,
    );
  });

  it('reloads an edited view, and says so', async () => {
    project.write('app.ts', view('Hello, v2'));
    await until(cli, '/', 'Hello, v2');
    await cli.waitFor(/ \* Detected change in '.*app\.ts', reloading\n/);
  });

  it('shows the debug page with escaped message and the .ts source line, in debug mode', async () => {
    const response = await fetchRaw(`${cli.url}/boom`);
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('broken &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.text).not.toContain('<script>alert(1)</script>');
    expect(response.text).toMatch(/app\.ts:15:\d+/); // source-mapped: the TypeScript file and line
    expect(response.text).toContain('the line the debug page must show'); // the source line itself
    expect(response.text).toContain('GET'); // the request
    expect(response.text).toContain('REQUEST_URI'); // the environ
  });

  it('answers 400 to a Host that is not this machine (DNS rebinding)', async () => {
    const response = await fetchRaw(`${cli.url}/`, { headers: { Host: 'attacker.example:5000' } });
    expect(response.status).toBe(400);
    expect(response.text).toContain("the Host 'attacker.example:5000' is not this machine");
    expect((await fetchRaw(`${cli.url}/`, { headers: { Host: 'localhost:5000' } })).status).toBe(200);
  });

  it('serves a page explaining a syntax error, keeps running, and recovers on the next save', async () => {
    const reloads = (cli.stdout().match(/Reloaded in/g) ?? []).length;
    project.write('app.ts', view('Hello, v3').replace('return greeting;', 'return greeting;;)'));
    const response = await untilStatus(cli, 500);
    expect(response.text).toContain('The app failed to load');
    expect(response.text).toMatch(/app\.ts:9:\d+/);
    expect(response.text).toContain('return greeting;;)');
    expect(cli.process.exitCode).toBe(null);
    // The terminal says the reload failed, not "Reloaded in …" (which it said before).
    await cli.waitFor(/ \* The app failed to load \(its error is above\)/);
    expect((cli.stdout().match(/Reloaded in/g) ?? []).length).toBe(reloads);
    project.write('app.ts', view('Hello, v4'));
    await until(cli, '/', 'Hello, v4');
  });

  it('survives an app that kills its process at import: a page, no restart loop, recovery on save', async () => {
    project.write('app.ts', `${view('never')}\nprocess.exit(3);\n`);
    const response = await untilStatus(cli, 500);
    expect(response.text).toContain('exited');
    const reloads = (cli.stdout().match(/Reloaded in/g) ?? []).length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((cli.stdout().match(/Reloaded in/g) ?? []).length).toBe(reloads); // it waits for a change
    project.write('app.ts', view('Hello, v5'));
    await until(cli, '/', 'Hello, v5');
  });

  it('keeps every request of a steady loop answered through five reloads', async () => {
    let ok = 0;
    const failures: string[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        try {
          const response = await fetch(`${cli.url}/`); // keep-alive, as browsers and clients do
          if (response.status === 200) ok++;
          else failures.push(`status ${response.status}`);
          await response.text();
        } catch (error) {
          failures.push(String((error as { cause?: unknown }).cause ?? error));
        }
      }
    })();
    for (let i = 6; i <= 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 700)); // the next warm child gets ready
      project.write('app.ts', view(`Hello, v${i}`));
      await until(cli, '/', `Hello, v${i}`);
    }
    running = false;
    await loop;
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);
  }, 60_000);
});

describe('app.run({ debug: true }) from a script', () => {
  it('runs the script again in a child on each change, on the same port', async () => {
    const { pathToFileURL } = await import('node:url');
    const { join } = await import('node:path');
    const { spawn } = await import('node:child_process');
    const { REPO } = await import('../helpers/dev-server.js');
    const project = makeProject({
      'app.ts': view('from run(), v1'),
      'server.ts': "import { app } from './app.js';\nawait app.run({ port: 0, debug: true });\n",
    });
    const loader = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const child = spawn(process.execPath, ['--import', loader, 'server.ts'], {
      cwd: project.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    try {
      for (let i = 0; i < 300 && !/Running on (http\S+)/.test(out); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const url = /Running on (http\S+)/.exec(out)![1]!;
      expect(out).toMatch(/ \* Serving Flagon app 'reload-demo'\n \* Debug mode: on\n/);
      const cli = { url, stdout: () => out, stderr: () => '' } as RunningCli;
      await until(cli, '/', 'from run(), v1');
      project.write('app.ts', view('from run(), v2'));
      await until(cli, '/', 'from run(), v2');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      project.remove();
    }
  }, 40_000);
});

describe('flagon run and a rejection nothing handled', () => {
  const app = `import { App } from 'flagon';

export const app = new App(import.meta.url, { name: 'careless' });
app.get('/', () => 'alive');
app.get('/reject', () => {
  void Promise.reject(new Error('a background save failed'));
  return 'answered';
});
`;

  for (const args of [
    ['run', '--port', '0'],
    ['run', '--debug', '--port', '0'],
  ]) {
    it(`${args.join(' ')}: logs it and goes on serving, as Flask's dev server`, async () => {
      const project = makeProject({ 'app.ts': app });
      const cli = await startCli(project.dir, args);
      try {
        expect((await fetchRaw(`${cli.url}/reject`)).text).toBe('answered');
        for (let i = 0; i < 250 && !cli.stderr().includes('nothing handled it'); i++)
          await new Promise((resolve) => setTimeout(resolve, 20));
        expect(cli.stderr()).toContain('a background save failed');
        expect((await fetchRaw(`${cli.url}/`)).text).toBe('alive');
      } finally {
        await cli.stop();
        project.remove();
      }
    }, 30_000);
  }
});

describe('flagon run --debug reads the dotenv files again on each reload', () => {
  it('an edited or deleted .env value, and an edited -e file, are in the reloaded app; the environment still wins', async () => {
    // The reloader restarted the app on a save of .env, but the new child kept the old values: the parent had put
    // them in its own environment, which every child inherited and which files never overwrite.
    const project = makeProject({
      'app.ts': `import { App } from 'flagon';
export const app = new App(import.meta.url, { name: 'dotenv-reload' });
app.get('/', () => [process.env.GREETING ?? 'unset', process.env.KEPT, process.env.LEVEL ?? 'unset'].join('|'));
`,
      '.env': 'GREETING=one\nKEPT=from-file\n',
      'config/dev.env': 'LEVEL=low\n',
    });
    const cli = await startCli(project.dir, ['-e', 'config/dev.env', 'run', '--debug', '--port', '0'], {
      KEPT: 'from-environment',
    });
    try {
      expect((await fetchRaw(`${cli.url}/`)).text).toBe('one|from-environment|low');
      project.write('.env', 'GREETING=two\nKEPT=from-file\n');
      await until(cli, '/', 'two|from-environment|low');
      project.write('.env', 'KEPT=from-file\n');
      await until(cli, '/', 'unset|from-environment|low');
      project.write('config/dev.env', 'LEVEL=high\n');
      await until(cli, '/', 'unset|from-environment|high');
      await cli.waitFor(/ \* Detected change in '.*dev\.env', reloading\n/);
    } finally {
      await cli.stop();
      project.remove();
    }
  }, 30_000);
});
