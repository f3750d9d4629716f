/**
 * `sendFile` and `sendFromDirectory` from 'flagon' (Flask's send_file and send_from_directory): relative paths from the
 * app's root folder, the current request for 304 and ranges without passing it, SEND_FILE_MAX_AGE_DEFAULT as maxAge.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { App, FlagonError, sendFile, sendFromDirectory } from 'flagon';
import { sendFile as toolkitSendFile } from 'flagon/wrappers';

// The app's root folder is a temp folder, never the working folder, so a path read from the working folder is a miss.
const root = realpathSync(mkdtempSync(join(tmpdir(), 'flagon-send-file-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'reports'));
mkdirSync(join(root, 'uploads'));
writeFileSync(join(root, 'reports', 'q3.txt'), 'quarter three figures\n');
writeFileSync(join(root, 'uploads', 'cat.txt'), 'a cat\n');
writeFileSync(join(root, 'secret.txt'), 'not for the web\n');

function makeApp(config: Record<string, unknown> = {}): App {
  const app = new App(pathToFileURL(join(root, 'app.ts')).href, { staticFolder: null, config });
  app.get('/report', () => sendFile('reports/q3.txt'));
  app.get('/report/cached', () => sendFile('reports/q3.txt', { maxAge: 60 }));
  app.get('/report/uncached', () => sendFile('reports/q3.txt', { maxAge: null }));
  app.get('/report/download', () => sendFile('reports/q3.txt', { asAttachment: true }));
  app.get('/absolute', () => sendFile(join(root, 'uploads', 'cat.txt')));
  app.get('/uploads/<path:name>', (req) => sendFromDirectory('uploads', String(req.params.name)));
  return app;
}

describe("sendFile from 'flagon'", () => {
  it("reads a relative path from the app's root folder, not the working folder", async () => {
    expect(process.cwd()).not.toBe(root);
    const rv = await makeApp().testClient().get('/report');
    expect(rv.status).toBe(200);
    expect(rv.text).toBe('quarter three figures\n');
    expect(rv.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(
      await makeApp()
        .testClient()
        .get('/absolute')
        .then((r) => r.text),
    ).toBe('a cat\n');
  });

  it('answers ranges and revalidation from the current request, which the view did not pass', async () => {
    const client = makeApp().testClient();
    const part = await client.get('/report', { headers: { Range: 'bytes=0-6' } });
    expect(part.status).toBe(206);
    expect(part.text).toBe('quarter');
    expect(part.headers.get('Content-Range')).toBe('bytes 0-6/22');

    const first = await client.get('/report');
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"[0-9a-f]+-16"$/);
    const again = await client.get('/report', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('takes maxAge from SEND_FILE_MAX_AGE_DEFAULT unless the view gives one (null: revalidate)', async () => {
    expect((await makeApp().testClient().get('/report')).headers.get('Cache-Control')).toBe('no-cache');
    const client = makeApp({ SEND_FILE_MAX_AGE_DEFAULT: 3600 }).testClient();
    expect((await client.get('/report')).headers.get('Cache-Control')).toBe('public, max-age=3600');
    expect((await client.get('/report/cached')).headers.get('Cache-Control')).toBe('public, max-age=60');
    expect((await client.get('/report/uncached')).headers.get('Cache-Control')).toBe('no-cache');
  });

  it('keeps the options it passes on (a download name from the relative path)', async () => {
    const rv = await makeApp().testClient().get('/report/download');
    expect(rv.headers.get('Content-Disposition')).toBe('attachment; filename="q3.txt"');
  });

  it('names a file inline, as Werkzeug does (Content-Disposition: inline; filename=q3.txt)', async () => {
    // Flask's send_file('reports/q3.txt') sends `inline; filename=q3.txt`; a quoted name is the same (RFC 6266).
    const rv = await makeApp().testClient().get('/report');
    expect(rv.headers.get('Content-Disposition')).toBe('inline; filename="q3.txt"');
  });

  it('outside a request throws an error that names the toolkit function to use instead', async () => {
    const error = await sendFile('reports/q3.txt').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlagonError);
    expect((error as FlagonError).code).toBe('FLAGON_ERR_NO_CONTEXT');
    expect((error as Error).message).toContain("import it from 'flagon/wrappers'");
    const app = makeApp();
    const inAppContext = await app
      .appContext()
      .run(() => sendFromDirectory('uploads', 'cat.txt'))
      .catch((e: unknown) => e);
    expect((inAppContext as FlagonError).code).toBe('FLAGON_ERR_NO_CONTEXT');
    // The toolkit's takes an absolute path anywhere.
    const response = await toolkitSendFile(join(root, 'uploads', 'cat.txt'));
    expect(await response.getData()).toEqual(new TextEncoder().encode('a cat\n'));
  });
});

describe("sendFromDirectory from 'flagon'", () => {
  it("sends from a folder relative to the app's root folder, with ranges from the current request", async () => {
    const client = makeApp({ SEND_FILE_MAX_AGE_DEFAULT: 120 }).testClient();
    const rv = await client.get('/uploads/cat.txt');
    expect(rv.status).toBe(200);
    expect(rv.text).toBe('a cat\n');
    expect(rv.headers.get('Cache-Control')).toBe('public, max-age=120');
    const part = await client.get('/uploads/cat.txt', { headers: { Range: 'bytes=2-4' } });
    expect(part.status).toBe(206);
    expect(part.text).toBe('cat');
  });

  it('answers 404 for a path that leaves the folder or names no file', async () => {
    const client = makeApp().testClient();
    for (const path of ['/uploads/../secret.txt', '/uploads/%2e%2e/secret.txt', '/uploads/missing.txt', '/uploads/']) {
      const rv = await client.get(path);
      expect(rv.status, path).toBe(404);
      expect(rv.text, path).not.toContain('not for the web');
    }
  });
});
