/**
 * `flagon static`: a folder over real HTTP, as `python -m http.server` serves one: listings, index.html, 304, 206,
 * and no way out of the folder. The command runs from src/ through tsx, on port 0, stopped by its PID.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/dev-server.js';
import { exchangeRaw, fetchRaw } from '../helpers/http.js';

const TSX = join(REPO, 'node_modules/tsx/dist/loader.mjs');
const MAIN = join(REPO, 'src/cli/main.ts');

const root = mkdtempSync(join(tmpdir(), 'flagon-static-'));
const site = join(root, 'site');
const EVIL = '<img src=x onerror=alert(1)>.txt';
mkdirSync(join(site, 'docs'), { recursive: true });
mkdirSync(join(site, 'with index'));
mkdirSync(join(site, 'evil.example')); // a mirrored site's folder, named as a host
writeFileSync(join(site, 'Zebra.txt'), 'z');
writeFileSync(join(site, 'apple.txt'), 'apple pie\n');
writeFileSync(join(site, 'Banana.TXT'), 'bb');
writeFileSync(join(site, EVIL), 'evil');
writeFileSync(join(site, 'docs', 'guide.md'), '# Guide\n');
symlinkSync(join(site, 'apple.txt'), join(site, 'docs', 'apple-link.txt'));
writeFileSync(join(site, 'with index', 'index.html'), '<h1>the index</h1>\n');
writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
mkdirSync(join(root, 'private'));
writeFileSync(join(root, 'private', 'key.pem'), 'PRIVATE KEY');
symlinkSync(join(root, 'secret.txt'), join(site, 'leak.txt'));
symlinkSync(join(root, 'private'), join(site, 'private-link'));
utimesSync(join(site, 'apple.txt'), new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));

let child: ChildProcess;
let url = '';
let stderr = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', TSX, MAIN, 'static', site, '--port', '0'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = / \* Running on (http:\/\/\S+)\n/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`flagon static exited (${code}):\n${out}\n${stderr}`)));
  });
}, 30_000);

afterAll(async () => {
  if (child.exitCode === null) {
    await new Promise((resolve) => {
      child.once('exit', resolve);
      process.kill(child.pid!, 'SIGTERM');
    });
  }
  rmSync(root, { recursive: true, force: true });
});

/** A raw request, so the target reaches the server exactly as written (an HTTP client would normalise `..`). */
const raw = (target: string): Promise<string> =>
  exchangeRaw(Number(new URL(url).port), `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);

describe('flagon static', () => {
  it('binds 127.0.0.1 by default and logs each request', async () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
    await fetchRaw(`${url}/apple.txt?from=log`);
    await expect.poll(() => stderr).toMatch(/127\.0\.0\.1 - - \[.+\] "GET \/apple\.txt\?from=log HTTP\/1\.1" 200 -/);
  });

  it('lists a folder: names escaped and sorted ignoring case, folders with a slash, sizes and dates', async () => {
    const page = await fetchRaw(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<title>Directory listing for /</title>');
    const names = [...page.text.matchAll(/<td><a href="([^"]*)">([^<]*)<\/a><\/td><td>([^<]*)<\/td>/g)].map((m) => [
      m[2],
      m[1],
      m[3],
    ]);
    expect(names).toEqual([
      ['&lt;img src=x onerror=alert(1)&gt;.txt', '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E.txt', '4'],
      ['apple.txt', 'apple.txt', '10'],
      ['Banana.TXT', 'Banana.TXT', '2'],
      ['docs/', 'docs/', '-'],
      ['evil.example/', 'evil.example/', '-'],
      // Links out of the folder are not served, so the page tells nothing of what they point to.
      ['leak.txt@', 'leak.txt', '-'],
      ['private-link@', 'private-link', '-'],
      ['with index/', 'with%20index/', '-'],
      ['Zebra.txt', 'Zebra.txt', '1'],
    ]);
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('<time datetime="2026-01-02T03:04:05.000Z">2026-01-02 03:04</time>');
    expect(page.text).not.toContain('href="../"'); // nothing above the root
    const sub = await fetchRaw(`${url}/docs/`);
    expect(sub.text).toContain('<title>Directory listing for /docs/</title>');
    expect(sub.text).toContain('<a href="../">../</a>');
    expect(sub.text).toContain('<a href="guide.md">guide.md</a>');
    expect(sub.text).toMatch(/<a href="apple-link\.txt">apple-link\.txt@<\/a><\/td><td>10<\/td>/); // a link inside: shown as its file
  });

  it('redirects a folder to its slash, and answers it with index.html when there is one', async () => {
    const moved = await fetchRaw(`${url}/docs?x=1`);
    expect([moved.status, moved.headers.location]).toEqual([301, '/docs/?x=1']);
    // Never to another site: `//evil.example/` is a URL of the host evil.example (it was sent as is).
    for (const path of ['//evil.example', '/%2fevil.example', '///evil.example'])
      expect((await fetchRaw(`${url}${path}`)).headers.location).toBe('/evil.example/');
    const index = await fetchRaw(`${url}/with%20index/`);
    expect([index.status, index.text, index.headers['content-type']]).toEqual([
      200,
      '<h1>the index</h1>\n',
      'text/html; charset=utf-8',
    ]);
  });

  it('serves files with validators: 304 when unchanged, 206 for a range, 416 past the end', async () => {
    const file = await fetchRaw(`${url}/apple.txt`);
    expect([file.status, file.text, file.headers['content-type'], file.headers['cache-control']]).toEqual([
      200,
      'apple pie\n',
      'text/plain; charset=utf-8',
      'no-cache',
    ]);
    expect(file.headers['last-modified']).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
    const unchanged = await fetchRaw(`${url}/apple.txt`, { headers: { 'If-None-Match': file.headers.etag! } });
    expect([unchanged.status, unchanged.body.byteLength]).toEqual([304, 0]);
    const since = await fetchRaw(`${url}/apple.txt`, {
      headers: { 'If-Modified-Since': 'Fri, 02 Jan 2026 03:04:05 GMT' },
    });
    expect(since.status).toBe(304);
    const part = await fetchRaw(`${url}/apple.txt`, { headers: { Range: 'bytes=6-8' } });
    expect([part.status, part.text, part.headers['content-range']]).toEqual([206, 'pie', 'bytes 6-8/10']);
    const suffix = await fetchRaw(`${url}/apple.txt`, { headers: { Range: 'bytes=-4' } });
    expect([suffix.status, suffix.text]).toEqual([206, 'pie\n']);
    expect((await fetchRaw(`${url}/apple.txt`, { headers: { Range: 'bytes=50-' } })).status).toBe(416);
  });

  it('refuses to leave the folder: dot-dot in any spelling, and links out of it', async () => {
    for (const target of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/docs/..%2f..%2fsecret.txt',
      '/docs/%2E%2E/%2E%2E/secret.txt',
      '/..%5csecret.txt',
      '//etc/passwd',
      '/leak.txt',
      '/private-link/',
      '/private-link/key.pem',
    ]) {
      const answer = await raw(target);
      expect(answer, target).toMatch(/^HTTP\/1\.1 404 NOT FOUND\r\n/i);
      expect(answer, target).not.toMatch(/TOP SECRET|PRIVATE KEY|root:/);
    }
  });

  it('answers 404 for what is not there and 405 for methods other than GET and HEAD', async () => {
    expect((await fetchRaw(`${url}/nothing.txt`)).status).toBe(404);
    const post = await fetchRaw(`${url}/apple.txt`, { method: 'POST', body: 'x' });
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    const head = await fetchRaw(`${url}/apple.txt`, { method: 'HEAD' });
    expect([head.status, head.body.byteLength, head.headers['content-length']]).toEqual([200, 0, '10']);
  });

  it('names the fix for a folder that is not one', () => {
    const result = spawnSync(process.execPath, ['--import', TSX, MAIN, 'static', join(root, 'secret.txt')], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `Error: flagon static serves a folder, and ${join(root, 'secret.txt')} is not one; give the folder to serve: flagon static DIR\n`,
    );
  });
});
