/**
 * `flagon run --no-debugger` and `--no-inspector` (Flask's `--debugger/--no-debugger`): debug mode without the debug
 * page, or without the request inspector, over real HTTP, with and without the reloader.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runSettings } from '../../src/cli/run.js';
import { makeProject, type RunningCli, startCli } from '../helpers/dev-server.js';
import { fetchRaw } from '../helpers/http.js';

const project = makeProject({
  'app.ts': `import { App } from 'flagon';
export const app = new App(import.meta.url);
app.get('/', () => 'home');
app.get('/boom', function explodingView() {
  throw new RangeError('the view failed on purpose');
});
`,
});
afterAll(() => project.remove());

/** Resolves once the process's standard error matches `pattern` (it may arrive after the response does). */
function stderrMatch(cli: RunningCli, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!pattern.test(cli.stderr())) return;
      cli.process.stderr!.off('data', onData);
      clearTimeout(timer);
      resolve();
    };
    // After the helper's own listener, which appends the chunk to stderr().
    const onData = (): void => check();
    const timer = setTimeout(() => {
      cli.process.stderr!.off('data', onData);
      reject(new Error(`standard error never matched ${pattern}:\n${cli.stderr()}`));
    }, 10_000);
    cli.process.stderr!.on('data', onData);
    check();
  });
}

describe('flagon run --debugger/--inspector settings', () => {
  it('both default on; --no-debugger and --no-inspector turn each off alone', () => {
    expect(runSettings({}, project.dir, {})).toMatchObject({ debugger: true, inspector: true });
    expect(runSettings({ debug: true, 'no-debugger': true }, project.dir, {})).toMatchObject({
      debug: true,
      debugger: false,
      inspector: true,
    });
    expect(runSettings({ debug: true, 'no-inspector': true }, project.dir, {})).toMatchObject({
      debug: true,
      debugger: true,
      inspector: false,
    });
  });
});

describe.each([
  ['without the reloader', ['--no-reload']],
  ['with the reloader', []],
])('flagon run --debug %s', (name, reload) => {
  const withReloader = name === 'with the reloader';

  it('serves the debug page and the inspector by default', async () => {
    const cli = await startCli(project.dir, ['run', '--debug', '--port', '0', ...reload], { FLAGON_APP: '' });
    try {
      const failed = await fetchRaw(`${cli.url}/boom`);
      expect(failed.status).toBe(500);
      expect(failed.text).toContain('the view failed on purpose');
      expect(failed.text).toContain('explodingView');
      expect((await fetchRaw(`${cli.url}/__flagon__/`)).status).toBe(200);
      if (withReloader) expect(cli.stdout()).toContain(' * Debugger is active!');
    } finally {
      await cli.stop();
    }
  });

  it('--no-debugger: a plain 500 with the stack in the terminal; the inspector stays', async () => {
    const cli = await startCli(project.dir, ['run', '--debug', '--no-debugger', '--port', '0', ...reload], {
      FLAGON_APP: '',
    });
    try {
      const failed = await fetchRaw(`${cli.url}/boom`);
      expect(failed.status).toBe(500);
      expect(failed.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(failed.text).toBe('Internal Server Error\n');
      await stderrMatch(cli, /RangeError: the view failed on purpose\n\s+at explodingView/);
      expect((await fetchRaw(`${cli.url}/__flagon__/`)).status).toBe(200);
      expect((await fetchRaw(`${cli.url}/`)).text).toBe('home');
      expect(cli.stdout()).toContain(' * Debug mode: on');
      expect(cli.stdout()).not.toContain('Debugger is active');
    } finally {
      await cli.stop();
    }
  });

  it('--no-inspector: no /__flagon__/; the debug page stays', async () => {
    const cli = await startCli(project.dir, ['run', '--debug', '--no-inspector', '--port', '0', ...reload], {
      FLAGON_APP: '',
    });
    try {
      expect((await fetchRaw(`${cli.url}/__flagon__/`)).status).toBe(404);
      const failed = await fetchRaw(`${cli.url}/boom`);
      expect(failed.status).toBe(500);
      expect(failed.text).toContain('explodingView');
    } finally {
      await cli.stop();
    }
  });
});

describe("flagon run --debug with an app that fails to load (the reloader's page)", () => {
  const broken = makeProject({
    'app.ts': `import { App } from 'flagon';
export const app = new App(import.meta.url);
throw new TypeError('the app module failed on purpose');
`,
  });
  afterAll(() => broken.remove());

  it("shows the debug page to local names only: a foreign Host gets 400, as for the app's own errors", async () => {
    const cli = await startCli(broken.dir, ['run', '--debug', '--port', '0'], { FLAGON_APP: '' });
    try {
      const local = await fetchRaw(`${cli.url}/`);
      expect(local.status).toBe(500);
      expect(local.text).toContain('the app module failed on purpose');
      // DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 must not read the source shown.
      const foreign = await fetchRaw(`${cli.url}/`, { headers: { Host: 'evil.example' } });
      expect(foreign.status).toBe(400);
      expect(foreign.text).not.toContain('the app module failed on purpose');
    } finally {
      await cli.stop();
    }
  });

  it('--no-debugger: the plain "App not loaded" page, without the error', async () => {
    const cli = await startCli(broken.dir, ['run', '--debug', '--no-debugger', '--port', '0'], { FLAGON_APP: '' });
    try {
      const page = await fetchRaw(`${cli.url}/`);
      expect(page.status).toBe(500);
      expect(page.text).toContain('<h1>App not loaded</h1>');
      expect(page.text).not.toContain('the app module failed on purpose');
      await stderrMatch(cli, /TypeError: the app module failed on purpose/);
    } finally {
      await cli.stop();
    }
  });
});
