/** A streamed body a response never sends (HEAD, 304) is released: no file descriptor leaks, no late ENOENT crash. */
import { createReadStream, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Response } from 'flagon';
import type { GatewayApp } from 'flagon/gateway';
import { serve, silentStream, type RunningServer } from 'flagon/serving';

const dir = mkdtempSync(join(tmpdir(), 'flagon-stream-close-'));
const file = join(dir, 'data.txt');
writeFileSync(file, 'x'.repeat(4096));
const missing = join(dir, 'missing.txt');

const app = new App(import.meta.url, { name: 'stream-close', staticFolder: null });
app.get('/response', () => new Response(createReadStream(file), { mimetype: 'text/plain' }));
app.get('/bare', () => createReadStream(file));
app.get('/conditional', (req) => {
  const response = new Response(createReadStream(file), { mimetype: 'text/plain' });
  response.setEtag('v1');
  return response.makeConditional(req);
});
app.get('/missing', () => new Response(createReadStream(missing), { mimetype: 'text/plain' }));
app.get('/missing-bare', () => createReadStream(missing));
let innerCloses = 0;
const inner: GatewayApp = (_environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return Object.assign([new TextEncoder().encode('inner')], {
    close: () => {
      innerCloses++;
    },
  });
};
app.get('/tsgi', () => inner);

/** One keep-alive connection for every request, so the client's own sockets do not move the count. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
let server: RunningServer;
beforeAll(async () => {
  server = await serve(app.gatewayApp, { port: 0, errors: silentStream });
});
afterAll(async () => {
  agent.destroy();
  await server.close();
});

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}
function send(path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { method, headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const openFds = (): number => readdirSync('/proc/self/fd').length;
/** Room for descriptors that Node, vitest or a closing read opens meanwhile; a leak is one per request. */
const SLACK = 15;

describe.runIf(existsSync('/proc/self/fd'))('bodies that are never sent are released', () => {
  it('100 HEADs of a Response over a file stream and of a bare stream open no descriptor for good', async () => {
    await send('/response', 'HEAD');
    await send('/bare', 'HEAD');
    const before = openFds();
    for (let i = 0; i < 50; i++) {
      const head = await send('/response', 'HEAD');
      const bare = await send('/bare', 'HEAD');
      expect([head.status, head.body, bare.status, bare.body]).toEqual([200, '', 200, '']);
    }
    // The last answer is out before its stream's close finishes in the thread pool: one more round trip lets it.
    expect((await send('/response')).body).toHaveLength(4096);
    expect(openFds() - before).toBeLessThan(SLACK);
  });

  it('100 conditional GETs answered 304 open no descriptor for good', async () => {
    await send('/conditional', 'GET', { 'If-None-Match': '"v1"' });
    const before = openFds();
    for (let i = 0; i < 100; i++) {
      const answer = await send('/conditional', 'GET', { 'If-None-Match': '"v1"' });
      expect([answer.status, answer.body]).toEqual([304, '']);
    }
    expect((await send('/conditional')).body).toHaveLength(4096);
    expect(openFds() - before).toBeLessThan(SLACK);
  });
});

describe('a streamed body over a missing file', () => {
  it('is a 500 for GET and a bodiless 200 for HEAD, and the server keeps serving', async () => {
    // HEAD never reads the body, so it cannot learn the file is missing; the late ENOENT must not crash the process.
    for (const path of ['/missing', '/missing-bare']) {
      expect((await send(path)).status).toBe(500);
      const head = await send(path, 'HEAD');
      expect([head.status, head.body]).toEqual([200, '']);
    }
    // A request after the failed opens have settled: the process is alive and answers.
    expect((await send('/response')).body).toHaveLength(4096);
    expect((await send('/missing-bare', 'HEAD')).status).toBe(200);
    expect((await send('/response', 'HEAD')).status).toBe(200);
  });
});

describe('a TSGI app a view returns', () => {
  it('has its body closed once, for HEAD too (docs/gateway.md §5.3)', async () => {
    innerCloses = 0;
    expect((await send('/tsgi')).body).toBe('inner');
    expect(innerCloses).toBe(1);
    const head = await send('/tsgi', 'HEAD');
    expect([head.status, head.body, innerCloses]).toEqual([200, '', 2]);
  });
});
