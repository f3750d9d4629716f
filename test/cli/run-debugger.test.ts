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
])('flagon run --debug %s', (_name, reload) => {
  it('serves the debug page and the inspector by default', async () => {
    const cli = await startCli(project.dir, ['run', '--debug', '--port', '0', ...reload], { FLAGON_APP: '' });
    try {
      const failed = await fetchRaw(`${cli.url}/boom`);
      expect(failed.status).toBe(500);
      expect(failed.text).toContain('the view failed on purpose');
      expect(failed.text).toContain('explodingView');
      expect((await fetchRaw(`${cli.url}/__flagon__/`)).status).toBe(200);
    } finally {
      await cli.stop();
    }
  });

  it('--no-debugger --no-inspector: a plain 500 with the stack in the terminal, and no /__flagon__/', async () => {
    const cli = await startCli(
      project.dir,
      ['run', '--debug', '--no-debugger', '--no-inspector', '--port', '0', ...reload],
      { FLAGON_APP: '' },
    );
    try {
      const failed = await fetchRaw(`${cli.url}/boom`);
      expect(failed.status).toBe(500);
      expect(failed.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(failed.text).toBe('Internal Server Error\n');
      await stderrMatch(cli, /RangeError: the view failed on purpose\n\s+at explodingView/);
      expect((await fetchRaw(`${cli.url}/__flagon__/`)).status).toBe(404);
      const home = await fetchRaw(`${cli.url}/`);
      expect(home.text).toBe('home');
      expect(cli.stdout()).toContain(' * Debug mode: on');
      expect(cli.stdout()).not.toContain('Debugger is active');
    } finally {
      await cli.stop();
    }
  });
});
