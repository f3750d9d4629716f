/**
 * The layer table of ../shared/design/ARCHITECTURE.md as data, and a checker over the import graph of src/.
 * A module imports only from its own layer or below; a few folders and packages have tighter rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';

export const LAYERS: Record<string, number> = {
  gateway: 0,
  http: 1,
  routing: 1,
  wrappers: 2,
  middleware: 2,
  app: 3,
  sessions: 3,
  templating: 3,
  validation: 3,
  testing: 4,
  serving: 4,
  dev: 4,
  adapters: 4,
  cli: 5,
};

/**
 * Folders that may import only these folders (besides themselves). ARCHITECTURE.md says routing imports http/ only;
 * we also allow gateway/ (L0, pure): routing needs its URL quoting for redirect URLs, and copying it would be worse.
 * What the rule protects, that routing never sees an environ or does I/O, still holds.
 */
const ONLY: Record<string, readonly string[]> = { routing: ['http', 'gateway'] };
/** Node modules that do I/O on sockets or processes: only these folders may import them at run time. */
const IO_MODULES = /^node:(http|https|http2|net|tls|dgram|child_process|cluster|worker_threads)$/;
const IO_FOLDERS = new Set(['serving', 'dev', 'adapters', 'cli']);
/** The sans-IO folders: no node:fs either, not even for types. */
const SANS_IO = new Set(['gateway', 'http', 'routing']);
/** Packages that may appear in one file only, inside one folder (zod: in one folder, ARCHITECTURE.md's wording). */
const ONE_FILE: Record<string, string> = {
  busboy: 'wrappers',
  nunjucks: 'templating',
  zod: 'validation',
  redis: 'sessions',
};
/**
 * Of those, the ones held to their folder only: zod serves config checks, route validation and JSON Schema, each
 * its own file in validation/ (ARCHITECTURE.md: "nunjucks and zod each appear in exactly one folder").
 */
const ONE_FOLDER = new Set(['zod']);

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const IMPORT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** `files` maps paths relative to src/ (posix) to their source. */
export function checkLayers(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  const packageUsers = new Map<string, string[]>();
  for (const [file, source] of files) {
    const folder = file.includes('/') ? file.split('/')[0]! : '';
    for (const match of source.matchAll(IMPORT)) {
      const typeOnly = match[2] !== undefined;
      const specifier = (match[3] ?? match[4])!;
      const fail = (rule: string): void => {
        violations.push({ file, specifier, rule });
      };
      if (specifier.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(file), specifier));
        if (target.startsWith('..')) {
          fail('imports outside src/');
          continue;
        }
        const targetFolder = target.includes('/') ? target.split('/')[0]! : '';
        if (target === 'index.js' || target === 'index.ts') {
          fail('nothing inside src imports src/index.ts');
          continue;
        }
        if ((target === 'root-app.js' || target === 'root-app.ts') && file !== 'index.ts') {
          fail('only src/index.ts imports src/root-app.ts');
          continue;
        }
        if (folder === '' || targetFolder === folder) continue;
        const from = LAYERS[folder];
        const to = LAYERS[targetFolder];
        if (from === undefined) {
          fail(`folder '${folder}' is not in the layer table`);
          continue;
        }
        if (to === undefined) {
          fail(`folder '${targetFolder}' is not in the layer table`);
          continue;
        }
        if (to > from) fail(`${folder}/ (L${from}) must not import ${targetFolder}/ (L${to})`);
        else if (ONLY[folder] && !ONLY[folder].includes(targetFolder))
          fail(`${folder}/ may import only ${ONLY[folder].join(', ')}/`);
        continue;
      }
      if (
        SANS_IO.has(folder) &&
        /^node:(fs|fs\/promises|http|https|http2|net|tls|child_process|stream)$/.test(specifier)
      ) {
        fail(`${folder}/ is sans-IO: no ${specifier}`);
      } else if (!typeOnly && IO_MODULES.test(specifier) && !IO_FOLDERS.has(folder)) {
        fail(`only serving/, dev/, adapters/ and cli/ touch ${specifier}`);
      }
      const pkg = specifier.split('/')[0]!;
      if (pkg in ONE_FILE) packageUsers.set(pkg, [...(packageUsers.get(pkg) ?? []), file]);
    }
  }
  for (const [pkg, users] of packageUsers) {
    const unique = [...new Set(users)];
    const home = ONE_FILE[pkg]!;
    if (unique.length > 1 && !ONE_FOLDER.has(pkg))
      for (const file of unique) violations.push({ file, specifier: pkg, rule: `${pkg} appears in one file only` });
    for (const file of unique)
      if (!file.startsWith(`${home}/`)) violations.push({ file, specifier: pkg, rule: `${pkg} belongs in ${home}/` });
  }
  return violations;
}

/** Reads every .ts file under a folder into the map `checkLayers` takes. */
export function readSources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts'))
        files.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

/** The import graph of `files`: each file to the files it imports (relative specifiers, type-only ones included). */
export function importGraph(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, source] of files) {
    const targets: string[] = [];
    for (const match of source.matchAll(IMPORT)) {
      const specifier = (match[3] ?? match[4])!;
      if (!specifier.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
      if (files.has(target)) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/**
 * The import cycles of `files` (type-only imports count: a type cycle ties two modules together as surely), each as
 * the files of one strongly connected component, sorted. Tarjan's algorithm.
 */
export function findCycles(files: ReadonlyMap<string, string>): string[][] {
  const graph = importGraph(files);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
