/** Symlinks under sendFromDirectory and the static routes: a link whose real path leaves the root is a 404 unless followed. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { App, Blueprint, sendStaticFile } from 'flagon';
import { NotFound } from 'flagon/http';
import { createEnviron, runApp } from 'flagon/testing';
import { Request, type Response, sendFromDirectory } from 'flagon/wrappers';

// base/outside/{secret.txt, dir/inner.txt} and base/root/ (the served folder) with links that leave it or stay in it.
const base = mkdtempSync(join(tmpdir(), 'flagon-symlinks-'));
const outside = join(base, 'outside');
const root = join(base, 'root');
mkdirSync(join(outside, 'dir'), { recursive: true });
mkdirSync(join(root, 'sub'), { recursive: true });
writeFileSync(join(outside, 'secret.txt'), 'secret');
writeFileSync(join(outside, 'dir', 'inner.txt'), 'inner secret');
writeFileSync(join(root, 'inside.txt'), 'inside');
writeFileSync(join(root, 'sub', 'deep.txt'), 'deep');
symlinkSync('../outside/secret.txt', join(root, 'link-out.txt'));
symlinkSync(join(outside, 'secret.txt'), join(root, 'absolute-out.txt'));
symlinkSync('../outside/dir', join(root, 'dir-out'));
symlinkSync('inside.txt', join(root, 'link-in.css'));
symlinkSync('sub', join(root, 'dir-in'));
symlinkSync('../inside.txt', join(root, 'sub', 'up-in.txt'));
symlinkSync('root', join(base, 'current')); // a served folder that is itself a link, as a deploy's `current`

const LEAVING = ['link-out.txt', 'absolute-out.txt', 'dir-out/inner.txt'];
const STAYING: Array<[string, string]> = [
  ['inside.txt', 'inside'],
  ['link-in.css', 'inside'],
  ['dir-in/deep.txt', 'deep'],
  ['sub/up-in.txt', 'inside'],
];

const send = async (response: Response, method = 'GET') => runApp(response.gatewayApp, createEnviron('/', { method }));

describe('sendFromDirectory and symlinks', () => {
  it.each(LEAVING)('answers 404 for %s, a link whose real path leaves the root', async (path) => {
    await expect(sendFromDirectory(root, path)).rejects.toBeInstanceOf(NotFound);
    await expect(sendFromDirectory(join(base, 'current'), path)).rejects.toBeInstanceOf(NotFound);
  });

  it.each(LEAVING)('serves %s with followSymlinks: true', async (path) => {
    const sent = await send(await sendFromDirectory(root, path, { followSymlinks: true }));
    expect([sent.statusCode, sent.text]).toEqual([200, path.startsWith('dir-out') ? 'inner secret' : 'secret']);
  });

  it.each(STAYING)('serves %s, which stays inside the root, also through a root that is a link', async (path, text) => {
    for (const directory of [root, join(base, 'current')]) {
      const sent = await send(await sendFromDirectory(directory, path));
      expect([sent.statusCode, sent.text]).toEqual([200, text]);
    }
  });

  it('types the file by the name asked for, and keeps validators, ranges and 304', async () => {
    const linked = await send(await sendFromDirectory(root, 'link-in.css'));
    expect([linked.header('Content-Type'), linked.header('Content-Length')]).toEqual(['text/css; charset=utf-8', '6']);
    const etag = linked.header('ETag')!;
    const range = new Request(createEnviron('/', { headers: { Range: 'bytes=1-3' } }));
    expect((await send(await sendFromDirectory(root, 'link-in.css', { request: range }))).text).toBe('nsi');
    const again = new Request(createEnviron('/', { headers: { 'If-None-Match': etag } }));
    expect((await send(await sendFromDirectory(root, 'link-in.css', { request: again }))).statusCode).toBe(304);
  });

  it('still answers 404 for a missing file, a directory and a dangling link', async () => {
    symlinkSync('nowhere.txt', join(root, 'dangling.txt'));
    // A trailing slash names a folder: 'inside.txt/' is a 404, as Werkzeug (isfile) and nginx answer.
    for (const path of ['missing.txt', 'sub', 'dir-in', 'dangling.txt', 'inside.txt/', 'sub/deep.txt/']) {
      await expect(sendFromDirectory(root, path)).rejects.toBeInstanceOf(NotFound);
    }
  });

  it.runIf(existsSync('/proc/self/fd'))('closes the file it opened for HEAD, 304 and an unsent response', async () => {
    const count = (): number => readdirSync('/proc/self/fd').length;
    const etag = (await send(await sendFromDirectory(root, 'inside.txt'))).header('ETag')!;
    const conditional = new Request(createEnviron('/', { headers: { 'If-None-Match': etag } }));
    const before = count();
    for (let i = 0; i < 40; i++) {
      await send(await sendFromDirectory(root, 'inside.txt'), 'HEAD');
      await send(await sendFromDirectory(root, 'inside.txt', { request: conditional }));
      (await sendFromDirectory(root, 'inside.txt')).close();
    }
    await send(await sendFromDirectory(root, 'inside.txt'));
    expect(count() - before).toBeLessThan(10);
  });
});

describe('sendFromDirectory out of file descriptors', () => {
  it('answers 503, not 404, for a file it cannot open for want of descriptors', async () => {
    const child = spawnSync(
      'bash',
      ['-c', 'ulimit -n 200 && exec "$0" --import tsx test/wrappers/out-of-fds.child.ts', process.execPath],
      {
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
        env: { ...process.env, TSX_TSCONFIG_PATH: 'test/tsconfig.json' },
        encoding: 'utf8',
      },
    );
    expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
    const { outcomes } = JSON.parse(child.stdout) as { outcomes: string[] };
    expect(outcomes).toContain('503');
    expect(outcomes.filter((outcome) => outcome !== '503' && outcome !== 'sent')).toEqual([]); // never a 404
  }, 30_000);
});

describe('static routes and symlinks', () => {
  const appModule = pathToFileURL(join(base, 'app.js')).href;
  const make = (options: { app?: boolean; blueprint?: boolean } = {}): App => {
    const app = new App(appModule, { name: 'links', staticFolder: 'root', staticFollowSymlinks: options.app });
    app.registerBlueprint(
      new Blueprint('bp', appModule, {
        urlPrefix: '/bp',
        staticFolder: 'root',
        staticFollowSymlinks: options.blueprint,
      }),
    );
    return app;
  };

  it('answer 404 for links that leave the folder and serve the ones that stay, by default', async () => {
    const client = make().testClient();
    for (const prefix of ['/root', '/bp/root']) {
      // Flask's default URL path: the folder's name
      for (const path of LEAVING) expect([path, (await client.get(`${prefix}/${path}`)).status]).toEqual([path, 404]);
      for (const [path, text] of STAYING) {
        const response = await client.get(`${prefix}/${path}`);
        expect([path, response.status, response.text]).toEqual([path, 200, text]);
      }
    }
  });

  it('follow every link with staticFollowSymlinks: true, each for its own folder', async () => {
    const client = make({ app: true }).testClient();
    expect((await client.get('/root/link-out.txt')).text).toBe('secret');
    expect((await client.get('/root/dir-out/inner.txt')).text).toBe('inner secret');
    expect((await client.get('/bp/root/link-out.txt')).status).toBe(404);
    const blueprint = make({ blueprint: true }).testClient();
    expect([
      (await blueprint.get('/bp/root/absolute-out.txt')).text,
      (await blueprint.get('/root/absolute-out.txt')).status,
    ]).toEqual(['secret', 404]);
  });

  it('send from the static folder with sendStaticFile as the static route does, links followed or not alike', async () => {
    for (const follow of [false, true]) {
      const app = make({ app: follow });
      app.get('/page/<path:name>', (req) => sendStaticFile(String(req.params.name)));
      const client = app.testClient();
      const [viaRoute, viaHelper] = [await client.get('/root/link-out.txt'), await client.get('/page/link-out.txt')];
      expect([follow, viaHelper.status, viaHelper.text]).toEqual([follow, viaRoute.status, viaRoute.text]);
      expect(viaHelper.status).toBe(follow ? 200 : 404);
    }
  });
});
