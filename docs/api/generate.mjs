// Writes docs/api/: the API reference generated from the TSDoc, one page per entry point of package.json "exports".
//
//   npm run docs:api                      regenerate docs/api/*.md (commit the result)
//   node docs/api/generate.mjs --out DIR  write into DIR instead (test/architecture/api-docs.test.ts compares)
//
// The tool is TypeDoc with typedoc-plugin-markdown. TypeDoc reads the program through TypeScript's JavaScript API,
// which TypeScript 7 (the native compiler this project builds with) does not have; so package.json installs
// TypeScript 6 for TypeDoc alone under another name (`typescript-for-typedoc`, with an `overrides` entry that lets
// TypeDoc's peer range accept the root TypeScript 7), and the resolve hook below hands TypeDoc that copy whenever it
// imports `typescript`. The project's own build and type checks keep TypeScript 7.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  return next(specifier === 'typescript' ? 'typescript-for-typedoc' : specifier, context);
}`)}`,
);

const root = fileURLToPath(new URL('../../', import.meta.url));
const outArg = process.argv.indexOf('--out');
if (outArg !== -1 && !process.argv[outArg + 1]) throw new Error('docs/api/generate.mjs: --out needs a folder');
const out = outArg === -1 ? path.join(root, 'docs/api') : path.resolve(process.argv[outArg + 1]);

/** package.json "exports" → [import name, source entry file], e.g. ['flagon/http', 'src/http/index.ts']. */
async function entryPoints() {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  const entries = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target !== 'object' || !target.types) continue; // ./package.json
    const name = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    const source = target.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts');
    entries.push([name, source]);
  }
  return entries;
}

const entries = await entryPoints();
const { Application, Converter, Comment, ReflectionKind } = await import('typedoc');

const app = await Application.bootstrapWithPlugins({
  entryPoints: entries.map(([, source]) => path.join(root, source)),
  tsconfig: path.join(root, 'tsconfig.json'),
  plugin: ['typedoc-plugin-markdown'],
  out,
  name: 'Flagon API reference',
  readme: 'none',
  // TypeDoc would empty the whole folder, this script with it; the loop before generateOutputs clears the pages.
  cleanOutputDir: false,
  // The pages name no source lines, so an edit that only moves code does not change them.
  disableSources: true,
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  sort: ['kind', 'alphabetical'],
  logLevel: 'Warn',
  validation: { notExported: false, invalidLink: true, notDocumented: false },
  // typedoc-plugin-markdown: one page per entry point, named after its import path (flagon.http.md).
  outputFileStrategy: 'modules',
  flattenOutputFiles: true,
  entryFileName: 'README.md',
  hidePageHeader: true,
  useCodeBlocks: true,
  parametersFormat: 'table',
  interfacePropertiesFormat: 'table',
  classPropertiesFormat: 'table',
  typeAliasPropertiesFormat: 'table',
  enumMembersFormat: 'table',
  indexFormat: 'table',
  formatWithPrettier: false,
});

// Every src/<layer>/index.ts opens with `/** @module flagon/<layer>: what it holds. */`; TypeDoc would take the whole
// line as the module's name. Split it: the import path is the name, the rest the module's summary.
app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
  const wanted = new Set(entries.map(([name]) => name));
  for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
    const colon = module.name.indexOf(': ');
    const name = colon === -1 ? module.name : module.name.slice(0, colon);
    if (!wanted.has(name)) {
      throw new Error(
        `docs/api: a module is named "${module.name}"; each package.json export's index.ts must open with ` +
          '`/** @module flagon/<subpath>: summary. */` naming its import path',
      );
    }
    if (colon !== -1) {
      const summary = module.name.slice(colon + 2).trim();
      module.comment ??= new Comment();
      module.comment.summary = [{ kind: 'text', text: summary }, ...module.comment.summary];
    }
    module.name = name;
  }
});

const project = await app.convert();
if (!project) throw new Error('docs/api: TypeDoc could not convert the project (see the messages above)');
// Clear the pages of an earlier run (a removed entry point must not leave its page), never this script.
await mkdir(out, { recursive: true });
for (const file of await readdir(out)) if (file.endsWith('.md')) await rm(path.join(out, file));
await app.generateOutputs(project);

// The index says where the pages come from, so nobody edits them by hand.
const index = path.join(out, 'README.md');
await writeFile(
  index,
  (await readFile(index, 'utf8')).replace(
    /^# .*\n/,
    (title) =>
      `${title}\nGenerated from the TSDoc in \`src/\` by [generate.mjs](generate.mjs) (\`npm run docs:api\`, TypeDoc with ` +
      'typedoc-plugin-markdown): edit the comments, not these pages. One page per import path of the package; ' +
      'the guide is [docs/README.md](../README.md).\n',
  ),
);
if (app.logger.hasErrors()) process.exitCode = 1;
