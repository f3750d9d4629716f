/** profiler: a V8 CPU profile per request (node:inspector), a pstats-like table, .cpuprofile files under a safe name. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App } from 'flagon/app';
import type { BodyChunk, Environ, GatewayApp } from 'flagon/gateway';
import {
  type CpuProfile,
  formatProfileTable,
  type ProfiledRequest,
  profiler,
  type ProfilerOptions,
  summarizeProfile,
} from 'flagon/middleware';
import { trimProfile } from '../../src/middleware/profile-table.js';
import { serve } from 'flagon/serving';
import { createEnviron, runApp } from 'flagon/testing';
import { fetchRaw } from '../helpers/http.js';

/** The naive recursion: a few ms per call at n = 25, all of it in this one function. */
function slowFibonacci(n: number): number {
  return n < 2 ? n : slowFibonacci(n - 1) + slowFibonacci(n - 2);
}

/**
 * Burns about `ms` milliseconds of CPU time in slowFibonacci: CPU time, not wall time, so that on a loaded machine the
 * function still runs long enough for the sampler to catch it.
 */
function burn(ms: number): number {
  const start = process.cpuUsage();
  let sum = 0;
  do sum += slowFibonacci(20);
  while (process.cpuUsage(start).user / 1000 < ms);
  return sum;
}

const app = new App(import.meta.url);
app.get('/fib', function fibonacciView() {
  return String(burn(30));
});
app.get('/users/<int:id>', function showUser(req) {
  return `user ${req.params.id}`;
});

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'flagon-profiles-'));
  dirs.push(dir);
  return dir;
};

/** A stream that keeps what was written. */
const sink = (): { text: string; write(chunk: string): void } => ({
  text: '',
  write(chunk: string) {
    this.text += chunk;
  },
});

/** Runs one request through a profiler and resolves once its profile was reported (the body's close awaits it). */
async function profileOne(
  path: string,
  options: ProfilerOptions,
  environ: Environ = createEnviron(path),
): Promise<{ profile: CpuProfile; request: ProfiledRequest; text: string }> {
  let reported: { profile: CpuProfile; request: ProfiledRequest } | null = null;
  const response = await runApp(
    profiler(app.gatewayApp, {
      ...options,
      onProfile: (profile, request) => {
        reported = { profile, request };
      },
    }),
    environ,
  );
  expect(reported).not.toBeNull();
  return { ...reported!, text: response.text };
}

/** The shape Chrome DevTools and speedscope read: nodes with call frames, one delta per sample, a start before the end. */
function expectCpuProfile(value: unknown): asserts value is CpuProfile {
  const profile = value as CpuProfile;
  expect(Array.isArray(profile.nodes)).toBe(true);
  expect(profile.nodes.length).toBeGreaterThan(1);
  for (const node of profile.nodes) {
    expect(typeof node.id).toBe('number');
    expect(node.callFrame).toMatchObject({ functionName: expect.any(String), url: expect.any(String) });
  }
  expect(profile.samples!.length).toBeGreaterThan(0);
  expect(profile.samples!.length).toBe(profile.timeDeltas!.length);
  expect(profile.startTime).toBeLessThan(profile.endTime);
}

const names = (profile: CpuProfile): string[] => profile.nodes.map((node) => node.callFrame.functionName);

describe('profiler', () => {
  it('writes a .cpuprofile per request that parses as one and holds the view and the function it burns time in', async () => {
    const dir = tempDir();
    const out = sink();
    const { text } = await profileOne('/fib', { dir, stream: out });
    expect(Number(text)).toBeGreaterThan(0);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^GET\.fib\.\d+ms\.\d{13}\.cpuprofile$/);
    const profile: unknown = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8'));
    expectCpuProfile(profile);
    expect(names(profile)).toContain('slowFibonacci');
    expect(names(profile)).toContain('fibonacciView');
    // It spans time (how much is the machine's business: V8's start and stop are cut from it, so no bound in ms).
    expect(profile.endTime).toBeGreaterThan(profile.startTime);
  });

  it('prints a table per request, as ProfilerMiddleware: the path, the totals, and rows naming the view', async () => {
    const out = sink();
    await profileOne('/fib', { stream: out });
    const lines = out.text.split('\n');
    expect(lines[0]).toBe('-'.repeat(80));
    expect(lines[1]).toBe("PATH: '/fib'");
    expect(lines[2]).toMatch(
      /^ +\d+ samples in \d+\.\d{3} ms \(one every 100 µs; a sampling profiler counts no calls\)$/,
    );
    expect(out.text).toContain('   Ordered by: self time');
    expect(out.text).toMatch(/ {3}self ms {3}total ms {2}function +url:line\n/);
    const row = (name: string): { self: number; total: number; where: string } => {
      const match = new RegExp(`^ *(\\d+\\.\\d{3}) +(\\d+\\.\\d{3})  ${name} +(\\S+)$`, 'm').exec(out.text);
      expect(match, `a row for ${name} in\n${out.text}`).not.toBeNull();
      return { self: Number(match![1]), total: Number(match![2]), where: match![3]! };
    };
    const fib = row('slowFibonacci');
    const view = row('fibonacciView');
    // slowFibonacci is where the time goes; the view holds it all in its total.
    expect(fib.self, out.text).toBeGreaterThan(0);
    expect(view.total, out.text).toBeGreaterThanOrEqual(fib.total);
    expect(view.self, out.text).toBeLessThan(fib.self);
    expect(fib.where, out.text).toMatch(/profiler\.test\.ts:\d+$/);
    expect(out.text.endsWith(`${'-'.repeat(80)}\n\n`)).toBe(true);
  });

  it('sorts by total time with sortBy: total, and has no call counts to sort by', async () => {
    const out = sink();
    await profileOne('/fib', { stream: out, sortBy: 'total', restrictions: ['profiler\\.test\\.ts'] });
    expect(out.text).toContain('Ordered by: total time');
    const rows = out.text.split('\n').filter((line) => /^ *\d+\.\d{3} +\d+\.\d{3} {2}/.test(line));
    const totals = rows.map((line) => Number(line.trim().split(/ +/)[1]));
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    // the view, which holds slowFibonacci's time in its own total, comes before it
    const at = (name: string): number => rows.findIndex((line) => line.includes(`  ${name} `));
    expect(at('fibonacciView')).toBeGreaterThanOrEqual(0);
    expect(at('fibonacciView'), out.text).toBeLessThan(at('slowFibonacci'));
    expect(() => profiler(app.gatewayApp, { sortBy: 'calls' as 'self' })).toThrow(/'self' or 'total'.*counts no calls/);
  });

  it('applies restrictions in order, as pstats: a pattern, then a count, each saying how it reduced the list', async () => {
    const out = sink();
    await profileOne('/fib', { stream: out, restrictions: [/profiler\.test\.ts/, 1] });
    const rows = out.text.split('\n').filter((line) => /^ *\d+\.\d{3} +\d+\.\d{3} {2}/.test(line));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('slowFibonacci'); // the most self time of this file's functions
    expect(out.text).toMatch(/List reduced from \d+ to \d+ due to restriction <\/profiler\\\.test\\\.ts\/>/);
    expect(out.text).toMatch(/List reduced from \d+ to 1 due to restriction <1>/);

    const only = sink();
    await profileOne('/fib', { stream: only, restrictions: ['fibonacciView'] });
    const onlyRows = only.text.split('\n').filter((line) => /^ *\d+\.\d{3} +\d+\.\d{3} {2}/.test(line));
    expect(onlyRows).toHaveLength(1);
    expect(onlyRows[0]).toContain('fibonacciView');
    expect(() => profiler(app.gatewayApp, { restrictions: [-1] })).toThrow(/row count.*fraction.*pattern/);
  });

  it('fills the placeholders of filenameFormat, and calls a function format with the environ and the values', async () => {
    const dir = tempDir();
    const { request } = await profileOne('/users/7', {
      dir,
      stream: null,
      filenameFormat: '{method}-{path}-{elapsed}-{time}.cpuprofile',
    });
    expect(request).toMatchObject({ method: 'GET', path: 'users.7' });
    expect(readdirSync(dir)).toEqual([`GET-users.7-${request.elapsed}-${request.time}.cpuprofile`]);

    const seen: Array<[string, ProfiledRequest]> = [];
    const other = tempDir();
    await profileOne('/', {
      dir: other,
      stream: null,
      filenameFormat: (environ, info) => {
        seen.push([environ.PATH_INFO, info]);
        return `${info.method.toLowerCase()}-${info.path}.cpuprofile`;
      },
    });
    expect(seen).toEqual([['/', expect.objectContaining({ method: 'GET', path: 'root' })]]);
    expect(readdirSync(other)).toEqual(['get-root.cpuprofile']);
    // a second request under the same name keeps the first file
    await profileOne('/', { dir: other, stream: null, filenameFormat: () => 'get-root.cpuprofile' });
    expect(readdirSync(other).sort()).toEqual(['get-root-2.cpuprofile', 'get-root.cpuprofile']);
    expect(() => profiler(app.gatewayApp, { filenameFormat: '{method}.{status}' })).toThrow(
      /\{status\}; the placeholders are \{method\}, \{path\}, \{elapsed\} and \{time\}/,
    );
  });

  it('never writes outside dir, whatever the path or the format gives', async () => {
    const parent = tempDir();
    const dir = join(parent, 'profiles');
    const environ = createEnviron('/x');
    environ.PATH_INFO = '/../../etc';
    await profileOne('/x', { dir, stream: null, filenameFormat: '{path}' }, environ);
    await profileOne('/x', { dir, stream: null, filenameFormat: () => '../../escaped.cpuprofile' });
    await profileOne('/x', { dir, stream: null, filenameFormat: () => '..' });
    expect(readdirSync(parent)).toEqual(['profiles']);
    expect(readdirSync(dir).sort()).toEqual(['......etc', '_', '.._.._escaped.cpuprofile'].sort());
  });

  it('profiles a streamed body until its close, over real HTTP', async () => {
    let releaseStream: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      releaseStream = resolve;
    });
    /** Burns time after the first chunk went out: only a profile that lasts until close sees it. */
    function slowStreamChunk(): string {
      return String(burn(20));
    }
    const streaming: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (async function* (): AsyncGenerator<BodyChunk> {
        yield 'first\n';
        await gate;
        yield `${slowStreamChunk()}\n`;
      })();
    };
    let profiled: (profile: CpuProfile) => void = () => undefined;
    const reported = new Promise<CpuProfile>((resolve) => {
      profiled = resolve;
    });
    const server = await serve(profiler(streaming, { stream: null, onProfile: (profile) => profiled(profile) }), {
      port: 0,
      host: '127.0.0.1',
    });
    try {
      const response = fetchRaw(`${server.url}/stream`);
      releaseStream();
      const { text } = await response;
      expect(text).toMatch(/^first\n\d+\n$/);
      const profile = await reported;
      expectCpuProfile(profile);
      const seen = `${(profile.endTime - profile.startTime) / 1000} ms, ${profile.samples!.length} samples: ${names(profile).join(', ')}`;
      expect(names(profile), seen).toContain('slowStreamChunk');
      expect(names(profile)).toContain('slowFibonacci');
    } finally {
      await server.close();
    }
  });

  it('lets profiled requests take turns, and runs one unprofiled with a note when it waited past queueTimeout', async () => {
    let releaseFirst: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const order: string[] = [];
    const held: GatewayApp = (environ, startResponse) => {
      order.push(`start ${environ.PATH_INFO}`);
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      if (environ.PATH_INFO !== '/first') return ['second'];
      return (async function* (): AsyncGenerator<BodyChunk> {
        await gate;
        yield 'first';
      })();
    };
    const out = sink();
    const onProfile = (_profile: CpuProfile, request: ProfiledRequest): void => {
      order.push(`profiled ${request.path}`);
    };
    const queued = profiler(held, { stream: null, onProfile });
    const first = runApp(queued, createEnviron('/first'));
    // The second asks while the first holds the profiler: its app is not called until the first's body closed.
    const second = runApp(queued, createEnviron('/second'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['start /first']);
    releaseFirst();
    expect((await first).text).toBe('first');
    expect((await second).text).toBe('second');
    expect(order).toEqual(['start /first', 'profiled first', 'start /second', 'profiled second']);

    // With queueTimeout 0, a request that finds the profiler busy runs at once, unprofiled, and says why.
    let releaseLong: () => void = () => undefined;
    const longGate = new Promise<void>((resolve) => {
      releaseLong = resolve;
    });
    const long: GatewayApp = (environ, startResponse) => {
      startResponse('200 OK', []);
      if (environ.PATH_INFO !== '/long') return ['quick'];
      return (async function* (): AsyncGenerator<BodyChunk> {
        await longGate;
        yield 'long';
      })();
    };
    const impatient = profiler(long, { stream: out, queueTimeout: 0 });
    const longRequest = runApp(impatient, createEnviron('/long'));
    expect((await runApp(impatient, createEnviron('/quick'))).text).toBe('quick');
    expect(out.text).toContain(
      "PATH: '/quick': not profiled; the profiler was still busy with GET '/long' after 0 ms (a stream, or a request waiting for this one?)",
    );
    releaseLong();
    expect((await longRequest).text).toBe('long');
    expect(out.text).toContain("PATH: '/long'\n");
  });

  it("covers the request, not the tens of milliseconds V8's profiler takes to start", async () => {
    // Profiler.start lists every compiled function first (20-50 ms here); that time is cut from the profile.
    for (const path of ['/fib', '/users/7', '/users/8']) {
      const { profile, request } = await profileOne(path, { stream: null });
      expect(profile.samples!.length).toBe(profile.timeDeltas!.length);
      expect((profile.endTime - profile.startTime) / 1000).toBeLessThanOrEqual(request.elapsed + 2);
      if (path === '/fib') expectCpuProfile(profile);
    }
  });

  it('ends the profile when the app throws, and passes the error on', async () => {
    const failing: GatewayApp = () => {
      throw new Error('boom: thrown by the app');
    };
    const out = sink();
    await expect(runApp(profiler(failing, { stream: out }), createEnviron('/boom'))).rejects.toThrow(/boom/);
    expect(out.text).toContain("PATH: '/boom'\n");
    // and the profiler is free for the next request
    const { text } = await profileOne('/users/1', { stream: null });
    expect(text).toBe('user 1');
  });
});

describe('summarizeProfile', () => {
  const frame = (functionName: string, lineNumber: number) => ({
    functionName,
    scriptId: '1',
    url: 'file:///srv/app.ts',
    lineNumber,
    columnNumber: 0,
  });
  // (root) → view → fib → fib → fib, and (root) → view → render; samples 1 ms apart.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { ...frame('(root)', -1), url: '', scriptId: '0' }, children: [2] },
      { id: 2, callFrame: frame('view', 1), children: [3, 6] },
      { id: 3, callFrame: frame('fib', 10), children: [4] },
      { id: 4, callFrame: frame('fib', 10), children: [5] },
      { id: 5, callFrame: frame('fib', 10) },
      { id: 6, callFrame: frame('', 20) },
    ],
    startTime: 0,
    endTime: 6000,
    samples: [5, 5, 4, 3, 6, 2],
    timeDeltas: [0, 1000, 1000, 1000, 1000, 1000],
  };

  it('counts self time on top of the stack and total time once per stack, however deep a recursion goes', () => {
    const { rows, durationMs, sampleCount } = summarizeProfile(profile);
    expect({ durationMs, sampleCount }).toEqual({ durationMs: 6, sampleCount: 6 });
    const byName = Object.fromEntries(rows.map((row) => [row.functionName, row]));
    expect(byName.fib).toMatchObject({ selfMs: 4, totalMs: 4, samples: 4, lineNumber: 11 });
    expect(byName.view).toMatchObject({ selfMs: 1, totalMs: 6 });
    expect(byName['(anonymous)']).toMatchObject({ selfMs: 1, totalMs: 1, lineNumber: 21 });
    expect(byName['(root)']).toBeUndefined();
    expect(rows.map((row) => row.functionName)).toEqual(['fib', 'view', '(anonymous)']);
  });

  it('trims a profile to a window: samples outside go, nodes no sample reaches are pruned', () => {
    const trimmed: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { ...frame('(root)', -1), url: '', scriptId: '0' }, hitCount: 0, children: [2, 4] },
        { id: 2, callFrame: frame('a', 1), hitCount: 1, children: [3] },
        { id: 3, callFrame: frame('b', 2), hitCount: 1 },
        { id: 4, callFrame: frame('startup', 3), hitCount: 2, positionTicks: [{ line: 4, ticks: 2 }] },
      ],
      startTime: 0,
      endTime: 5000,
      samples: [4, 4, 2, 3],
      timeDeltas: [1000, 1000, 1000, 1000],
    };
    trimProfile(trimmed, 2500);
    expect(trimmed).toMatchObject({ startTime: 2500, endTime: 5000, samples: [2, 3], timeDeltas: [500, 1000] });
    const ended: CpuProfile = { ...structuredClone(trimmed), startTime: 2500 };
    trimProfile(ended, 0, 1000); // up to 3500: the sample at 4000 goes
    expect(ended).toMatchObject({ startTime: 2500, endTime: 3500, samples: [2], timeDeltas: [500] });
    expect(ended.nodes.map((node) => node.id)).toEqual([1, 2]);
    expect(trimmed.nodes.map((node) => [node.id, node.hitCount, node.children ?? []])).toEqual([
      [1, 0, [2]],
      [2, 1, [3]],
      [3, 1, []],
    ]);
    const { rows, durationMs } = summarizeProfile(trimmed);
    expect(durationMs).toBe(2.5);
    expect(rows.map((row) => [row.functionName, row.selfMs, row.totalMs])).toEqual([
      ['a', 1, 2],
      ['b', 1, 1],
    ]);
  });

  it('formats the table with file URLs as given, and a fraction restriction as pstats', () => {
    const text = formatProfileTable({
      path: "/it's",
      summary: summarizeProfile(profile),
      sortBy: 'total',
      restrictions: [0.5],
      samplingInterval: 1000,
    });
    expect(text).toContain("PATH: '/it\\'s'");
    expect(text).not.toContain('Few samples');
    const empty = formatProfileTable({
      path: '/quick',
      summary: summarizeProfile({ ...profile, samples: [2], timeDeltas: [0] }),
      sortBy: 'self',
      restrictions: [],
      samplingInterval: 100,
    });
    expect(empty).toContain('   Few samples: the request was too short for a sampling profiler to see');
    expect(text).toContain('List reduced from 3 to 2 due to restriction <0.5>');
    expect(text).toContain('     1.000      6.000  view      file:///srv/app.ts:2\n');
    expect(text).toContain('     4.000      4.000  fib       file:///srv/app.ts:11\n');
  });
});
