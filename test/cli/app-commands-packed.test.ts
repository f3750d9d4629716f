/**
 * An app's own command through Flagon as users install it: the packed tarball unpacked into node_modules/flagon, its
 * `bin` run by node. The other tests run the CLI from src/; this one checks the built `flagon` finds `app.cli` too.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFlagon, ROOT } from '../helpers/packed.js';
import { makeProject } from '../helpers/dev-server.js';

const run = promisify(execFile);

const APP = `import { App, g } from 'flagon';
export const app = new App(import.meta.url, { name: 'installed' });
app.teardownAppcontext(() => console.log(\`closed \${String(g.db)}\`));
app.cli.command('init-db', ({ options }) => {
  g.db = 'sqlite';
  console.log(\`Initialized the database\${options.force ? ' (forced)' : ''}.\`);
}, { help: 'Create the tables.' });
`;

const project = makeProject({ 'app.ts': APP });
let bin = '';

beforeAll(async () => {
  const tarball = await packFlagon();
  // Replace makeProject's link to the checkout with the package as npm would unpack it; its dependencies come from
  // the checkout's node_modules, so no registry is needed.
  rmSync(join(project.dir, 'node_modules', 'flagon'));
  const unpacked = join(project.dir, 'unpacked');
  mkdirSync(unpacked);
  await run('tar', ['-xzf', tarball, '-C', unpacked]);
  renameSync(join(unpacked, 'package'), join(project.dir, 'node_modules', 'flagon'));
  symlinkSync(join(ROOT, 'node_modules'), join(project.dir, 'node_modules', 'flagon', 'node_modules'), 'dir');
  bin = join(project.dir, 'node_modules', 'flagon', 'dist', 'cli', 'main.js');
}, 120_000);
afterAll(() => project.remove());

describe('the installed flagon command', () => {
  it('runs app.cli commands and lists them in --help', async () => {
    const env = { ...process.env, FLAGON_APP: '' };
    const initDb = await run(process.execPath, [bin, 'init-db', '--force'], { cwd: project.dir, env });
    expect(initDb.stdout).toBe('Initialized the database (forced).\nclosed sqlite\n');
    const help = await run(process.execPath, [bin, '--help'], { cwd: project.dir, env });
    expect(help.stdout).toContain(
      `Commands of the app (app.cli, from ${join(project.dir, 'app.ts')}):\n  init-db  Create the tables.\n`,
    );
    const commandHelp = await run(process.execPath, [bin, 'init-db', '--help'], { cwd: project.dir, env });
    expect(commandHelp.stdout).toMatch(
      /^Usage: flagon init-db \[OPTIONS\] \[ARGS\]\.\.\.\n\n {2}Create the tables\.\n/,
    );
  });
});
