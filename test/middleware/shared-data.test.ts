/** sharedData: files from folders and single files in front of an app, with validators, 304s and ranges. */
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayApp } from 'flagon/gateway';
import { lint, sharedData } from 'flagon/middleware';
import { TestClient, createEnviron, runApp } from 'flagon/testing';

const root = mkdtempSync(join(tmpdir(), 'flagon-shared-'));
const pub = join(root, 'public');
const extra = join(root, 'extra');
mkdirSync(join(pub, 'css'), { recursive: true });
mkdirSync(join(pub, 'empty-dir'));
mkdirSync(extra);
writeFileSync(join(pub, 'hello.txt'), 'Hello, shared world!\n');
writeFileSync(join(pub, 'css', 'site.css'), 'body { color: teal }\n');
writeFileSync(join(pub, 'data.unknownext'), 'opaque');
writeFileSync(join(pub, '.secret'), 'dotfile');
writeFileSync(join(root, 'outside.txt'), 'the server config');
writeFileSync(join(root, 'favicon.ico'), 'ICO');
writeFileSync(join(extra, 'only-in-extra.txt'), 'from extra');
symlinkSync(join(root, 'outside.txt'), join(pub, 'leak.txt'));
symlinkSync(join(pub, 'hello.txt'), join(pub, 'alias.txt'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The app behind the files: says it was reached, with the method and path. */
const fallback: GatewayApp = (environ, startResponse) => {
  startResponse('404 Not Found', [['Content-Type', 'text/plain; charset=utf-8']]);
  return [new TextEncoder().encode(`app: ${environ.REQUEST_METHOD} ${environ.PATH_INFO}`)];
};

const served = lint(
  sharedData(fallback, { '/static': pub, '/static/more': extra, '/favicon.ico': join(root, 'favicon.ico') }),
);
const client = new TestClient({ gatewayApp: served });

describe('sharedData', () => {
  it('serves a file with its type, length, validators and a twelve-hour cache, as Werkzeug', async () => {
    const response = await client.get('/static/css/site.css');
    expect(response.status).toBe(200);
    expect(response.text).toBe('body { color: teal }\n');
    expect(response.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('Content-Length')).toBe('21');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=43200');
    expect(response.headers.get('ETag')).toMatch(/^"[0-9a-f]+-15"$/);
    // The file's own mtime, to the second (HTTP dates have whole seconds), not a window around the clock.
    expect(new Date(response.headers.get('Last-Modified')!).getTime()).toBe(
      Math.floor(statSync(join(pub, 'css', 'site.css')).mtimeMs / 1000) * 1000,
    );
    expect(response.headers.get('Accept-Ranges')).toBe('bytes');
  });

  it('answers conditional requests with 304 and ranges with 206 or 416', async () => {
    const first = await client.get('/static/hello.txt');
    const etag = first.headers.get('ETag')!;
    const byTag = await client.get('/static/hello.txt', { headers: { 'If-None-Match': etag } });
    expect(byTag.status).toBe(304);
    expect(byTag.body.byteLength).toBe(0);
    expect(byTag.headers.get('ETag')).toBe(etag);
    const byDate = await client.get('/static/hello.txt', {
      headers: { 'If-Modified-Since': first.headers.get('Last-Modified')! },
    });
    expect(byDate.status).toBe(304);
    const part = await client.get('/static/hello.txt', { headers: { Range: 'bytes=7-12' } });
    expect(part.status).toBe(206);
    expect(part.text).toBe('shared');
    expect(part.headers.get('Content-Range')).toBe('bytes 7-12/21');
    const stale = await client.get('/static/hello.txt', { headers: { Range: 'bytes=0-4', 'If-Range': '"other"' } });
    expect([stale.status, stale.text]).toEqual([200, 'Hello, shared world!\n']);
    const beyond = await client.get('/static/hello.txt', { headers: { Range: 'bytes=100-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('Content-Range')).toBe('bytes */21');
    const precondition = await client.get('/static/hello.txt', { headers: { 'If-Match': '"nope"' } });
    expect(precondition.status).toBe(412);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await client.head('/static/hello.txt');
    expect([response.status, response.body.byteLength, response.headers.get('Content-Length')]).toEqual([200, 0, '21']);
  });

  it('serves a single mounted file at its exact path only', async () => {
    const icon = await client.get('/favicon.ico');
    expect([icon.status, icon.text, icon.headers.get('Content-Type')]).toEqual([
      200,
      'ICO',
      'image/vnd.microsoft.icon',
    ]);
    expect((await client.get('/favicon.ico/x')).text).toBe('app: GET /favicon.ico/x');
  });

  it('tries the longest prefix first, then the shorter ones', async () => {
    expect((await client.get('/static/more/only-in-extra.txt')).text).toBe('from extra');
    // Not in extra/: public/more/… is tried next, and then the app.
    expect((await client.get('/static/more/hello.txt')).text).toBe('app: GET /static/more/hello.txt');
  });

  it('falls through to the app for what it does not serve', async () => {
    for (const path of [
      '/static/missing.txt',
      '/static/css',
      '/static/css/',
      '/static/empty-dir/',
      '/static',
      '/staticx/hello.txt',
      '/other',
    ]) {
      expect((await client.get(path)).text, path).toBe(`app: GET ${path}`);
    }
    expect((await client.post('/static/hello.txt')).text).toBe('app: POST /static/hello.txt');
    expect((await client.delete('/static/hello.txt')).text).toBe('app: DELETE /static/hello.txt');
  });

  it('never leaves the folder: dot-dot, absolute paths, encoded separators and links out fall through', async () => {
    // PATH_INFO is decoded once by the server, so %2e%2e arrives as '..' and is refused like it.
    for (const path of [
      '/static/../outside.txt',
      '/static/%2e%2e/outside.txt',
      '/static/css/..%2F..%2Foutside.txt',
      '/static//etc/passwd',
      '/static/leak.txt',
    ]) {
      const response = await runApp(served, createEnviron(path));
      expect(response.text, path).toMatch(/^app: GET /);
    }
    // A link that stays inside the folder is served.
    expect((await client.get('/static/alias.txt')).text).toBe('Hello, shared world!\n');
  });

  it('follows links out of the folder only when told to', async () => {
    const trusting = new TestClient({ gatewayApp: sharedData(fallback, { '/static': pub }, { followSymlinks: true }) });
    expect((await trusting.get('/static/leak.txt')).text).toBe('the server config');
  });

  it('takes maxAge, fallbackMimetype and isAllowed', async () => {
    const tuned = new TestClient({
      gatewayApp: sharedData(
        fallback,
        { '/': pub },
        {
          maxAge: 0,
          fallbackMimetype: 'text/plain',
          isAllowed: (path) => !path.split('/').some((part) => part.startsWith('.')),
        },
      ),
    });
    const response = await tuned.get('/hello.txt');
    expect(response.headers.get('Cache-Control')).toBe('no-cache');
    expect(response.headers.get('Expires')).toBeNull();
    expect((await tuned.get('/data.unknownext')).headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect((await client.get('/static/data.unknownext')).headers.get('Content-Type')).toBe('application/octet-stream');
    expect((await tuned.get('/.secret')).text).toBe('app: GET /.secret');
    expect((await client.get('/static/.secret')).text).toBe('dotfile');
  });

  it('names the fix for a prefix without a slash or a mount without a path', () => {
    expect(() => sharedData(fallback, { static: pub })).toThrow(
      "the URL prefix 'static' must start with '/'; write '/static'",
    );
    expect(() => sharedData(fallback, { '/static': '' })).toThrow(
      '\'/static\' maps to ""; give the path of a folder or a file',
    );
  });
});
