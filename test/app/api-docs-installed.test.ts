/**
 * apiDocs as users install it: the packed tarball in node_modules/flagon, run by plain Node (no alias to src/). Checks
 * what only the package can get wrong: that templates/api-docs.html ships and is found from dist/, and that the
 * swagger-ui-dist dependency is resolved from the installed package.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/dev-server.js';
import { packFlagon, ROOT } from '../helpers/packed.js';

const run = promisify(execFile);

const SCRIPT = `import { App } from 'flagon';
import { apiDocs } from 'flagon/app';

const app = new App(import.meta.url, { name: 'installed', staticFolder: null });
app.get('/pets', function listPets() { return { pets: [] }; });
apiDocs(app, { openapi: { info: { title: 'Installed pets', version: '1.0.0' } } });
const client = app.testClient();
const answers = {};
for (const path of ['/openapi.json', '/docs', '/docs/flagon-api-docs.js', '/docs/assets/swagger-ui-bundle.js']) {
  const response = await client.get(path);
  answers[path] = { status: response.status, type: response.headers.get('Content-Type'), text: response.text.slice(0, 4000) };
}
console.log(JSON.stringify(answers));
`;

const project = makeProject({ 'docs.mjs': SCRIPT });

beforeAll(async () => {
  const tarball = await packFlagon();
  rmSync(join(project.dir, 'node_modules', 'flagon'));
  const unpacked = join(project.dir, 'unpacked');
  mkdirSync(unpacked);
  await run('tar', ['-xzf', tarball, '-C', unpacked]);
  renameSync(join(unpacked, 'package'), join(project.dir, 'node_modules', 'flagon'));
  // Its dependencies (swagger-ui-dist among them) from the checkout's node_modules, as in test/adapters/installed.
  symlinkSync(join(ROOT, 'node_modules'), join(project.dir, 'node_modules', 'flagon', 'node_modules'), 'dir');
}, 120_000);

afterAll(() => project.remove());

describe('apiDocs in the installed package', () => {
  it('renders the page from the shipped template and serves Swagger UI from swagger-ui-dist', async () => {
    const { stdout } = await run(process.execPath, ['docs.mjs'], { cwd: project.dir });
    const answers = JSON.parse(stdout) as Record<string, { status: number; type: string; text: string }>;
    expect(JSON.parse(answers['/openapi.json']!.text).info.title).toBe('Installed pets');
    expect(answers['/docs']).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(answers['/docs']!.text).toContain('<title>Installed pets</title>');
    expect(answers['/docs']!.text).toContain('data-openapi-url="/openapi.json"');
    expect(answers['/docs/flagon-api-docs.js']!.status).toBe(200);
    expect(answers['/docs/assets/swagger-ui-bundle.js']).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
    });
    expect(answers['/docs/assets/swagger-ui-bundle.js']!.text).toContain('SwaggerUIBundle');
  }, 60_000);
});
