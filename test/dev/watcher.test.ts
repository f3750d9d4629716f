/** The reloader's watcher: globs, nested and new folders, ignored names and extensions, debouncing. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { globToRegExp, watchTree, type TreeWatcher } from '../../src/dev/watcher.js';

describe('globToRegExp', () => {
  it('lets ** cross folders and keeps * and ? inside one', () => {
    expect(globToRegExp('*.log').test('server.log')).toBe(true);
    expect(globToRegExp('*.log').test('logs/server.log')).toBe(false);
    expect(globToRegExp('**/*.log').test('logs/a/server.log')).toBe(true);
    expect(globToRegExp('tmp/**').test('tmp/a/b.ts')).toBe(true);
    expect(globToRegExp('file?.ts').test('file1.ts')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('watchTree', () => {
  let dir = '';
  let watcher: TreeWatcher | null = null;
  afterEach(() => {
    watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const changes = (
    options: { exclude?: string[]; extra?: string[] } = {},
  ): { seen: string[]; next(): Promise<string> } => {
    const seen: string[] = [];
    let wake: ((file: string) => void) | null = null;
    watcher = watchTree(
      { roots: [dir, ...(options.extra ?? [])], exclude: options.exclude, debounceMs: 30 },
      (file) => {
        seen.push(file);
        wake?.(file);
      },
    );
    return {
      seen,
      next: () =>
        new Promise((resolve) => {
          wake = resolve;
        }),
    };
  };
  const settle = (ms = 150): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('reports a change deep in the tree once per burst, and changes in folders created later', async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagon-watch-'));
    mkdirSync(join(dir, 'src', 'views'), { recursive: true });
    const { seen, next } = changes();
    let changed = next();
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'src', 'views', 'home.ts'), `export const n = ${i};`);
    expect(await changed).toBe(join(dir, 'src', 'views', 'home.ts'));
    await settle();
    expect(seen).toHaveLength(1);
    mkdirSync(join(dir, 'templates'));
    await settle();
    changed = next();
    writeFileSync(join(dir, 'templates', 'page.html'), '<p>hi</p>');
    expect(await changed).toBe(join(dir, 'templates', 'page.html'));
  });

  it('ignores node_modules, .git, dist, instance, editor swap files, data files and --exclude-patterns; watches named files of any kind', async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagon-watch-'));
    for (const folder of ['node_modules/pkg', '.git', 'dist', 'generated', 'instance/uploads'])
      mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, 'settings.cfg'), 'a=1');
    const { seen } = changes({ exclude: ['generated/**'], extra: [join(dir, 'settings.cfg')] });
    writeFileSync(join(dir, 'node_modules', 'pkg', 'index.js'), '1');
    writeFileSync(join(dir, '.git', 'index'), '1');
    writeFileSync(join(dir, 'dist', 'app.js'), '1');
    writeFileSync(join(dir, 'generated', 'types.ts'), '1');
    writeFileSync(join(dir, 'instance', 'uploads', 'notes.txt'), '1'); // an upload the app saved: no reload
    writeFileSync(join(dir, 'instance', 'store.json'), '1');
    writeFileSync(join(dir, '.app.ts.swp'), '1');
    writeFileSync(join(dir, 'notes.sqlite'), '1');
    writeFileSync(join(dir, 'server.log'), '1');
    await settle(200);
    expect(seen).toEqual([]);
    writeFileSync(join(dir, 'settings.cfg'), 'a=2');
    await settle(200);
    expect(seen).toEqual([join(dir, 'settings.cfg')]);
  });
});
