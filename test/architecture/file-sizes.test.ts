/**
 * File sizes in src/: ARCHITECTURE.md's cap (700 lines; "one concept per file"), and issue 17's bounds for the App
 * (no file in src/app over 300 lines, app.ts at most 250: it keeps the options, the constructor and the public API).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSources } from './layers.js';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** The most lines a file may have: the first prefix in this list that the file's path starts with decides. */
const LIMITS: ReadonlyArray<readonly [prefix: string, lines: number]> = [
  ['app/app.ts', 250],
  ['app/', 300],
  ['', 700],
];

function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

describe('file sizes in src/', () => {
  it('keeps every file within its limit', () => {
    const over: string[] = [];
    for (const [path, text] of readSources(src)) {
      const limit = LIMITS.find(([prefix]) => path.startsWith(prefix))![1];
      const lines = lineCount(text);
      if (lines > limit) over.push(`${path}: ${lines} lines, limit ${limit}`);
    }
    expect(over).toEqual([]);
  });

  it('counts lines as wc -l does, with or without a last newline', () => {
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
  });
});
