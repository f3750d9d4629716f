/**
 * docs/api/ is the API reference generated from the TSDoc by docs/api/generate.mjs (`npm run docs:api`), one page
 * per package.json export. These tests keep the committed pages in step with the sources: every public export has
 * its heading on its entry point's page, and a fresh generation gives the same files, byte for byte.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const apiDir = path.join(root, 'docs/api');
const STALE = 'docs/api/ is out of date: run `npm run docs:api` and commit docs/api/';

/** package.json "exports" → [import name, page file, source entry], e.g. ['flagon/http', 'flagon.http.md', …]. */
function entryPoints(): [string, string, string][] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types?: string }>;
  };
  const entries: [string, string, string][] = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target !== 'object' || !target.types) continue;
    const name = subpath === '.' ? 'flagon' : `flagon/${subpath.slice(2)}`;
    const source = target.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts');
    entries.push([name, `${name.replaceAll('/', '.')}.md`, source]);
  }
  return entries;
}

/** The names an index.ts re-exports (`export { a, b as c } from`, `export type { … } from`). */
function exportedNames(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from/g)) {
    for (const part of match[1]!.split(',')) {
      const name = part
        .replace(/^\s*type\s+/, '')
        .split(/\s+as\s+/)
        .pop()!
        .trim();
      if (name) names.push(name);
    }
  }
  return names;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('docs/api, the generated API reference', () => {
  const entries = entryPoints();

  it('has a page per package.json export, linked from its index', () => {
    expect(entries.length).toBeGreaterThan(10);
    const index = readFileSync(path.join(apiDir, 'README.md'), 'utf8');
    const missing = entries.filter(([name, page]) => !index.includes(`[${name}](${page})`)).map(([name]) => name);
    expect(missing, STALE).toEqual([]);
  });

  it("documents every public export on its entry point's page, with its @example", () => {
    const missing: string[] = [];
    let checked = 0;
    for (const [name, page, source] of entries) {
      let text = '';
      try {
        text = readFileSync(path.join(apiDir, page), 'utf8').replaceAll('\\_', '_'); // Markdown escapes `_`
      } catch {
        missing.push(`${page} (no page)`);
        continue;
      }
      for (const exported of exportedNames(readFileSync(path.join(root, source), 'utf8'))) {
        checked++;
        // TypeDoc heads each export `### Name`, `### name()` for a function, `### \`abstract\` Name` for a class.
        const heading = new RegExp(`^### (?:\`[a-z]+\` )*${escapeRegExp(exported)}(?:\\(\\))?$`, 'm');
        if (!heading.test(text)) missing.push(`${name}: ${exported}`);
      }
      if (!text.includes('```ts')) missing.push(`${page}: no example code block`);
    }
    expect(checked).toBeGreaterThan(200);
    expect(missing, STALE).toEqual([]);
  });

  describe('regenerated', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'flagon-api-docs-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('gives the committed pages, byte for byte', async () => {
      await promisify(execFile)(process.execPath, [path.join(apiDir, 'generate.mjs'), '--out', out], {
        cwd: root,
        maxBuffer: 16 * 1024 * 1024,
      });
      const pages = (dir: string) =>
        readdirSync(dir)
          .filter((file) => file.endsWith('.md'))
          .sort();
      expect(pages(out), STALE).toEqual(pages(apiDir));
      const differing = pages(out).filter(
        (page) => readFileSync(path.join(out, page), 'utf8') !== readFileSync(path.join(apiDir, page), 'utf8'),
      );
      expect(differing, STALE).toEqual([]);
    }, 180_000);
  });
});
