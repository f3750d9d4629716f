/**
 * Returning a string or a dict must not make node load its fetch implementation (undici): reading
 * `globalThis.Response` does, ~50 ms on an app's first request. Run in a fresh process on dist/ (the suite builds
 * first), since this test process has loaded undici long ago. Node 24's node:http loads undici itself, at import:
 * what is checked is that answering loads nothing more than importing did.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

it("serving a string, a dict and a tuple leaves node's fetch (undici) unloaded", () => {
  const script = `
    const { App } = await import(${JSON.stringify(DIST)});
    const loaded = () => process.moduleLoadList.some((name) => name.includes('undici'));
    const atImport = loaded();
    const app = new App(import.meta.url);
    app.get('/', () => 'hi');
    app.get('/d', () => ({ a: 1 }));
    app.get('/t', () => ['made', 201]);
    const client = app.testClient();
    const statuses = [(await client.get('/')).status, (await client.get('/d')).status, (await client.get('/t')).status];
    console.log(JSON.stringify({ statuses, loadedByAnswers: loaded() && !atImport }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ statuses: [200, 200, 201], loadedByAnswers: false });
});
