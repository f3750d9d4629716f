import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests and examples import 'flagon' and 'flagon/<layer>' as users do; here those names point at src/
// so the suite runs on the sources (the built package is checked by `npm run build` before vitest).
const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src/`;

export default defineConfig({
  root,
  resolve: {
    alias: [
      { find: /^flagon$/, replacement: `${src}index.ts` },
      { find: /^flagon\/([a-z]+)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/*/tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
