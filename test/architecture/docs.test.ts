import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSources } from './layers.js';

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const files = readSources(src);

/** Names that src/<folder>/index.ts re-exports: the public surface. */
function publicNames(): Set<string> {
  const names = new Set<string>();
  for (const [file, source] of files) {
    if (!file.endsWith('/index.ts')) continue;
    for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from/g)) {
      for (const part of match[1]!.split(',')) {
        const name = part
          .trim()
          .split(/\s+as\s+/)
          .pop()!
          .trim();
        if (name) names.add(name);
      }
    }
  }
  return names;
}

describe('the public surface', () => {
  it('has TSDoc with an @example on every export', () => {
    const names = publicNames();
    expect(names.size).toBeGreaterThan(30);
    const missing: string[] = [];
    const found = new Set<string>();
    const documented = new Set<string>(); // overloads: the TypeScript convention documents the first declaration
    for (const [file, source] of files) {
      if (file.endsWith('index.ts')) continue;
      const declaration =
        /(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*(?:\/\/[^\n]*\n\s*)*)?export\s+(?:async\s+|abstract\s+)?(?:const|function\*?|class|interface|type)\s+([A-Za-z_$][\w$]*)/g;
      for (const match of source.matchAll(declaration)) {
        const name = match[2]!;
        if (!names.has(name)) continue;
        found.add(name);
        if (match[1]?.includes('@example')) documented.add(name);
        else missing.push(`${file}: ${name}`);
      }
    }
    expect(missing.filter((entry) => !documented.has(entry.split(': ')[1]!))).toEqual([]);
    expect([...names].filter((name) => !found.has(name))).toEqual([]);
  });

  it('opens every source file with a @module line', () => {
    const without = [...files].filter(([, source]) => !/^(#!.*\n)?\/\*\* @module /.test(source)).map(([file]) => file);
    expect(without).toEqual([]);
  });
});
