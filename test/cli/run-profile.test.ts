/** `flagon run --profile [DIR]`: the flag's forms, and a profiled request over real HTTP with and without the reloader. */
import { watch } from 'node:fs';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandProfileFlag, runSettings } from '../../src/cli/run.js';
import type { CpuProfile } from '../../src/middleware/profile-table.js';
import { makeProject, startCli } from '../helpers/dev-server.js';
import { fetchRaw } from '../helpers/http.js';

const project = makeProject({
  'app.ts': `import { App } from 'flagon';
export const app = new App(import.meta.url);
function slowFibonacci(n: number): number {
  return n < 2 ? n : slowFibonacci(n - 1) + slowFibonacci(n - 2);
}
app.get('/fib', function fibonacciView() {
  const until = performance.now() + 30;
  let sum = 0;
  while (performance.now() < until) sum += slowFibonacci(20);
  return String(sum);
});
`,
});
afterAll(() => project.remove());

/** Resolves with the first `.cpuprofile` in `dir`, parsed, once it is there: fs.watch, no polling. */
function nextProfile(dir: string): Promise<{ name: string; profile: CpuProfile }> {
  return new Promise((resolve, reject) => {
    const look = (): boolean => {
      const name = readdirSync(dir).find((file) => file.endsWith('.cpuprofile'));
      if (name === undefined) return false;
      watcher.close();
      clearTimeout(timer);
      // The profiler links the file into place whole, so what is there parses.
      resolve({ name, profile: JSON.parse(readFileSync(join(dir, name), 'utf8')) as CpuProfile });
      return true;
    };
    const watcher = watch(dir, () => void look());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`no .cpuprofile appeared in ${dir}`));
    }, 15_000);
    look();
  });
}

function expectProfileOfFib(profile: CpuProfile): void {
  expect(profile.samples!.length).toBe(profile.timeDeltas!.length);
  expect(profile.samples!.length).toBeGreaterThan(0);
  expect(profile.startTime).toBeLessThan(profile.endTime);
  const names = profile.nodes.map((node) => node.callFrame.functionName);
  expect(names).toContain('slowFibonacci');
  expect(names).toContain('fibonacciView');
}

describe('flagon run --profile settings', () => {
  it('takes an optional folder: bare means ./profiles, --profile= means tables only', () => {
    expect(expandProfileFlag(['--profile'])).toEqual(['--profile=profiles']);
    expect(expandProfileFlag(['--profile', '--port', '0'])).toEqual(['--profile=profiles', '--port', '0']);
    expect(expandProfileFlag(['--profile', 'out', '--debug'])).toEqual(['--profile=out', '--debug']);
    expect(expandProfileFlag(['--profile=x'])).toEqual(['--profile=x']);
    expect(runSettings({ profile: 'profiles' }, project.dir, {}).profile).toEqual({
      dir: join(project.dir, 'profiles'),
    });
    expect(runSettings({ profile: '' }, project.dir, {}).profile).toEqual({ dir: null });
    expect(runSettings({}, project.dir, {}).profile).toBeNull();
    expect(runSettings({}, project.dir, { FLAGON_RUN_PROFILE: '/tmp/p' }).profile?.dir).toBe('/tmp/p');
  });
});

describe('flagon run --profile over HTTP', () => {
  it('without the reloader: a table per request on standard output and a .cpuprofile in DIR', async () => {
    const dir = join(project.dir, 'out');
    mkdirSync(dir);
    const cli = await startCli(project.dir, ['run', '--no-reload', '--port', '0', '--profile', dir], {
      FLAGON_APP: '',
    });
    try {
      await cli.waitFor(/ \* Profiling each request: .*\.cpuprofile file per request in .*out/);
      const file = nextProfile(dir);
      const response = await fetchRaw(`${cli.url}/fib`);
      expect(response.status).toBe(200);
      const { name, profile } = await file;
      expect(name).toMatch(/^GET\.fib\.\d+ms\.\d{13}\.cpuprofile$/);
      expectProfileOfFib(profile);
      // the lines of app.ts, not of what tsx made of it: the profiler follows the source map
      await cli.waitFor(/PATH: '\/fib'\n[\s\S]* {2}fibonacciView +app\.ts:6\n[\s\S]*-{80}\n/);
      expect(cli.stdout()).toMatch(/ {2}slowFibonacci +app\.ts:3\n/);
    } finally {
      await cli.stop();
    }
  });

  it('with the reloader and the debug page (bare --profile: ./profiles)', async () => {
    const dir = join(project.dir, 'profiles');
    mkdirSync(dir);
    const cli = await startCli(project.dir, ['run', '--debug', '--port', '0', '--profile'], { FLAGON_APP: '' });
    try {
      const file = nextProfile(dir);
      const response = await fetchRaw(`${cli.url}/fib`);
      expect(response.status).toBe(200);
      expectProfileOfFib((await file).profile);
      await cli.waitFor(/PATH: '\/fib'\n[\s\S]*fibonacciView/);
    } finally {
      await cli.stop();
    }
  });
});
