/**
 * Vitest, set up so that code with decorators can be tested.
 *
 * Flagon's decorators (`@app.get('/')` on a static method) are standard TC39 decorators, which Node cannot run yet:
 * something must compile them into plain functions first. `flagon run` and `npm start` use tsx (esbuild) for that.
 * Vite 8, which vitest installs today, compiles TypeScript with Oxc instead, and Oxc strips the types but leaves
 * decorators in place, so every test file that imports decorated code fails with a bare
 * "SyntaxError: Invalid or unexpected token". Setting Oxc's target does not help (it does not lower decorators).
 * So this config turns Oxc off and compiles TypeScript with esbuild, the same compiler that tsx uses, with the same
 * settings as tsconfig.json. It works with Vite 7 too. (Vitest 4, not 5: vitest 5 needs Node 22.12 or newer.)
 */
import { transform } from 'esbuild';
import { defineConfig, type Plugin } from 'vitest/config';

function typescriptWithDecorators(): Plugin {
  return {
    name: 'typescript-with-decorators',
    enforce: 'pre',
    async transform(code, id) {
      if (!/\.[cm]?ts$/.test(id.split('?', 1)[0]!)) return null;
      const result = await transform(code, {
        loader: 'ts',
        format: 'esm',
        target: 'es2022', // lowers decorators; keeps everything Node 20 runs natively
        sourcemap: true, // stack traces and failed expects point at your .ts lines
        sourcefile: id,
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: true } },
      });
      return { code: result.code, map: result.map };
    },
  };
}

export default defineConfig({
  oxc: false,
  plugins: [typescriptWithDecorators()],
  test: {
    include: ['test/**/*.test.ts'],
  },
});
