/** @module `flagon routes` (layer L5): the app's URL rules as a table, as `flask routes` prints them. */
import type { App } from '../app/app.js';

/** The columns `--sort` accepts. */
export type RouteSort = 'endpoint' | 'methods' | 'rule';
const HIDDEN = new Set(['HEAD', 'OPTIONS']);

/**
 * Formats the app's rules: endpoint, methods and rule (and host, when a rule has one), sorted by `sort`; HEAD and
 * OPTIONS are left out unless `allMethods`.
 *
 * @example
 * process.stdout.write(formatRoutes(app, 'rule', false));
 */
export function formatRoutes(app: App, sort: RouteSort = 'endpoint', allMethods = false): string {
  const rules = app.router.rules;
  if (rules.length === 0) return 'No routes were registered.\n';
  const withHost = rules.some((rule) => rule.hostPattern !== null);
  const rows = rules.map((rule) => {
    const methods = [...rule.methods]
      .filter((m) => allMethods || !HIDDEN.has(m))
      .sort()
      .join(', ');
    return withHost ? [rule.endpoint, methods, rule.hostPattern ?? '', rule.rule] : [rule.endpoint, methods, rule.rule];
  });
  const column = { endpoint: 0, methods: 1, rule: withHost ? 3 : 2 }[sort];
  rows.sort((a, b) => a[column]!.localeCompare(b[column]!) || a[0]!.localeCompare(b[0]!));
  const headers = withHost ? ['Endpoint', 'Methods', 'Host', 'Rule'] : ['Endpoint', 'Methods', 'Rule'];
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return `${[line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}
