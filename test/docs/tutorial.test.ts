/**
 * The tutorial's code cannot drift from the code it teaches (issue 20). Every ```ts, ```html, ```sql and ```css block in
 * docs/tutorial/*.md is checked one of three ways:
 *
 * - **a file's text**: a first line `// file: examples/flaskr/flaskr/db.ts` (`<!-- file: … -->` in HTML, `-- file: …`
 *   in SQL, `/* file: … *\/` in CSS) says the block is that file, or an excerpt of it. Lines that hold only an
 *   elision comment (`// …`, `<!-- … -->`, `-- …`, `/* … *\/`) cut the block into pieces; each piece must appear in
 *   the file, in order. So a chapter can show a file as it stands at that step, with the lines later chapters add
 *   left out.
 * - **type-checked**: any other ```ts block is written to a folder of its own under test/.generated/ (gitignored),
 *   beside a copy of examples/flaskr/flaskr/ (so `import { createApp } from './flaskr/app.js'` resolves as in the
 *   reader's project), and the folder is checked by one `tsc --noEmit` with a tsconfig extending test/tsconfig.json.
 * - **not checked, and why**: the line before the fence is `<!-- not checked: reason -->`.
 *
 * A block of those languages that is none of the three fails the test. Links between the pages, and the `src/…` files
 * that how-a-request-travels.md names, must exist.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const tutorial = join(root, 'docs/tutorial');

/** The languages whose blocks must be checked or marked; shell sessions, JSON and output are prose. */
const CHECKED = new Set(['ts', 'typescript', 'html', 'sql', 'css']);
const FILE_MARK = /^\s*(?:\/\/|--|<!--|\{#|\/\*)\s*file:\s*(\S+?)\s*(?:-->|#\}|\*\/)?\s*$/;
const ELISION = /^\s*(?:\/\/|--|<!--|\{#|\/\*)\s*…\s*(?:-->|#\}|\*\/)?\s*$/;
const NOT_CHECKED = /^<!--\s*not checked:\s*\S.*-->\s*$/;

interface Block {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  /** The `<!-- not checked: … -->` line before the fence, if any. */
  unchecked: string | null;
}

/** The fenced blocks of a Markdown page (``` fences at the start of a line; no nesting in these pages). */
function blocksOf(page: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    let before = start - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const previous = before >= 0 ? lines[before]!.trim() : '';
    blocks.push({
      page,
      line: start + 1,
      lang: open[1]!.toLowerCase(),
      code: body.join('\n'),
      unchecked: NOT_CHECKED.test(previous) ? previous : null,
    });
  }
  return blocks;
}

/** The pieces of an excerpt, each without the blank lines around it. */
function piecesOf(code: string): string[] {
  const pieces: string[][] = [[]];
  for (const line of code.split('\n')) {
    if (ELISION.test(line)) pieces.push([]);
    else pieces.at(-1)!.push(line);
  }
  return pieces
    .map((piece) => {
      while (piece.length > 0 && piece[0]!.trim() === '') piece.shift();
      while (piece.length > 0 && piece.at(-1)!.trim() === '') piece.pop();
      return piece.join('\n');
    })
    .filter((piece) => piece !== '');
}

/** `null` when every piece is in the file, in order; else what is wrong. */
function excerptProblem(code: string, file: string): string | null {
  const path = join(root, file);
  if (!existsSync(path)) return `it names ${file}, which does not exist`;
  const text = readFileSync(path, 'utf8');
  let from = 0;
  for (const piece of piecesOf(code)) {
    const at = text.indexOf(piece, from);
    if (at < 0) {
      const anywhere = text.indexOf(piece) >= 0;
      return anywhere
        ? `a piece is in ${file} but out of order:\n${piece}`
        : `this piece is not in ${file} (the file changed? copy it again):\n${piece}`;
    }
    from = at + piece.length;
  }
  return null;
}

const pages = readdirSync(tutorial)
  .filter((name) => name.endsWith('.md'))
  .sort();
const blocks = pages.flatMap((page) => blocksOf(page, readFileSync(join(tutorial, page), 'utf8')));
const where = (block: Block): string => `docs/tutorial/${block.page}:${block.line}`;

describe('docs/tutorial', () => {
  it('has the contents and the chapters', () => {
    expect(pages).toContain('README.md');
    expect(pages).toContain('how-a-request-travels.md');
    expect(pages.length).toBeGreaterThanOrEqual(12);
  });

  it('marks every code block it does not check, with a reason', () => {
    const unmarked = blocks
      .filter((block) => CHECKED.has(block.lang) && block.unchecked === null)
      .filter(
        (block) => !FILE_MARK.test(block.code.split('\n', 1)[0]!) && block.lang !== 'ts' && block.lang !== 'typescript',
      )
      .map(where);
    expect(unmarked, 'a block that names no file, is not TypeScript and has no <!-- not checked: reason -->').toEqual(
      [],
    );
  });

  it("shows each file's code as the file has it (examples/flaskr)", () => {
    const fileBlocks = blocks.filter((block) => FILE_MARK.test(block.code.split('\n', 1)[0]!));
    expect(fileBlocks.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const block of fileBlocks) {
      const [first, ...rest] = block.code.split('\n');
      const problem = excerptProblem(rest.join('\n'), FILE_MARK.exec(first!)![1]!);
      if (problem !== null) problems.push(`${where(block)}: ${problem}`);
    }
    expect(problems).toEqual([]);
    // Every file of the example's app appears in some chapter.
    const shown = new Set(fileBlocks.map((block) => FILE_MARK.exec(block.code.split('\n', 1)[0]!)![1]!));
    const appFiles = ['app.ts', 'db.ts', 'schema.sql', 'auth.ts', 'blog.ts', 'templates/base.html'].map(
      (name) => `examples/flaskr/flaskr/${name}`,
    );
    expect(appFiles.filter((file) => !shown.has(file))).toEqual([]);
  });

  it('links only to pages and files that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(tutorial, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        if (!existsSync(join(tutorial, target!))) broken.push(`${page} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only src/ files that exist (how-a-request-travels.md)', () => {
    const text = readFileSync(join(tutorial, 'how-a-request-travels.md'), 'utf8');
    const named = [...new Set([...text.matchAll(/`(src\/[\w/.-]+\.ts)`/g)].map((m) => m[1]!))];
    expect(named.length).toBeGreaterThan(8);
    expect(named.filter((file) => !existsSync(join(root, file)))).toEqual([]);
  });

  it('type-checks every other TypeScript block', async () => {
    const typed = blocks.filter(
      (block) =>
        (block.lang === 'ts' || block.lang === 'typescript') &&
        block.unchecked === null &&
        !FILE_MARK.test(block.code.split('\n', 1)[0]!),
    );
    expect(typed.length).toBeGreaterThan(0);
    const generated = join(root, 'test/.generated');
    mkdirSync(generated, { recursive: true });
    const folder = join(generated, `tutorial-${process.pid}`);
    rmSync(folder, { recursive: true, force: true });
    // The reader's project: the example's app in flaskr/, each block a file beside it.
    cpSync(join(root, 'examples/flaskr/flaskr'), join(folder, 'flaskr'), { recursive: true });
    const names = new Map<string, Block>();
    for (const block of typed) {
      const name = `${block.page.replace(/\.md$/, '')}-${block.line}.ts`;
      names.set(name, block);
      // `export {}` makes each block a module of its own, as a file of the reader's would be.
      writeFileSync(join(folder, name), `${block.code}\nexport {};\n`);
    }
    writeFileSync(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        extends: relative(folder, join(root, 'test/tsconfig.json')),
        // A block may declare a name only to show it.
        compilerOptions: { noUnusedLocals: false },
        include: ['.'],
        exclude: [],
      }),
    );
    try {
      await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', folder, '--noEmit']);
    } catch (error) {
      // Name the page and line of each error, not the generated file.
      const out = String((error as { stdout?: string }).stdout ?? error);
      const located = out.replace(
        /(?:[^\s(]*\/)?([\w.-]+)-(\d+)\.ts\((\d+),\d+\)/g,
        (all, page: string, line: string, row: string) =>
          names.has(`${page}-${line}.ts`) ? `docs/tutorial/${page}.md:${Number(line) + Number(row)}` : all,
      );
      expect.fail(`a TypeScript block of the tutorial does not type-check:\n${located}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
