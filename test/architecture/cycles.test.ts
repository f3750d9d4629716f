import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, readSources } from './layers.js';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

describe('the import graph of src/', () => {
  it('has no cycles, type-only imports included', () => {
    expect(findCycles(readSources(src))).toEqual([]);
  });

  it('finds a type-only cycle and a longer one', () => {
    const files = new Map(
      Object.entries({
        'app/a.ts': "import type { B } from './b.js';",
        'app/b.ts': "import { a } from './a.js';",
        'app/c.ts': "import { d } from './d.js';",
        'app/d.ts': "import { e } from './e.js';",
        'app/e.ts': "export { c } from './c.js';",
        'app/f.ts': "import { a } from './a.js';",
      }),
    );
    expect(findCycles(files)).toEqual([
      ['app/a.ts', 'app/b.ts'],
      ['app/c.ts', 'app/d.ts', 'app/e.ts'],
    ]);
  });
});
