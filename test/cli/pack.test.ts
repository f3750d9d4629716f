/**
 * `npm pack` on a fresh clone (no dist/ yet) must build before it packs, and the package must carry src/ beside
 * dist/: the source maps point there, and the debug page reads the framework's lines from it (issue 14).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/packed.js';

const exec = promisify(execFile);
const clone = mkdtempSync(join(tmpdir(), 'flagon-clone-'));
afterAll(() => rmSync(clone, { recursive: true, force: true }));

describe('npm pack in a fresh clone', () => {
  it('builds dist/ first (prepack), and ships dist/ with its maps, src/ and the templates', async () => {
    // What a clone has, minus dist/; node_modules linked in, as `npm ci` would have installed it.
    for (const entry of [
      'package.json',
      'tsconfig.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'src',
      'templates',
      'docs',
    ]) {
      if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(clone, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const { stdout } = await exec('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], {
      cwd: clone,
      maxBuffer: 16 * 1024 * 1024,
    });
    const files = new Set(
      (JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map(
        (file) => file.path,
      ),
    );
    for (const path of [
      'dist/index.js',
      'dist/cli/main.js',
      'dist/dev/stack-frames.js.map',
      'src/dev/stack-frames.ts',
      'src/app/app.ts',
      'templates/debug.html',
    ]) {
      expect(files.has(path), `${path} in the tarball`).toBe(true);
    }
    expect([...files].some((path) => path.startsWith('node_modules/') || path.startsWith('test/'))).toBe(false);
  }, 60_000);
});
