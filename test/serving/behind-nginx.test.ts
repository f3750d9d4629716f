/**
 * Flagon in production as issue 18 draws it: a real nginx (HTTPS, with an adhoc certificate) in front of two
 * `flagon serve` instances, one on a TCP port and one on a UNIX socket, their sessions in a private redis-server.
 * nginx runs the very config docs/deployment.md shows (the block after its `tested by` marker), with this test's
 * ports, socket and certificate put in place of the docs' ones. Runs dist/cli/main.js (npm run build first) on
 * test/fixtures/nginx-app; skips, naming .ci/install-system-deps.sh, when nginx or redis-server is missing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTls } from 'flagon/dev';
import { REPO } from '../helpers/dev-server.js';
import { freePort } from '../helpers/http.js';
import { MISSING_NGINX, NGINX, type NginxProcess, startNginx } from '../helpers/nginx.js';
import { BOOTED, killServes, type Primary, startServe } from '../helpers/prefork.js';
import { MISSING_REDIS, REDIS_SERVER, type RedisProcess, startRedis } from '../helpers/redis.js';
import { waitFor } from '../sessions/store-conformance.js';

const APP = fileURLToPath(new URL('../fixtures/nginx-app/app.ts', import.meta.url));
const DOCS = join(REPO, 'docs', 'deployment.md');
const MARKER = '<!-- tested by test/serving/behind-nginx.test.ts -->';
const missing = NGINX === null ? MISSING_NGINX : REDIS_SERVER === null ? MISSING_REDIS : null;
if (missing !== null) console.warn(`test/serving/behind-nginx.test.ts: ${missing}`);

/** The fenced nginx block right after MARKER in docs/deployment.md. */
function docsNginxConf(markdown: string): string {
  const at = markdown.indexOf(MARKER);
  if (at < 0) throw new Error(`docs/deployment.md has no ${MARKER} line before its nginx config`);
  const block = /^```nginx\n([\s\S]*?)^```$/m.exec(markdown.slice(at + MARKER.length));
  if (block === null) throw new Error(`docs/deployment.md has no \`\`\`nginx block after ${MARKER}`);
  return block[1]!;
}

/** The docs' config with each `[docs text, test text]` swapped in; each docs text must be there exactly once. */
function localise(conf: string, swaps: readonly (readonly [string, string])[]): string {
  let out = conf;
  for (const [from, to] of swaps) {
    const count = out.split(from).length - 1;
    if (count !== 1)
      throw new Error(`docs/deployment.md's nginx config has '${from}' ${count} times; the test replaces it once`);
    out = out.replace(from, to);
  }
  return out;
}

/** `flagon serve` on one bind with one worker; resolves once the worker booted and the bind is listening. */
async function startInstance(bind: string, env: Record<string, string>): Promise<Primary> {
  const primary = startServe(
    ['--bind', bind, '--workers', '1', '--forwarded-allow-ips', '127.0.0.1', '--graceful-timeout', '5'],
    env,
    { app: APP },
  );
  await primary.waitFor(/Listening at: /g);
  await primary.waitFor(BOOTED);
  return primary;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

describe.skipIf(missing !== null)('Flagon behind nginx: two flagon serve instances, sessions in Redis', () => {
  let dir: string;
  let redis: RedisProcess;
  let nginx: NginxProcess;
  let ca: string;
  let httpsPort: number;
  let httpPort: number;
  const servers: Primary[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagon-nginx-'));
    redis = await startRedis(dir);
    const tcpPort = await freePort();
    const socket = join(dir, 'flagon.sock');
    const env = { REDIS_URL: redis.url, NGINX_TEST_DIR: dir, SECRET_KEY: 'one secret for every instance' };
    servers.push(
      ...(await Promise.all([
        startInstance(`127.0.0.1:${tcpPort}`, { ...env, NGINX_TEST_INSTANCE: 'tcp' }),
        startInstance(`unix:${socket}`, { ...env, NGINX_TEST_INSTANCE: 'unix' }),
      ])),
    );
    // The certificate `flagon run --cert adhoc` makes (src/dev/adhoc-cert.ts), written where nginx reads it.
    const tls = (await loadTls({ cert: 'adhoc' }))!;
    ca = tls.cert;
    writeFileSync(join(dir, 'cert.pem'), tls.cert);
    writeFileSync(join(dir, 'key.pem'), tls.key, { mode: 0o600 });
    [httpsPort, httpPort] = [await freePort(), await freePort()];
    const conf = localise(docsNginxConf(readFileSync(DOCS, 'utf8')), [
      ['server 127.0.0.1:8000;', `server 127.0.0.1:${tcpPort};`],
      ['server unix:/run/notes/app.sock;', `server unix:${socket};`],
      ['listen 80;', `listen 127.0.0.1:${httpPort};`],
      ['listen 443 ssl;', `listen 127.0.0.1:${httpsPort} ssl;`],
      ['/etc/ssl/notes/fullchain.pem', join(dir, 'cert.pem')],
      ['/etc/ssl/notes/privkey.pem', join(dir, 'key.pem')],
    ]);
    nginx = await startNginx(dir, conf);
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
    // SIGTERM, as systemd stops them; anything still running (a failed start) is killed by killServes.
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.exited));
    killServes();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** One request to nginx over HTTPS, checked against the adhoc certificate, on a fresh connection. */
  function send(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: Buffer; from?: string } = {},
  ): Promise<Answer> {
    const options: RequestOptions = {
      host: '127.0.0.1',
      port: httpsPort,
      path,
      method: init.method ?? 'GET',
      headers: init.headers,
      ca,
      agent: false,
      localAddress: init.from,
    };
    return new Promise((resolve, reject) => {
      const req = httpsRequest(options, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(init.body);
    });
  }
  const instanceOf = (answer: Answer): string => String(answer.headers['x-flagon-instance']);
  const diagnostics = (): string =>
    `nginx:\n${nginx.log()}\n${servers.map((s) => `flagon serve:\n${s.out()}\n${s.err()}`).join('\n')}`;

  it('(a) after a login, requests alternate between both instances and every one sees the session', async () => {
    const login = await send('/login?user=ada', { method: 'POST' });
    expect(login.status, diagnostics()).toBe(200);
    const cookie = [login.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('session='));
    expect(cookie).toMatch(/^session=[^;]+;/);
    const sessionCookie = cookie!.split(';')[0]!;

    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await send('/me', { headers: { Cookie: sessionCookie } }));
    expect(answers.map((a) => [a.status, JSON.parse(a.text)])).toEqual(Array(8).fill([200, { user: 'ada' }]));
    const instances = answers.map(instanceOf);
    expect(new Set(instances)).toEqual(new Set(['tcp', 'unix']));
    // nginx's round robin over two equal servers: each request goes to the other one.
    for (let i = 1; i < instances.length; i++) expect(instances[i]).not.toBe(instances[i - 1]);
  });

  it('(b) request.remoteAddr is the client as nginx saw it, not the proxy, and not a forged X-Forwarded-For', async () => {
    // The client connects from 127.0.0.2, nginx reaches the instances from 127.0.0.1 (or the socket): three parties.
    const seen = [];
    for (let i = 0; i < 2; i++) {
      const answer = await send('/whoami', { from: '127.0.0.2', headers: { 'X-Forwarded-For': '6.6.6.6' } });
      expect(answer.status, diagnostics()).toBe(200);
      seen.push({ instance: instanceOf(answer), ...(JSON.parse(answer.text) as Record<string, unknown>) });
    }
    seen.sort((x, y) => x.instance.localeCompare(y.instance));
    expect(seen).toEqual([
      expect.objectContaining({
        instance: 'tcp',
        remoteAddr: '127.0.0.2', // $proxy_add_x_forwarded_for appended the peer; one trusted hop reads that value
        forwardedFor: '6.6.6.6, 127.0.0.2', // what the client forged stays in the header, unused
        proxyPeer: '127.0.0.1', // nginx, kept under environ['flagon.proxy_fix.orig']
      }),
      expect.objectContaining({
        instance: 'unix',
        remoteAddr: '127.0.0.2',
        forwardedFor: '6.6.6.6, 127.0.0.2',
        proxyPeer: '', // a UNIX socket peer has no address, and is trusted
      }),
    ]);
  });

  it('(c) request.scheme and urlFor(…, { external: true }) show the https URL the client used', async () => {
    for (let i = 0; i < 2; i++) {
      const answer = await send('/whoami?x=1');
      expect(JSON.parse(answer.text)).toEqual(
        expect.objectContaining({
          scheme: 'https',
          host: `127.0.0.1:${httpsPort}`,
          url: `https://127.0.0.1:${httpsPort}/whoami?x=1`,
          external: `https://127.0.0.1:${httpsPort}/whoami`,
          proxyScheme: 'http', // nginx spoke plain HTTP to the instance
        }),
      );
    }
    // The plain-HTTP server of the docs' config only redirects to HTTPS.
    const plain = await new Promise<Answer>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: httpPort, path: '/me?x=1', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: '' }));
      })
        .on('error', reject)
        .end();
    });
    expect([plain.status, plain.headers.location]).toEqual([301, 'https://127.0.0.1/me?x=1']);
  });

  it.each([
    ['/stream/', 'a location with proxy_buffering off'],
    ['/events/', 'a response with X-Accel-Buffering: no'],
  ])('(d) a streamed response arrives in chunks, the first before the view has finished: %s, %s', async (path) => {
    for (let i = 0; i < 2; i++) {
      const token = `${path.replaceAll('/', '')}-${i}`;
      const answer = await new Promise<{ first: string; rest: string; headers: IncomingHttpHeaders }>(
        (resolve, reject) => {
          // nginx buffering the response would hold even its headers until the view ends, which it never does.
          const stuck = setTimeout(() => {
            req.destroy();
            reject(new Error(`no first chunk from ${path}${token} within 5 s: did nginx buffer it?\n${diagnostics()}`));
          }, 5000);
          const req = httpsRequest(
            { host: '127.0.0.1', port: httpsPort, path: path + token, ca, agent: false },
            (res) => {
              res.setEncoding('utf8');
              let first: string | null = null;
              let rest = '';
              res.on('data', (chunk: string) => {
                if (first !== null) {
                  rest += chunk;
                  return;
                }
                first = chunk;
                clearTimeout(stuck);
                // Only now may the view go on.
                writeFileSync(join(dir, `release-${token}`), '');
              });
              res.on('end', () => resolve({ first: first ?? '', rest, headers: res.headers }));
              res.on('error', reject);
            },
          );
          req.on('error', reject);
          req.end();
        },
      );
      const instance = String(answer.headers['x-flagon-instance']);
      expect([answer.first, answer.rest]).toEqual([`first from ${instance}\n`, 'last\n']);
      expect(answer.headers['x-accel-buffering']).toBeUndefined(); // nginx reads it and keeps it to itself
    }
  });

  it("(e) a body over client_max_body_size gets nginx's 413; one at MAX_CONTENT_LENGTH reaches the app", async () => {
    const limit = 1024 * 1024;
    const atLimit = await send('/upload', { method: 'POST', body: Buffer.alloc(limit, 'x') });
    expect([atLimit.status, atLimit.text]).toEqual([200, String(limit)]);
    const over = await send('/upload', { method: 'POST', body: Buffer.alloc(limit + 1, 'x') });
    expect(over.status).toBe(413);
    expect(over.headers['x-flagon-instance']).toBeUndefined(); // nginx answered; no instance saw it
    expect(over.text).toMatch(/413 Request Entity Too Large[\s\S]*nginx/);
  });

  it('(f) Redis stopped: 503 through nginx from both instances, which survive and serve again', async () => {
    const login = await send('/login?user=grace', { method: 'POST' });
    const sessionCookie = [login.headers['set-cookie'] ?? []].flat()[0]!.split(';')[0]!;
    await redis.stop();
    try {
      const down = [await send('/me', { headers: { Cookie: sessionCookie } })];
      down.push(await send('/me', { headers: { Cookie: sessionCookie } }));
      expect(down.map((a) => a.status)).toEqual([503, 503]); // not nginx's 502, not a 500
      expect(new Set(down.map(instanceOf))).toEqual(new Set(['tcp', 'unix']));
      expect(down[0]!.text).not.toMatch(/redis/i);
      // A request that touches no session does not need Redis.
      expect((await send('/public')).status).toBe(200);
    } finally {
      redis = await startRedis(dir); // same socket; the data is gone (no persistence)
    }
    // Each instance's client reconnects on its own; until it has, a login there is a 503.
    const working = new Set<string>();
    await waitFor(
      async () => {
        const answer = await send('/login?user=grace', { method: 'POST' });
        if (answer.status === 200) working.add(instanceOf(answer));
        return working.size === 2;
      },
      10_000,
      'both instances log in again once Redis is back',
    );
    for (const server of servers) {
      expect(server.child.exitCode).toBe(null);
      expect(server.out()).not.toMatch(/replacing it/); // the worker never died
      expect(server.err()).toMatch(/503 Service Unavailable: Redis at unix:.* did not answer/);
    }
  });
});
