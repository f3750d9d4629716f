/**
 * HTTPS in the development server, over real TLS on 127.0.0.1: `run(app, { cert, key })` with a certificate signed by
 * a CA that openssl makes for the test (curl and node verify it with that CA), `cert: 'adhoc'` (curl -k, and a node
 * client that pins the served certificate), the errors that name the fix before any port is bound, and the reloader's
 * children serving HTTPS for `flagon run --debug --cert adhoc` and for `app.run()` from a script.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, FlagonError, request, urlFor } from 'flagon';
import { loadTls, type RunningApp, run } from 'flagon/dev';
import { CLI, makeProject, REPO } from '../helpers/dev-server.js';
import { freePort } from '../helpers/http.js';

const OPENSSL = '/usr/bin/openssl';
const CURL = '/usr/bin/curl';
const haveTools = existsSync(OPENSSL) && existsSync(CURL);
const skipped = haveTools ? '' : ` (skipped: ${existsSync(OPENSSL) ? CURL : OPENSSL} is missing: apt-get install it)`;
const execFileAsync = promisify(execFile);

/** curl's status code and body; `-w` appends the status after a newline. */
async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await execFileAsync(CURL, ['-sS', '--max-time', '10', '-w', '\n%{http_code}', ...args]);
  const cut = stdout.lastIndexOf('\n');
  return { body: stdout.slice(0, cut), status: Number(stdout.slice(cut + 1)) };
}

/** curl's exit code when it fails (60: the peer's certificate cannot be verified). */
async function curlFails(args: string[]): Promise<number> {
  try {
    await execFileAsync(CURL, ['-sS', '--max-time', '10', ...args]);
  } catch (error) {
    return (error as { code: number }).code;
  }
  throw new Error(`curl ${args.join(' ')} succeeded`);
}

/** One GET with node's https client: status, body and the certificate the server showed. */
function httpsGet(
  url: string,
  options: RequestOptions = {},
): Promise<{ status: number; body: string; peer: PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { agent: false, ...options }, (res) => {
      const peer = (res.socket as TLSSocket).getPeerCertificate();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, peer }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openssl(cwd: string, ...args: string[]): Promise<unknown> {
  return execFileAsync(OPENSSL, args, { cwd });
}

/** The app the `flagon` command serves in these tests: its index answers with its external URL and the scheme. */
const APP_SOURCE = `import { App, request, urlFor } from 'flagon';
export const app = new App(import.meta.url, { name: 'https-cli' });
app.get('/', () => \`\${urlFor('index', {}, { external: true })} \${request.scheme}\`);
`;

/** A test app: its index, a view that answers with its external URL and the scheme, and one that throws. */
function makeApp(): App {
  const app = new App(import.meta.url, { name: 'https-demo', staticFolder: null });
  app.get('/', () => 'secure hello');
  app.get('/where', () => `${urlFor('index', {}, { external: true })} ${request.scheme}`);
  app.get('/boom', () => {
    throw new Error('broken under TLS');
  });
  return app;
}

/** run() with the banner captured (the request log off). */
async function runCaptured(
  app: App,
  options: Parameters<typeof run>[1],
): Promise<{ running: RunningApp; out: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { running: await run(app, { port: 0, reload: false, log: false, ...options }), out };
  } finally {
    process.stdout.write = write;
  }
}

/**
 * Starts a process and resolves with the URL of its ` * Running on URL` line once its output also matches `until`
 * (by default, the banner's end): it waits on the output, not a clock.
 */
function startServing(
  command: string,
  args: string[],
  cwd: string,
  until = /Press CTRL\+C to quit\n/,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner after 20 s; stdout:\n${out}\nstderr:\n${err}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = / \* Running on (\S+)\n/.exec(out);
      if (match && until.test(out)) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => out });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before its banner; stdout:\n${out}\nstderr:\n${err}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe.skipIf(!haveTools)(`HTTPS with --cert/--key files${skipped}`, () => {
  let dir: string;
  let ca: string;
  let cert: string;
  let key: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagon-https-'));
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    await openssl(
      dir,
      ...['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Flagon test CA'],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'],
    );
    await openssl(dir, 'req', ...ec, '-keyout', 'key.pem', '-out', 'server.csr', '-subj', '/CN=localhost');
    writeFileSync(
      join(dir, 'ext.cnf'),
      'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
    );
    await openssl(
      dir,
      ...['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'],
      ...['-out', 'cert.pem', '-days', '2', '-extfile', 'ext.cnf'],
    );
    // For the errors: another key, the same key under a passphrase, and a file that is no PEM at all.
    await openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'other.key');
    await openssl(dir, 'pkey', '-in', 'key.pem', '-aes256', '-passout', 'pass:secret', '-out', 'encrypted.key');
    writeFileSync(join(dir, 'garbage.pem'), 'this is not a certificate\n');
    writeFileSync(
      join(dir, 'broken.pem'),
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n',
    );
    mkdirSync(join(dir, 'folder.pem'));
    [ca, cert, key] = ['ca.pem', 'cert.pem', 'key.pem'].map((name) => join(dir, name)) as [string, string, string];
  }, 30_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves https: the banner, curl --cacert gets 200, and urlFor(external) and request.scheme say https', async () => {
    const { running, out } = await runCaptured(makeApp(), { cert, key, debug: true });
    try {
      expect(running.url).toBe(`https://127.0.0.1:${running.port}`);
      expect(out).toContain(` * Running on https://127.0.0.1:${running.port}\n`);
      expect(out).not.toContain('adhoc');
      expect(await curl(['--cacert', ca, `${running.url}/`])).toEqual({ status: 200, body: 'secure hello' });
      expect(await curl(['--cacert', ca, `${running.url}/where`])).toEqual({
        status: 200,
        body: `https://127.0.0.1:${running.port}/ https`,
      });
      // The name in the certificate is checked too: localhost matches its DNS name.
      const byName = await curl(['--cacert', ca, `https://localhost:${running.port}/`]);
      expect(byName.status).toBe(200);
      // Without the CA, curl refuses the certificate (60: peer certificate cannot be authenticated).
      expect(await curlFails([`${running.url}/`])).toBe(60);
    } finally {
      await running.close();
    }
  });

  it("is verified by node's https client with the CA, and refused without it", async () => {
    const { running } = await runCaptured(makeApp(), { cert, key, banner: false });
    try {
      const response = await httpsGet(`${running.url}/where`, { ca: readFileSync(ca) });
      expect(response.status).toBe(200);
      expect(response.body).toBe(`https://127.0.0.1:${running.port}/ https`);
      expect(response.peer.subject.CN).toBe('localhost');
      await expect(httpsGet(`${running.url}/`)).rejects.toMatchObject({
        code: expect.stringMatching(/^UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)$/),
      });
    } finally {
      await running.close();
    }
  });

  it('shows the debug page over https', async () => {
    const errors = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    const { running } = await runCaptured(makeApp(), { cert, key, debug: true, banner: false });
    try {
      const page = await curl(['--cacert', ca, `${running.url}/boom`]);
      expect(page.status).toBe(500);
      expect(page.body).toContain('broken under TLS');
      expect(page.body).toContain('https.test.ts');
    } finally {
      await running.close();
      process.stderr.write = errors;
    }
  });

  it('flagon run --cert FILE --key FILE (no reloader): curl --cacert gets 200 and https URLs', async () => {
    const project = makeProject({ 'app.ts': APP_SOURCE });
    const served = await startServing(
      process.execPath,
      [CLI, 'run', '--cert', cert, '--key', key, '--port', '0'],
      project.dir,
    );
    try {
      expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await curl(['--cacert', ca, `${served.url}/`])).toEqual({ status: 200, body: `${served.url}/ https` });
    } finally {
      await stop(served.child);
      project.remove();
    }
  }, 30_000);

  const badOptions: [string, Record<string, string>, RegExp][] = [
    ['a key without a certificate', { key: 'key.pem' }, /^options\.key needs options\.cert: give the certificate's/],
    ['adhoc with a key', { cert: 'adhoc', key: 'key.pem' }, /^options\.key is not used with options\.cert adhoc/],
    ['a certificate without its key', { cert: 'cert.pem' }, /^options\.cert cert\.pem needs options\.key: the file of/],
    ['a missing certificate file', { cert: 'nope.pem', key: 'key.pem' }, /^options\.cert nope\.pem: no such file \(/],
    [
      'a missing key file',
      { cert: 'cert.pem', key: 'nope.key' },
      /^options\.key nope\.key: no such file \(.*\)\. Give/,
    ],
    ['a folder for a file', { cert: 'folder.pem', key: 'key.pem' }, /^options\.cert folder\.pem: that is a folder/],
    [
      'a file that is not PEM',
      { cert: 'garbage.pem', key: 'key.pem' },
      /garbage\.pem is not a PEM certificate: it has/,
    ],
    ['a PEM block that does not parse', { cert: 'broken.pem', key: 'key.pem' }, /broken\.pem has a '-----BEGIN CE/],
    ['swapped files', { cert: 'key.pem', key: 'cert.pem' }, /key\.pem holds a private key, not a certificate: are/],
    ['a key of another certificate', { cert: 'cert.pem', key: 'other.key' }, /other\.key is not the private key of/],
    ['a key under a passphrase', { cert: 'cert.pem', key: 'encrypted.key' }, /encrypted\.key is encrypted with a pass/],
    ['a key file that is a certificate', { cert: 'cert.pem', key: 'ca.pem' }, /ca\.pem holds a certificate, not a/],
  ];
  it.each(badOptions)('refuses %s with an error that names the fix', async (_, files, message) => {
    const error = await loadTls(files, { cwd: dir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlagonError);
    expect((error as FlagonError).code).toBe('FLAGON_ERR_BAD_ARGUMENT');
    expect((error as FlagonError).message).toMatch(message);
  });

  it('refuses bad options in run() before it binds the port', async () => {
    const port = await freePort();
    const app = makeApp();
    await expect(run(app, { port, reload: false, cert: join(dir, 'cert.pem') })).rejects.toThrow(
      /options\.cert .*cert\.pem needs options\.key/,
    );
    await expect(run(app, { port, reload: true, cert: 'adhoc', key: key })).rejects.toThrow(/not used with/);
    // The port is still free: nothing was bound before the error.
    const probe = createNetServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
  });
});

describe.skipIf(!haveTools)(`HTTPS with cert: 'adhoc'${skipped}`, () => {
  it('serves a throwaway certificate for localhost: curl -k gets 200 and https URLs, curl without -k is refused', async () => {
    const { running, out } = await runCaptured(makeApp(), { cert: 'adhoc' });
    try {
      expect(out).toContain(' * HTTPS with a throwaway self-signed certificate (adhoc)');
      expect(out).toContain(` * Running on https://127.0.0.1:${running.port}\n`);
      expect(await curl(['-k', `${running.url}/where`])).toEqual({
        status: 200,
        body: `https://127.0.0.1:${running.port}/ https`,
      });
      expect(await curlFails([`${running.url}/`])).toBe(60);
    } finally {
      await running.close();
    }
  });

  it('shows node a certificate for localhost and 127.0.0.1 that verifies when pinned as its own CA', async () => {
    const { running } = await runCaptured(makeApp(), { cert: 'ADHOC', banner: false });
    try {
      const first = await httpsGet(`${running.url}/`, { rejectUnauthorized: false });
      expect(first.status).toBe(200);
      expect(first.body).toBe('secure hello');
      expect(first.peer.subject.CN).toBe('localhost');
      expect(first.peer.subjectaltname).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
      // Trusting exactly that certificate, node's full verification (signature, dates, the IP in the name) passes.
      const served = new X509Certificate(first.peer.raw);
      expect(served.verify(served.publicKey)).toBe(true);
      const pinned = await httpsGet(`${running.url}/where`, { ca: served.toString() });
      expect(pinned.body).toBe(`https://127.0.0.1:${running.port}/ https`);
    } finally {
      await running.close();
    }
  });

  it('makes a fresh certificate each start, in memory, with the bound host among its names', async () => {
    const cwd = readdirSync(process.cwd()).sort();
    const a = await loadTls({ cert: 'adhoc' });
    const b = await loadTls({ cert: 'adhoc' }, { host: '192.0.2.7' });
    expect(readdirSync(process.cwd()).sort()).toEqual(cwd);
    const [certA, certB] = [new X509Certificate(a!.cert), new X509Certificate(b!.cert)];
    expect(certA.serialNumber).not.toBe(certB.serialNumber);
    expect(certA.checkPrivateKey(createPrivateKey(a!.key))).toBe(true);
    expect(certB.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:192.0.2.7',
    );
    expect(Date.parse(certA.validTo) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(Date.parse(certA.validFrom)).toBeLessThan(Date.now());
  });

  it('loads the certificate maker only for adhoc: no module imports it statically', () => {
    const dev = join(REPO, 'src', 'dev');
    const importers = readdirSync(dev).filter((file) =>
      /^import [^;]*from '\.\/adhoc-cert\.js'/m.test(readFileSync(join(dev, file), 'utf8')),
    );
    expect(importers).toEqual([]);
    expect(readFileSync(join(dev, 'tls.ts'), 'utf8')).toContain("await import('./adhoc-cert.js')");
  });
});

// These start the built CLI (dist/), as the other `flagon run` tests do (`npm test` builds first), as does the
// `flagon run --cert FILE --key FILE` test above.
describe.skipIf(!haveTools)(`HTTPS under the reloader${skipped}`, () => {
  it('flagon run --debug --cert adhoc: the child serves https', async () => {
    const project = makeProject({ 'app.ts': APP_SOURCE });
    const served = await startServing(
      process.execPath,
      [CLI, 'run', '--debug', '--cert', 'adhoc', '--port', '0'],
      project.dir,
      / \* Debugger is active!\n/, // printed by the reloader's parent after its banner
    );
    try {
      expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(served.output()).toMatch(
        / \* Running on https:\/\/127\.0\.0\.1:\d+\nPress CTRL\+C to quit\n \* Restarting with fs\.watch/,
      );
      expect(await curl(['-k', `${served.url}/`])).toEqual({ status: 200, body: `${served.url}/ https` });
    } finally {
      await stop(served.child);
      project.remove();
    }
  }, 40_000);

  it("app.run({ debug: true, cert: 'adhoc' }) from a script: the reloader's child serves https", async () => {
    const project = makeProject({
      'app.ts': APP_SOURCE,
      'server.ts': "import { app } from './app.js';\nawait app.run({ port: 0, debug: true, cert: 'adhoc' });\n",
    });
    const loader = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const served = await startServing(process.execPath, ['--import', loader, 'server.ts'], project.dir);
    try {
      expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const response = await httpsGet(`${served.url}/`, { rejectUnauthorized: false });
      expect(response.body).toBe(`${served.url}/ https`);
      expect(response.peer.subject.CN).toBe('localhost');
    } finally {
      await stop(served.child);
      project.remove();
    }
  }, 40_000);
});
