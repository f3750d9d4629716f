/** `flagon serve`'s settings: defaults < flagon.config.{ts,js} < FLAGON_ environment < command line, and every mistake's message. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/run.js';
import {
  defineServeConfig,
  resolveServeSettings,
  SERVE_CONFIG_FILES,
  SERVE_HELP,
  type ServeSettings,
} from '../../src/cli/serve-config.js';

const scratch = mkdtempSync(join(tmpdir(), 'flagon-serve-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const serveConfigModule = fileURLToPath(new URL('../../src/cli/serve-config.ts', import.meta.url));
let folders = 0;

/** A fresh folder holding these files. */
function project(files: Record<string, string> = {}): string {
  const dir = join(scratch, `p${folders++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The message of the UsageError that resolving throws. */
async function failure(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const error = await resolveServeSettings(args, env, cwd).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as UsageError).message;
}

// A .ts file with a type-only import (erased by tsx) and TypeScript syntax the loader must strip.
const TS_CONFIG = `import type { ServeConfig } from ${JSON.stringify(serveConfigModule)};
const workers: number = 4;
const config: ServeConfig = {
  bind: ['0.0.0.0:9000', 'unix:/tmp/flagon-test.sock'],
  workers,
  timeout: 60,
  gracefulTimeout: 10,
  maxRequests: 1000,
  maxRequestsJitter: 50,
  keepAlive: 2,
  accessLog: '/var/log/flagon/access.log',
  forwardedAllowIps: '10.0.0.1, 10.0.0.2',
  preload: true,
};
export default config;
`;

const DEFAULTS: Omit<ServeSettings, 'workers'> = {
  app: undefined,
  bind: ['127.0.0.1:8000'],
  timeout: 30,
  gracefulTimeout: 30,
  maxRequests: 0,
  maxRequestsJitter: 0,
  keepAlive: 5,
  accessLog: null,
  forwardedAllowIps: ['127.0.0.1', '::1'],
  cert: null,
  key: null,
  preload: false,
  config: null,
};

describe('defaults', () => {
  it("are gunicorn's, with serve()'s keep-alive and one worker per CPU, when nothing is given", async () => {
    const settings = await resolveServeSettings([], {}, project());
    expect(settings).toEqual({ ...DEFAULTS, workers: availableParallelism() });
  });

  it('ignore FLAGON_DEBUG and other variables that are not settings, and empty values', async () => {
    const env = { FLAGON_DEBUG: '1', FLAGON_WORKERS: '', FLAGON_BIND: '', FLAGON_CONFIG: '', FLAGON_RUN_PORT: '9' };
    const settings = await resolveServeSettings([], env, project());
    expect(settings).toEqual({ ...DEFAULTS, workers: availableParallelism() });
  });
});

describe('the config file', () => {
  it('reads flagon.config.ts with a type import, every key, and names the file used', async () => {
    const dir = project({ 'flagon.config.ts': TS_CONFIG });
    const settings = await resolveServeSettings([], {}, dir);
    expect(settings).toEqual({
      app: undefined,
      bind: ['0.0.0.0:9000', 'unix:/tmp/flagon-test.sock'],
      workers: 4,
      timeout: 60,
      gracefulTimeout: 10,
      maxRequests: 1000,
      maxRequestsJitter: 50,
      keepAlive: 2,
      accessLog: '/var/log/flagon/access.log',
      forwardedAllowIps: ['10.0.0.1', '10.0.0.2'],
      cert: null,
      key: null,
      preload: true,
      config: join(dir, 'flagon.config.ts'),
    });
  });

  it('reads a .js file, and a function (async too) as the default export', async () => {
    const sync = project({ 'flagon.config.js': 'export default () => ({ workers: 3, app: "server.ts:api" });\n' });
    expect(await resolveServeSettings([], {}, sync)).toMatchObject({
      workers: 3,
      app: 'server.ts:api',
      config: join(sync, 'flagon.config.js'),
    });
    const async = project({
      'flagon.config.mjs': 'export default async function () { await null; return { timeout: 0 }; }\n',
    });
    expect(await resolveServeSettings([], {}, async)).toMatchObject({ timeout: 0 });
  });

  it('reads a CommonJS .js file (module.exports) as its default export', async () => {
    const dir = project({ 'flagon.config.js': 'module.exports = { workers: 6 };\n' });
    expect((await resolveServeSettings([], {}, dir)).workers).toBe(6);
  });

  it('takes defineServeConfig from Flagon as a value import', async () => {
    const dir = project({
      'flagon.config.ts': `import { defineServeConfig } from ${JSON.stringify(serveConfigModule)};\nexport default defineServeConfig({ keepAlive: 9 });\n`,
    });
    expect((await resolveServeSettings([], {}, dir)).keepAlive).toBe(9);
    expect(defineServeConfig({ workers: 2 })).toEqual({ workers: 2 });
  });

  it('looks for flagon.config.ts first, then .mts, .js, .mjs', async () => {
    expect(SERVE_CONFIG_FILES).toEqual([
      'flagon.config.ts',
      'flagon.config.mts',
      'flagon.config.js',
      'flagon.config.mjs',
    ]);
    const dir = project({
      'flagon.config.js': 'export default { workers: 2 };\n',
      'flagon.config.mts': 'export default { workers: 3 };\n',
    });
    expect(await resolveServeSettings([], {}, dir)).toMatchObject({
      workers: 3,
      config: join(dir, 'flagon.config.mts'),
    });
  });

  it('is the one named by --config, -c or FLAGON_CONFIG (the option first), relative to the folder', async () => {
    const dir = project({
      'flagon.config.ts': 'export default { workers: 2 };\n',
      'prod.config.ts': 'export default { workers: 5 };\n',
      'staging.config.js': 'export default { workers: 7 };\n',
    });
    expect((await resolveServeSettings(['--config', 'prod.config.ts'], {}, dir)).workers).toBe(5);
    expect((await resolveServeSettings(['-c', join(dir, 'prod.config.ts')], {}, dir)).config).toBe(
      join(dir, 'prod.config.ts'),
    );
    expect((await resolveServeSettings([], { FLAGON_CONFIG: 'staging.config.js' }, dir)).workers).toBe(7);
    const both = await resolveServeSettings(['-c', 'prod.config.ts'], { FLAGON_CONFIG: 'staging.config.js' }, dir);
    expect(both.workers).toBe(5);
  });

  it('is read afresh when it changed (a reload in the same process)', async () => {
    const dir = project({ 'flagon.config.js': 'export default { workers: 2 };\n' });
    expect((await resolveServeSettings([], {}, dir)).workers).toBe(2);
    writeFileSync(join(dir, 'flagon.config.js'), 'export default { workers: 8 };\n');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'flagon.config.js'), later, later);
    expect((await resolveServeSettings([], {}, dir)).workers).toBe(8);
  });
});

describe('precedence: defaults < file < FLAGON_ environment < command line, key by key', () => {
  const file = `export default {
  bind: ['0.0.0.0:1000', '0.0.0.0:1001'], workers: 2, timeout: 20, gracefulTimeout: 20, maxRequests: 20,
  maxRequestsJitter: 20, keepAlive: 20, accessLog: 'file.log', forwardedAllowIps: ['10.0.0.20'],
  cert: 'file.pem', key: 'file-key.pem', preload: false, app: 'file-app.ts',
};\n`;
  const env = {
    FLAGON_BIND: '0.0.0.0:2000, 0.0.0.0:2001 unix:/run/env.sock',
    FLAGON_WORKERS: '3',
    FLAGON_TIMEOUT: '30',
    FLAGON_GRACEFUL_TIMEOUT: '30',
    FLAGON_MAX_REQUESTS: '30',
    FLAGON_MAX_REQUESTS_JITTER: '30',
    FLAGON_KEEP_ALIVE: '30',
    FLAGON_ACCESS_LOG: '-',
    FLAGON_FORWARDED_ALLOW_IPS: '*',
    FLAGON_CERT: 'env.pem',
    FLAGON_KEY: 'env-key.pem',
    FLAGON_PRELOAD: 'yes',
  };
  const args = [
    '--app',
    'cli-app.ts',
    '-b',
    '0.0.0.0:4000',
    '--bind',
    'unix:/run/a b.sock',
    '-w',
    '4',
    '-t',
    '40',
    '--graceful-timeout',
    '40',
    '--max-requests',
    '40',
    '--max-requests-jitter',
    '40',
    '--keep-alive',
    '40',
    '--access-log',
    'cli.log',
    '--forwarded-allow-ips',
    '10.0.0.40,10.0.0.41',
    '--cert',
    'cli.pem',
    '--key',
    'cli-key.pem',
  ];

  it('the file beats the defaults', async () => {
    const dir = project({ 'flagon.config.js': file });
    expect(await resolveServeSettings([], {}, dir)).toEqual({
      app: 'file-app.ts',
      bind: ['0.0.0.0:1000', '0.0.0.0:1001'],
      workers: 2,
      timeout: 20,
      gracefulTimeout: 20,
      maxRequests: 20,
      maxRequestsJitter: 20,
      keepAlive: 20,
      accessLog: 'file.log',
      forwardedAllowIps: ['10.0.0.20'],
      cert: 'file.pem',
      key: 'file-key.pem',
      preload: false,
      config: join(dir, 'flagon.config.js'),
    });
  });

  it('the environment beats the file; FLAGON_BIND lists are split on commas and spaces and replace the file list', async () => {
    const dir = project({ 'flagon.config.js': file });
    expect(await resolveServeSettings([], env, dir)).toEqual({
      app: 'file-app.ts',
      bind: ['0.0.0.0:2000', '0.0.0.0:2001', 'unix:/run/env.sock'],
      workers: 3,
      timeout: 30,
      gracefulTimeout: 30,
      maxRequests: 30,
      maxRequestsJitter: 30,
      keepAlive: 30,
      accessLog: '-',
      forwardedAllowIps: ['*'],
      cert: 'env.pem',
      key: 'env-key.pem',
      preload: true,
      config: join(dir, 'flagon.config.js'),
    });
  });

  it('the command line beats both; repeated --bind replaces the lists, each value kept whole', async () => {
    const dir = project({ 'flagon.config.js': file });
    expect(await resolveServeSettings([...args, '--preload'], env, dir)).toEqual({
      app: 'cli-app.ts',
      bind: ['0.0.0.0:4000', 'unix:/run/a b.sock'],
      workers: 4,
      timeout: 40,
      gracefulTimeout: 40,
      maxRequests: 40,
      maxRequestsJitter: 40,
      keepAlive: 40,
      accessLog: 'cli.log',
      forwardedAllowIps: ['10.0.0.40', '10.0.0.41'],
      cert: 'cli.pem',
      key: 'cli-key.pem',
      preload: true,
      config: join(dir, 'flagon.config.js'),
    });
  });

  it('mixes sources key by key', async () => {
    const dir = project({ 'flagon.config.js': 'export default { workers: 2, timeout: 20, keepAlive: 20 };\n' });
    const settings = await resolveServeSettings(['--keep-alive', '40'], { FLAGON_TIMEOUT: '30' }, dir);
    expect([settings.workers, settings.timeout, settings.keepAlive, settings.gracefulTimeout]).toEqual([2, 30, 40, 30]);
  });

  it("FLAGON_PRELOAD=0 turns off the file's preload: true, and the words are case-blind", async () => {
    const dir = project({ 'flagon.config.js': 'export default { preload: true };\n' });
    for (const word of ['0', 'false', 'No'])
      expect((await resolveServeSettings([], { FLAGON_PRELOAD: word }, dir)).preload).toBe(false);
    for (const word of ['1', 'TRUE', 'yes'])
      expect((await resolveServeSettings([], { FLAGON_PRELOAD: word }, project())).preload).toBe(true);
  });

  it("FLAGON_APP beats the file's app: app is left undefined for the loader, unless --app is given", async () => {
    const dir = project({ 'flagon.config.js': "export default { app: 'file-app.ts' };\n" });
    expect((await resolveServeSettings([], { FLAGON_APP: 'env-app.ts' }, dir)).app).toBeUndefined();
    expect((await resolveServeSettings(['--app', 'cli.ts'], { FLAGON_APP: 'env-app.ts' }, dir)).app).toBe('cli.ts');
    expect((await resolveServeSettings([], { FLAGON_APP: 'env-app.ts' }, project())).app).toBeUndefined();
  });
});

describe('mistakes', () => {
  it('a misspelt key in the file: names the file, the key, the likely one and every valid key', async () => {
    const dir = project({ 'flagon.config.ts': 'export default { worker: 4 };\n' });
    const message = await failure([], {}, dir);
    expect(message).toMatch(/^flagon\.config\.ts: unknown key 'worker' \(did you mean workers\?\)/);
    expect(message).toContain(
      'The keys are: app, bind, workers, timeout, gracefulTimeout, maxRequests, maxRequestsJitter, keepAlive, accessLog, forwardedAllowIps, cert, key, preload.',
    );
    const far = project({ 'flagon.config.js': 'export default { colour: 4 };\n' });
    expect(await failure([], {}, far)).toMatch(/^flagon\.config\.js: unknown key 'colour'\. The keys are/);
  });

  it('a wrong type in the file: names the file, the key, what it must be and what it got', async () => {
    const cases: Array<[string, string]> = [
      ["{ workers: 'four' }", "flagon.config.ts: workers must be a whole number from 1, not 'four'."],
      ['{ workers: 0 }', 'flagon.config.ts: workers must be a whole number from 1, not 0.'],
      ['{ timeout: -1 }', 'flagon.config.ts: timeout must be a whole number from 0, not -1.'],
      ['{ keepAlive: 2.5 }', 'flagon.config.ts: keepAlive must be a whole number from 0, not 2.5.'],
      ["{ preload: 'yes' }", 'flagon.config.ts: preload must be true or false'],
      ['{ bind: [] }', 'flagon.config.ts: bind must be a non-empty string or a list of them, not [].'],
      ['{ accessLog: 5 }', 'flagon.config.ts: accessLog must be a non-empty string or null, not 5.'],
    ];
    for (const [value, message] of cases) {
      const dir = project({ 'flagon.config.ts': `export default ${value};\n` });
      expect(await failure([], {}, dir), value).toContain(message);
    }
  });

  it('a wrong environment value: names the variable and its value', async () => {
    const dir = project();
    expect(await failure([], { FLAGON_WORKERS: 'x' }, dir)).toBe(
      "FLAGON_WORKERS='x': workers must be a whole number from 1.",
    );
    expect(await failure([], { FLAGON_WORKERS: '0' }, dir)).toBe(
      "FLAGON_WORKERS='0': workers must be a whole number from 1.",
    );
    expect(await failure([], { FLAGON_TIMEOUT: '1.5' }, dir)).toBe(
      "FLAGON_TIMEOUT='1.5': timeout must be a whole number from 0.",
    );
    expect(await failure([], { FLAGON_PRELOAD: 'maybe' }, dir)).toMatch(
      /^FLAGON_PRELOAD='maybe': preload must be true or false \(in the environment: 1, true, yes, 0, false or no\)/,
    );
  });

  it('a wrong option value: names the option and its value', async () => {
    const dir = project();
    expect(await failure(['--workers', 'x'], {}, dir)).toBe('--workers x: workers must be a whole number from 1.');
    expect(await failure(['-w', '0'], {}, dir)).toBe('--workers 0: workers must be a whole number from 1.');
    expect(await failure(['--max-requests=-3'], {}, dir)).toBe(
      '--max-requests -3: maxRequests must be a whole number from 0.',
    );
    expect(await failure(['--bind', ''], {}, dir)).toMatch(/^--bind '': bind must be an address/);
  });

  it("an unknown option or a stray argument: says so and points at 'flagon serve --help'", async () => {
    const dir = project();
    expect(await failure(['--wrokers', '2'], {}, dir)).toMatch(/--wrokers.*'flagon serve --help' lists the options/);
    expect(await failure(['app.ts'], {}, dir)).toMatch(/app\.ts.*'flagon serve --help'/);
  });

  it('cert without key, or key without cert: names who set it and the fix', async () => {
    const dir = project();
    expect(await failure(['--cert', 'c.pem'], {}, dir)).toBe(
      'cert is set (by --cert) but key is not: HTTPS needs both. Pass --key FILE (or set FLAGON_KEY, or key in the config file), or drop cert for plain HTTP.',
    );
    expect(await failure([], { FLAGON_KEY: 'k.pem' }, dir)).toBe(
      'key is set (by FLAGON_KEY) but cert is not: HTTPS needs both. Pass --cert FILE (or set FLAGON_CERT, or cert in the config file), or drop key for plain HTTP.',
    );
    const file = project({ 'flagon.config.ts': "export default { cert: 'c.pem' };\n" });
    expect(await failure([], {}, file)).toMatch(/^cert is set \(by flagon\.config\.ts\) but key is not/);
  });

  it('a --config or FLAGON_CONFIG file that does not exist', async () => {
    const dir = project({ 'flagon.config.ts': 'export default {};\n' });
    expect(await failure(['--config', 'nope.ts'], {}, dir)).toBe(
      `--config 'nope.ts': no such file (looked for ${join(dir, 'nope.ts')}). Pass the path of a flagon.config.ts file, or leave it out to use flagon.config.ts, flagon.config.mts, flagon.config.js, flagon.config.mjs from the current folder when there is one.`,
    );
    expect(await failure([], { FLAGON_CONFIG: 'gone.js' }, dir)).toMatch(/^FLAGON_CONFIG='gone\.js': no such file/);
  });

  it('a file whose import throws: names the file and shows the cause', async () => {
    const dir = project({ 'flagon.config.ts': "throw new Error('no secrets mounted');\nexport default {};\n" });
    const message = await failure([], {}, dir);
    expect(message).toBe('flagon.config.ts: could not load the config file: no secrets mounted');
    const syntax = project({ 'flagon.config.js': 'export default { workers: 4\n' });
    expect(await failure([], {}, syntax)).toMatch(/^flagon\.config\.js: could not load the config file: \S/);
  });

  it('a config function that throws, and a default export that is not an object', async () => {
    const throws = project({ 'flagon.config.js': "export default () => { throw new Error('bad env'); };\n" });
    expect(await failure([], {}, throws)).toBe('flagon.config.js: the config function threw: bad env');
    const none = project({ 'flagon.config.js': 'export const workers = 4;\n' });
    expect(await failure([], {}, none)).toMatch(
      /^flagon\.config\.js: the default export must be an object of settings \(or a function returning one\), not missing\. Write: export default defineServeConfig/,
    );
    const list = project({ 'flagon.config.js': 'export default [1];\n' });
    expect(await failure([], {}, list)).toMatch(/not \[ 1 \]/);
  });
});

describe('SERVE_HELP', () => {
  it('lists every option with its environment variable and its default', () => {
    for (const option of [
      '-c, --config FILE',
      '--app PATH[:NAME]',
      '-b, --bind ADDRESS',
      '-w, --workers N',
      '-t, --timeout SECONDS',
      '--graceful-timeout SECONDS',
      '--max-requests N',
      '--max-requests-jitter N',
      '--keep-alive SECONDS',
      '--access-log FILE|-',
      '--forwarded-allow-ips IPS',
      '--cert FILE',
      '--key FILE',
      '--preload',
    ])
      expect(SERVE_HELP).toContain(option);
    for (const variable of [
      'FLAGON_CONFIG',
      'FLAGON_BIND',
      'FLAGON_WORKERS',
      'FLAGON_TIMEOUT',
      'FLAGON_GRACEFUL_TIMEOUT',
      'FLAGON_MAX_REQUESTS',
      'FLAGON_MAX_REQUESTS_JITTER',
      'FLAGON_KEEP_ALIVE',
      'FLAGON_ACCESS_LOG',
      'FLAGON_FORWARDED_ALLOW_IPS',
      'FLAGON_CERT',
      'FLAGON_KEY',
      'FLAGON_PRELOAD',
    ])
      expect(SERVE_HELP).toContain(`(${variable}`);
    expect(SERVE_HELP).toContain('default 127.0.0.1:8000');
    expect(SERVE_HELP).toContain('FLAGON_KEEP_ALIVE; default 5)');
    expect(SERVE_HELP).toContain('default 127.0.0.1,::1');
  });
});
