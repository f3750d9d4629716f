import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLayers, readSources } from './layers.js';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

describe('the layer rules of ARCHITECTURE.md', () => {
  it('hold for every import in src/', () => {
    const files = readSources(src);
    expect(files.size).toBeGreaterThan(10);
    expect(checkLayers(files)).toEqual([]);
  });

  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'a lower layer importing a higher one',
      { 'gateway/a.ts': "import { serve } from '../serving/serve.js';" },
      /gateway\/ \(L0\) must not import serving\/ \(L4\)/,
    ],
    ['a type-only upward import', { 'http/a.ts': "import type { App } from '../app/app.js';" }, /must not import app/],
    [
      'routing importing its own layer peer other than http',
      { 'routing/a.ts': "import { x } from '../middleware/x.js';" },
      /must not import middleware/,
    ],
    ['middleware importing app', { 'middleware/a.ts': "export { App } from '../app/app.js';" }, /must not import app/],
    [
      'anything importing src/index.ts',
      { 'app/a.ts': "import { serve } from '../index.js';" },
      /nothing inside src imports/,
    ],
    [
      'anything but src/index.ts importing src/root-app.ts',
      { 'testing/a.ts': "import { App } from '../root-app.js';" },
      /only src\/index.ts imports src\/root-app.ts/,
    ],
    [
      'a dynamic upward import',
      { 'wrappers/a.ts': "const m = await import('../cli/main.js');" },
      /must not import cli/,
    ],
    [
      'node:http outside serving',
      { 'app/a.ts': "import { createServer } from 'node:http';" },
      /only serving\/, dev\/, adapters\/ and cli\/ touch node:http/,
    ],
    ['node:fs in a sans-IO folder', { 'http/a.ts': "import { readFileSync } from 'node:fs';" }, /http\/ is sans-IO/],
    [
      'busboy in two files',
      { 'wrappers/a.ts': "import busboy from 'busboy';", 'wrappers/b.ts': "import busboy from 'busboy';" },
      /busboy appears in one file only/,
    ],
    [
      'nunjucks outside templating',
      { 'app/a.ts': "import nunjucks from 'nunjucks';" },
      /nunjucks belongs in templating/,
    ],
    [
      'a folder missing from the table',
      { 'helpers/a.ts': "import { x } from '../gateway/types.js';" },
      /not in the layer table/,
    ],
  ];
  it.each(cases)('catch %s', (_name, files, rule) => {
    const violations = checkLayers(new Map(Object.entries(files)));
    expect(violations.map((v) => v.rule).join('\n')).toMatch(rule);
  });

  it('allow zod in several files of validation/, and nowhere else', () => {
    const inside = { 'validation/a.ts': "import { z } from 'zod';", 'validation/b.ts': "import { z } from 'zod';" };
    expect(checkLayers(new Map(Object.entries(inside)))).toEqual([]);
    const outside = checkLayers(new Map(Object.entries({ ...inside, 'app/a.ts': "import { z } from 'zod';" })));
    expect(outside).toEqual([{ file: 'app/a.ts', specifier: 'zod', rule: 'zod belongs in validation/' }]);
  });

  it('allow type-only node:http imports in adapters and same-layer imports', () => {
    const files = new Map(
      Object.entries({
        'adapters/a.ts':
          "import type { IncomingMessage } from 'node:http';\nimport { serve } from '../serving/serve.js';",
        'testing/a.ts': "import { x } from '../serving/listener.js';",
        'app/a.ts': "import type { IncomingMessage } from 'node:http';",
      }),
    );
    expect(checkLayers(files)).toEqual([]);
  });
});
