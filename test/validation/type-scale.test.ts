/**
 * Types at scale (issue 19, item 5): a generated app of 500 routes with zod schemas (builder routes on an App and on
 * five blueprints, a few decorated methods; path converters, query, body, params and response schemas; views that
 * read `req.valid.*` and return the response type) type-checks with the project's tsc in under 30 s, with no error
 * at all (so no TS2589 "excessively deep"). A negative control, the same app with one view returning the wrong type,
 * must fail on that line, so the check is not vacuous. The tsc figures (`--extendedDiagnostics`) are printed.
 *
 * The files are written under test/.generated/ (ignored by git; tsc's `**` skips dot folders, so test/tsconfig.json
 * never sees them) so that `flagon` and `zod` resolve as in the rest of the suite, and removed afterwards.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const GENERATED = join(ROOT, 'test/.generated');

const ROUTES = 500;
const BLUEPRINTS = 5;
/** Routes per resource: list, get, create, update (PATCH), replace (PUT), delete, export, search, stats, archive. */
const PER_RESOURCE = 10;
const RESOURCES = ROUTES / PER_RESOURCE; // 50: 25 on the app, 5 on each blueprint

/** Where a route is registered, and how. */
type Owner = { name: string; prefix: string };

/** The schemas of one resource: each resource has its own, as a real API does (no sharing that would hide cost). */
function resourceSchemas(r: number): string {
  const status = `z.enum(['draft', 'live', 'archived'])`;
  return `
const R${r}Item = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  price: z.number().nonnegative(),
  status: ${status},
  tags: z.array(z.string()),
  owner: z.object({ id: z.uuid(), email: z.email() }),
  note${r}: z.string().optional(),
});
const R${r}New = z.object({
  name: z.string().min(1).max(80),
  price: z.number().nonnegative(),
  status: ${status}.default('draft'),
  tags: z.array(z.string()).default([]),
  owner: z.object({ id: z.uuid(), email: z.email() }),
});
const R${r}Patch = R${r}New.partial();
const R${r}Query = z.object({
  page: z.number().int().min(1).default(1),
  per_page: z.number().int().min(1).max(100).default(20),
  q: z.string().optional(),
  status: z.array(${status}).optional(),
  archived: z.boolean().default(false),
});
const R${r}Page = z.object({ items: z.array(R${r}Item), page: z.number(), total: z.number() });
const R${r}Stats = z.object({ count: z.number(), mean: z.number(), byStatus: z.record(z.string(), z.number()) });
const R${r}Headers = z.object({ 'x-request-id': z.string().optional(), 'x-api-version': z.number().default(1) });
const R${r}Params = z.object({ slug: z.string().min(3), year: z.coerce.number().int() });
const make${r} = (id: number, name: string): z.input<typeof R${r}Item> => ({
  id, name, price: 1, status: 'live', tags: [], owner: { id: '00000000-0000-4000-8000-000000000000', email: 'a@b.co' },
});
`;
}

/**
 * The ten routes of a resource, builder style on `owner`. The view of route `bad` (an index within the resource)
 * returns a wrong type; its registration line is marked `// BAD`.
 */
function resourceRoutes(r: number, owner: Owner, bad: number | null): string {
  const o = owner.name;
  const p = `${owner.prefix}/r${r}`;
  // tsc reports a view's wrong return type on the view itself, the argument of the registration call (TS2345):
  // the marker goes on that line.
  const mark = (i: number) => (bad === i ? ' // BAD' : '');
  const ret = (i: number, good: string, wrong: string) => `${bad === i ? wrong : good};`;
  return `
${o}.get('${p}', { query: R${r}Query, response: R${r}Page, summary: 'List r${r}', tags: ['r${r}'] }, (req) => {${mark(0)}
  const { page, per_page, q, archived } = req.valid.query;
  const items = archived ? [] : [make${r}(page * per_page, q ?? 'all')];
  return ${ret(0, `{ items, page, total: items.length }`, `{ items, page: String(page), total: items.length }`)}
});
${o}.get('${p}/<int:id>', { response: R${r}Item }, (req) => {${mark(1)}
  const id: number = req.valid.params.id;
  return ${ret(1, `make${r}(id, 'one')`, `{ ...make${r}(id, 'one'), price: 'free' }`)}
});
${o}.post('${p}', { body: R${r}New, headers: R${r}Headers, response: R${r}Item }, (req) => {${mark(2)}
  const { name, price, status, tags, owner } = req.valid.body;
  const version: number = req.valid.headers['x-api-version'];
  return ${ret(2, `[{ id: version, name, price, status, tags, owner }, 201] as const`, `[{ id: version, name, price, status: 'gone', tags, owner }, 201] as const`)}
});
${o}.patch('${p}/<int(min=1):id>', { body: R${r}Patch, response: R${r}Item }, async (req) => {${mark(3)}
  const current = make${r}(req.valid.params.id, 'old');
  return ${ret(3, `{ ...current, ...req.valid.body, owner: req.valid.body.owner ?? current.owner }`, `{ ...current, ...req.valid.body, id: String(req.valid.params.id) }`)}
});
${o}.put('${p}/<uuid:key>', { body: R${r}New, response: R${r}Item }, (req) => {${mark(4)}
  const key: string = req.valid.params.key;
  return ${ret(4, `{ ...make${r}(key.length, key), ...req.valid.body }`, `{ ...make${r}(key.length, key), tags: key }`)}
});
${o}.delete('${p}/<int:id>', (req) => {
  const id: number = req.params.id; // no schema: req.params, typed from the rule; any return value Flask accepts
  return ['', id > 0 ? 204 : 404] as const;
});
${o}.get('${p}/export.<any(json, csv):fmt>', { query: R${r}Query, response: R${r}Page }, (req) => {${mark(6)}
  const fmt: string = req.valid.params.fmt;
  return ${ret(6, `{ items: [make${r}(1, fmt)], page: req.valid.query.page, total: 1 }`, `{ items: [make${r}(1, fmt)], page: req.valid.query.page }`)}
});
${o}.route('${p}/search/<path:terms>', { methods: ['GET', 'POST'], query: R${r}Query, response: R${r}Page }, (req) => {${mark(7)}
  const terms: string = req.valid.params.terms;
  return ${ret(7, `{ items: [make${r}(req.valid.query.page, terms)], page: 1, total: 1 }`, `{ items: [make${r}(req.valid.query.page, terms), null], page: 1, total: 1 }`)}
});
${o}.get('${p}/stats/<float(min=0):since>', { response: R${r}Stats }, (req) => {${mark(8)}
  const since: number = req.valid.params.since;
  return ${ret(8, `{ count: 1, mean: since, byStatus: { live: 1 } }`, `{ count: 1, mean: since, byStatus: { live: 'one' } }`)}
});
${o}.post('${p}/archive/<slug>/<year>', { params: R${r}Params, response: R${r}Item }, (req) => {${mark(9)}
  const { slug, year } = req.valid.params;
  return ${ret(9, `make${r}(year, slug)`, `{ ...make${r}(year, slug), owner: null }`)}
});
`;
}

/** A class of decorated static methods on `owner`, annotated with RouteRequest as docs/validation.md says. */
function decorated(r: number, owner: Owner): string {
  const p = `${owner.prefix}/d${r}`;
  return `
const d${r}Get = { query: R${r}Query, response: R${r}Page } as const;
const d${r}Post = { body: R${r}New, response: R${r}Item } as const;
export class Decorated${r} {
  @${owner.name}.get('${p}/<int:id>', d${r}Get)
  static show(req: RouteRequest<'${p}/<int:id>', typeof d${r}Get>) {
    return { items: [make${r}(req.valid.params.id, 'd')], page: req.valid.query.page, total: 1 };
  }
  @${owner.name}.post('${p}', d${r}Post)
  static create(req: RouteRequest<'${p}', typeof d${r}Post>) {
    return [{ id: 1, ...req.valid.body }, 201] as const;
  }
}
`;
}

/** The whole app as one module: `bad` is the global route index (0…499) whose view returns the wrong type. */
function generateApp(bad: number | null = null): { source: string; routes: number; badLine: number | null } {
  const owners: Owner[] = [
    { name: 'app', prefix: '/api' },
    ...Array.from({ length: BLUEPRINTS }, (_, b) => ({ name: `bp${b}`, prefix: '' })),
  ];
  let source = `/* Generated by test/validation/type-scale.test.ts: do not edit. */
import { z } from 'zod';
import { App, Blueprint } from 'flagon';
import type { RouteRequest } from 'flagon/app';

export const app = new App(import.meta.url);
${Array.from({ length: BLUEPRINTS }, (_, b) => `export const bp${b} = new Blueprint('bp${b}', import.meta.url, { urlPrefix: '/bp${b}' });`).join('\n')}
`;
  let routes = 0;
  for (let r = 0; r < RESOURCES; r++) {
    // Half the resources on the app, the rest spread over the blueprints.
    const owner = r < RESOURCES / 2 ? owners[0]! : owners[1 + (r % BLUEPRINTS)]!;
    source += resourceSchemas(r);
    const local = bad !== null && Math.floor(bad / PER_RESOURCE) === r ? bad % PER_RESOURCE : null;
    source += resourceRoutes(r, owner, local);
    routes += PER_RESOURCE;
  }
  // Besides the 500 builder routes: two decorated methods on every tenth resource, on the app and the blueprints.
  for (let r = 0; r < RESOURCES; r += 10) source += decorated(r, owners[r % owners.length]!);
  source += `\n${Array.from({ length: BLUEPRINTS }, (_, b) => `app.registerBlueprint(bp${b});`).join('\n')}\n`;
  const lines = source.split('\n');
  const at = lines.findIndex((line) => line.endsWith('// BAD'));
  return { source, routes, badLine: at === -1 ? null : at + 1 };
}

/** The figures tsc prints with --extendedDiagnostics that this test reports. */
interface Diagnostics {
  files: number;
  types: number;
  instantiations: number;
  memoryKB: number;
  checkSeconds: number;
  totalSeconds: number;
}

function parseDiagnostics(stdout: string): Diagnostics {
  const figure = (label: string): number => {
    const match = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(stdout);
    if (!match) throw new Error(`tsc printed no '${label}' figure:\n${stdout}`);
    return Number(match[1]);
  };
  return {
    files: figure('Files'),
    types: figure('Types'),
    instantiations: figure('Instantiations'),
    memoryKB: figure('Memory used'),
    checkSeconds: figure('Check time'),
    totalSeconds: figure('Total time'),
  };
}

/** Runs tsc over one generated module; never rejects: the exit code and output are the result. */
function tsc(dir: string, file: string): Promise<{ code: number; stdout: string; wallMs: number }> {
  writeFileSync(
    join(dir, `tsconfig.${file}.json`),
    JSON.stringify({
      // test/tsconfig.json's options (its `paths` map flagon to src/), over this one module only.
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: true, noUnusedLocals: false },
      files: [`./${file}.ts`],
      include: [],
    }),
  );
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSC, '--noEmit', '--extendedDiagnostics', '--pretty', 'false', '-p', join(dir, `tsconfig.${file}.json`)],
      { cwd: ROOT, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: `${stdout}${stderr}`, wallMs: performance.now() - started });
      },
    );
  });
}

describe('types at scale: 500 routes with schemas', () => {
  let dir = '';
  beforeAll(() => {
    mkdirSync(GENERATED, { recursive: true });
    dir = mkdtempSync(join(GENERATED, 'scale-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    // test/.generated/ too once empty: another run of this file may be using its own folder in it.
    try {
      rmdirSync(GENERATED);
    } catch {
      // not empty, or gone already
    }
  });

  it('the generator writes 500 routes on an app and five blueprints, with 10 decorated ones besides', () => {
    const { source, routes, badLine } = generateApp();
    expect(routes).toBe(ROUTES);
    expect(badLine).toBeNull();
    const registrations = source.match(/^(app|bp\d)\.(get|post|put|patch|delete|route)\(/gm) ?? [];
    expect(registrations).toHaveLength(ROUTES);
    expect(new Set(registrations.map((call) => call.split('.')[0]))).toEqual(
      new Set(['app', 'bp0', 'bp1', 'bp2', 'bp3', 'bp4']),
    );
    expect(source.match(/^ {2}@(app|bp\d)\.(get|post)\(/gm)).toHaveLength(10);
  });

  it('type-check in under 30 s without any error, and one wrong return type fails on its line', async () => {
    const good = generateApp();
    // Resource 23: its get (an overloaded method: `price: 'free'`) and its search (`route()`: a null in `items`).
    const wrongGet = generateApp(231);
    const wrongRoute = generateApp(237);
    writeFileSync(join(dir, 'good.ts'), good.source);
    writeFileSync(join(dir, 'wrong-get.ts'), wrongGet.source);
    writeFileSync(join(dir, 'wrong-route.ts'), wrongRoute.source);
    // A one-route module as the baseline: what tsc costs for flagon, zod and the node types alone.
    writeFileSync(
      join(dir, 'baseline.ts'),
      `import { z } from 'zod';\nimport { App } from 'flagon';\nconst app = new App(import.meta.url);\napp.get('/', { query: z.object({ q: z.string() }) }, (req) => req.valid.query.q);\n`,
    );

    const [ok, base, badGet, badRoute] = await Promise.all([
      tsc(dir, 'good'),
      tsc(dir, 'baseline'),
      tsc(dir, 'wrong-get'),
      tsc(dir, 'wrong-route'),
    ]);
    const figures = { good: parseDiagnostics(ok.stdout), baseline: parseDiagnostics(base.stdout) };
    const report = (name: string, run: { wallMs: number }, d: Diagnostics) =>
      `${name}: wall ${(run.wallMs / 1000).toFixed(2)} s, check ${d.checkSeconds} s, total ${d.totalSeconds} s, ` +
      `types ${d.types}, instantiations ${d.instantiations}, memory ${Math.round(d.memoryKB / 1024)} MB, files ${d.files}`;
    console.log(
      `tsc ${ROUTES} routes (${TSC}):\n  ${report('500 routes', ok, figures.good)}\n  ${report('baseline (1 route)', base, figures.baseline)}\n` +
        `  per route: ${Math.round((figures.good.instantiations - figures.baseline.instantiations) / ROUTES)} instantiations, ` +
        `${Math.round((figures.good.types - figures.baseline.types) / ROUTES)} types`,
    );

    const errors = (stdout: string) => stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors(ok.stdout)).toEqual([]);
    expect(ok.stdout).not.toContain('TS2589');
    expect(ok.code).toBe(0);
    expect(ok.wallMs).toBeLessThan(30_000);
    expect(base.code).toBe(0);

    // The negative controls: exactly one error each, a type mismatch, on the marked line.
    for (const [name, run, generated] of [
      ['wrong-get', badGet, wrongGet],
      ['wrong-route', badRoute, wrongRoute],
    ] as const) {
      expect(run.code).not.toBe(0);
      expect(generated.badLine).toBeGreaterThan(0);
      const found = errors(run.stdout);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(new RegExp(`${name}\\.ts\\(${generated.badLine},\\d+\\): error TS(2322|2345): `));
    }
  }, 120_000);
});
