/**
 * `flagon/adapters` as users install it: the packed tarball in node_modules/flagon, imported by plain Node (no alias
 * to src/) in a host process that mounts an App in Express and in Fastify. Checks the package's `exports` entry and
 * the built files, where the other tests in this folder run on src/.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/dev-server.js';
import { fetchRaw } from '../helpers/http.js';
import { packFlagon, ROOT } from '../helpers/packed.js';

const run = promisify(execFile);

const HOST = `import express from 'express';
import Fastify from 'fastify';
import { App, urlFor } from 'flagon';
import { flagonPlugin, toNodeHandler } from 'flagon/adapters';

const app = new App(import.meta.url, { name: 'installed', staticFolder: null });
app.get('/users/<int:id>', { endpoint: 'user' }, (req) => ({ id: req.params.id, self: urlFor('user', { id: req.params.id }) }));
app.post('/form', async (req) => (await req.form()).toObjectAll());

const host = express();
host.use('/flagon', toNodeHandler(app.gatewayApp));
const server = host.listen(0, '127.0.0.1', () => {
  console.log('express ' + server.address().port);
});
const fastify = Fastify();
await fastify.register(flagonPlugin, { app: app.gatewayApp, prefix: '/flagon' });
await fastify.listen({ port: 0, host: '127.0.0.1' });
console.log('fastify ' + fastify.server.address().port);
`;

const project = makeProject({ 'host.mjs': HOST });
let child: ChildProcess | undefined;
const ports: Record<string, number> = {};

beforeAll(async () => {
  const tarball = await packFlagon();
  // The package as npm unpacks it; its dependencies, and the hosts', come from the checkout's node_modules.
  rmSync(join(project.dir, 'node_modules', 'flagon'));
  const unpacked = join(project.dir, 'unpacked');
  mkdirSync(unpacked);
  await run('tar', ['-xzf', tarball, '-C', unpacked]);
  renameSync(join(unpacked, 'package'), join(project.dir, 'node_modules', 'flagon'));
  symlinkSync(join(ROOT, 'node_modules'), join(project.dir, 'node_modules', 'flagon', 'node_modules'), 'dir');
  for (const name of ['express', 'fastify'])
    symlinkSync(join(ROOT, 'node_modules', name), join(project.dir, 'node_modules', name), 'dir');
  const started = spawn(process.execPath, ['host.mjs'], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  let out = '';
  let err = '';
  started.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  // Both hosts print their port once listening: that line, not a delay, is the signal to start.
  await new Promise<void>((resolve, reject) => {
    started.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const [, name, port] of out.matchAll(/^(express|fastify) (\d+)$/gm)) ports[name!] = Number(port);
      if (ports.express !== undefined && ports.fastify !== undefined) resolve();
    });
    started.once('exit', (code) => reject(new Error(`the host exited with ${code}: ${err}`)));
  });
}, 120_000);

afterAll(() => {
  if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid);
  project.remove();
});

describe.each(['express', 'fastify'])('the installed package in %s', (host) => {
  it('answers under /flagon with urlFor under it, and reads a posted form', async () => {
    const base = `http://127.0.0.1:${ports[host]}`;
    const user = await fetchRaw(`${base}/flagon/users/7`);
    expect([user.status, JSON.parse(user.text)]).toEqual([200, { id: 7, self: '/flagon/users/7' }]);
    const form = await fetchRaw(`${base}/flagon/form`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(JSON.parse(form.text)).toEqual({ a: ['1'] });
    expect((await fetchRaw(`${base}/elsewhere`)).status).toBe(404);
  });
});
