/** `flagon run --cert/--key`: the options and FLAGON_RUN_CERT/KEY, and the usage errors (exit 2) that name the fix. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSettings, runTls, UsageError } from '../../src/cli/run.js';
import { loadTls } from '../../src/dev/tls.js';
import { CLI, makeProject } from '../helpers/dev-server.js';

const project = makeProject({
  'app.ts': "import { App } from 'flagon';\nexport const app = new App(import.meta.url);\napp.get('/', () => 'hi');\n",
});
afterAll(() => project.remove());

beforeAll(async () => {
  // A certificate and key that belong together, and a second key that does not: made in memory, no openssl needed.
  const pair = (await loadTls({ cert: 'adhoc' }))!;
  writeFileSync(join(project.dir, 'cert.pem'), pair.cert);
  writeFileSync(join(project.dir, 'key.pem'), pair.key);
  writeFileSync(join(project.dir, 'other.key'), (await loadTls({ cert: 'adhoc' }))!.key);
});

const flagon = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, 'run', '--port', '0', ...args], {
    cwd: project.dir,
    encoding: 'utf8',
    env: { ...process.env, FLAGON_APP: '', FLAGON_RUN_CERT: '', FLAGON_RUN_KEY: '', ...env },
    timeout: 20_000,
  });

describe('flagon run --cert/--key settings', () => {
  it('takes --cert and --key, else FLAGON_RUN_CERT and FLAGON_RUN_KEY, else plain HTTP', () => {
    expect(runSettings({ cert: 'adhoc' }, project.dir, {})).toMatchObject({ cert: 'adhoc', key: null });
    expect(runSettings({}, project.dir, {})).toMatchObject({ cert: null, key: null });
    const env = { FLAGON_RUN_CERT: 'cert.pem', FLAGON_RUN_KEY: 'key.pem' };
    expect(runSettings({}, project.dir, { ...env })).toMatchObject({ cert: 'cert.pem', key: 'key.pem' });
    expect(runSettings({ cert: 'adhoc' }, project.dir, { FLAGON_RUN_CERT: 'cert.pem' }).cert).toBe('adhoc');
  });

  it("turns a bad --cert/--key into a UsageError named after the command line's options", async () => {
    const error = await runTls({ cert: 'adhoc', key: 'key.pem', host: '127.0.0.1' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^--key is not used with --cert adhoc: the throwaway certificate brings/);
    expect(await runTls({ cert: null, key: null, host: '127.0.0.1' })).toBeNull();
  });
});

describe('flagon run --cert/--key usage errors: exit code 2 and a message that names the fix', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['--key without --cert', ['--key', 'key.pem'], {}, /^Error: --key needs --cert: give the certificate's file too/],
    [
      '--key with --cert adhoc',
      ['--cert', 'adhoc', '--key', 'key.pem'],
      {},
      /^Error: --key is not used with --cert adhoc: the throwaway certificate brings its own key\. Leave out --key/,
    ],
    [
      '--cert FILE without --key',
      ['--cert', 'cert.pem'],
      {},
      /^Error: --cert cert\.pem needs --key: the file of that certificate's private key \(or use --cert adhoc/,
    ],
    [
      'a missing certificate file',
      ['--cert', 'missing.pem', '--key', 'key.pem'],
      {},
      /^Error: --cert missing\.pem: no such file \(.*missing\.pem\)\. Give the certificate's PEM file, or adhoc/,
    ],
    [
      'a missing key file',
      ['--cert', 'cert.pem', '--key', 'missing.key'],
      {},
      /^Error: --key missing\.key: no such file \(.*missing\.key\)\. Give the private key's PEM file\n/,
    ],
    [
      'a certificate file that is not PEM',
      ['--cert', 'app.ts', '--key', 'key.pem'],
      {},
      /^Error: --cert app\.ts is not a PEM certificate: it has no '-----BEGIN CERTIFICATE-----' line/,
    ],
    [
      'swapped files',
      ['--cert', 'key.pem', '--key', 'cert.pem'],
      {},
      /^Error: --cert key\.pem holds a private key, not a certificate: are --cert and --key swapped\?/,
    ],
    [
      'a key that is not the certificate’s',
      ['--cert', 'cert.pem', '--key', 'other.key'],
      {},
      /^Error: --key other\.key is not the private key of the certificate in --cert cert\.pem/,
    ],
    ['FLAGON_RUN_KEY without a certificate', [], { FLAGON_RUN_KEY: 'key.pem' }, /^Error: --key needs --cert/],
  ];
  it.each(cases)('%s', (_, args, env, message) => {
    const result = flagon(args, env);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
    expect(result.stdout).not.toContain('Running on'); // refused before the port was bound
  });

  it('lists --cert and --key in flagon run --help', () => {
    const help = flagon(['--help']).stdout;
    expect(help).toContain("--cert FILE|adhoc          serve HTTPS with this PEM certificate, or 'adhoc'");
    expect(help).toContain('--key FILE                 the certificate');
  });
});
