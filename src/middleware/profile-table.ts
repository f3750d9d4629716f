/** @module The summary of a V8 CPU profile (layer L2): self and total time per function from the profile's nodes, samples and timeDeltas, pstats-like restrictions, and the table the profiler prints. Pure: a profile in, rows and text out. */

/**
 * Where a profiled function is: the DevTools protocol's `Runtime.CallFrame` (line and column numbers 0-based).
 *
 * @example
 * const frame: CpuProfileCallFrame = { functionName: 'show', scriptId: '81', url: 'file:///srv/app.ts', lineNumber: 11, columnNumber: 2 };
 */
export interface CpuProfileCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/**
 * One node of a profile's call tree: a function called from its parent's function (DevTools' `Profiler.ProfileNode`).
 *
 * @example
 * const root: CpuProfileNode = { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [2] };
 */
export interface CpuProfileNode {
  id: number;
  callFrame: CpuProfileCallFrame;
  /** How many samples had this node on top of the stack. */
  hitCount?: number;
  children?: number[];
  deoptReason?: string;
  positionTicks?: Array<{ line: number; ticks: number }>;
}

/**
 * A V8 CPU profile as `Profiler.stop` returns it and as a `.cpuprofile` file holds it (DevTools' `Profiler.Profile`):
 * the call tree, then one sample per tick, the id of the node on top of the stack, `timeDeltas[i]` microseconds after
 * the sample before (the first after `startTime`). Times are in microseconds.
 *
 * @example
 * const profile = JSON.parse(readFileSync('profiles/GET.users.7.34ms.1764775385123.cpuprofile', 'utf8')) as CpuProfile;
 * profile.samples?.length === profile.timeDeltas?.length; // true
 */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * One function's line in the summary: the time it was on top of the stack (`selfMs`) and anywhere on it (`totalMs`).
 *
 * @example
 * const row: ProfileRow = { functionName: 'slowFibonacci', url: 'file:///srv/app.ts', lineNumber: 3, columnNumber: 1, selfMs: 30.2, totalMs: 30.2, samples: 290 };
 */
export interface ProfileRow {
  /** `(anonymous)` for a function without a name; V8's own rows are `(program)`, `(idle)` and `(garbage collector)`. */
  functionName: string;
  url: string;
  /** 1-based, as editors count; 0 for V8's own rows. */
  lineNumber: number;
  /** 1-based. */
  columnNumber: number;
  selfMs: number;
  /** Self time plus the time of everything it called; a recursive function counts once per stack. */
  totalMs: number;
  /** The samples with this function on top of the stack. */
  samples: number;
}

/**
 * What {@link summarizeProfile} finds in a profile: one row per function, the profile's length and its sample count.
 *
 * @example
 * const { rows, durationMs, sampleCount } = summarizeProfile(profile);
 */
export interface ProfileSummary {
  rows: ProfileRow[];
  durationMs: number;
  sampleCount: number;
}

/**
 * A restriction on the printed rows, as pstats' `print_stats(*restrictions)`: an integer N keeps the first N rows, a
 * number between 0 and 1 that fraction of them, and a string (a regular expression, or plain text if it is not a valid
 * one) or a RegExp keeps the rows whose `url:line(function)` it matches. Applied in order.
 *
 * @example
 * const restrictions: ProfileRestriction[] = ['app\\.ts', 10]; // the app's own functions, then the first 10 of those
 */
export type ProfileRestriction = number | string | RegExp;

/** V8's rows that are no function of the program. `(root)` only holds the tree together: it is never printed. */
const ROOT = '(root)';

/**
 * Self and total time per function from a profile's samples: a sample lasts until the next one (the last one until
 * `endTime`), as Chrome DevTools counts; its time is the function's on top of the stack (self), and every function
 * on the stack, each once however often it recurs (total). Rows are sorted by self time.
 *
 * @example
 * const { rows } = summarizeProfile(profile);
 * rows[0]; // { functionName: 'slowFibonacci', selfMs: 30.2, totalMs: 30.2, … }
 */
export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  // Time per node (µs): sample i lasts from its timestamp to the next one's.
  const nodeTime = new Map<number, number>();
  const nodeHits = new Map<number, number>();
  let time = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    time += deltas[i] ?? 0;
    const next = i + 1 < samples.length ? time + (deltas[i + 1] ?? 0) : profile.endTime;
    const id = samples[i]!;
    nodeTime.set(id, (nodeTime.get(id) ?? 0) + Math.max(0, next - time));
    nodeHits.set(id, (nodeHits.get(id) ?? 0) + 1);
  }
  const rows = new Map<string, ProfileRow>();
  const rowOf = (node: CpuProfileNode): ProfileRow | null => {
    const frame = node.callFrame;
    if (frame.functionName === ROOT && frame.url === '') return null;
    const key = `${frame.scriptId}\0${frame.url}\0${frame.lineNumber}\0${frame.columnNumber}\0${frame.functionName}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = {
        functionName: frame.functionName || '(anonymous)',
        url: frame.url,
        lineNumber: frame.lineNumber + 1,
        columnNumber: frame.columnNumber + 1,
        selfMs: 0,
        totalMs: 0,
        samples: 0,
      };
      rows.set(key, row);
    }
    return row;
  };
  for (const [id, micros] of nodeTime) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const self = rowOf(node);
    if (self !== null) {
      self.selfMs += micros / 1000;
      self.samples += nodeHits.get(id) ?? 0;
    }
    // Up the stack: each function once, so fib → fib → fib adds its time to fib's total once, not three times.
    const seen = new Set<ProfileRow>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const ancestor = byId.get(at);
      const row = ancestor === undefined ? null : rowOf(ancestor);
      if (row === null || seen.has(row)) continue;
      seen.add(row);
      row.totalMs += micros / 1000;
    }
  }
  // Functions in the tree that no sample caught (a caller's caller that returned early) still get a row of zeros:
  // they ran, and a restriction on the table should be able to find them.
  for (const node of profile.nodes) rowOf(node);
  return {
    rows: sortRows([...rows.values()], 'self'),
    durationMs: (profile.endTime - profile.startTime) / 1000,
    sampleCount: samples.length,
  };
}

/**
 * Keeps what a profile recorded from `from` to `to` microseconds after its `startTime`, in place. V8's profiler spends
 * its first tens of milliseconds (at `Profiler.start`) listing the code already compiled, and its last ones
 * (`Profiler.stop`) building the profile: neither is part of the request. Samples outside go, `startTime` and
 * `endTime` move to the cuts, hit counts are counted again from the samples left, and nodes no sample reaches any more
 * are pruned (with their line ticks, which no longer add up).
 *
 * @example
 * trimProfile(profile, 25_000, 60_000); // the 35 ms from 25 ms to 60 ms after the start
 */
export function trimProfile(profile: CpuProfile, from: number, to = Number.POSITIVE_INFINITY): void {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const end = Math.min(profile.startTime + Math.max(0, to), profile.endTime);
  const start = Math.min(profile.startTime + Math.max(0, from), end);
  const kept: number[] = [];
  const keptDeltas: number[] = [];
  let time = profile.startTime;
  let previous = start;
  for (let i = 0; i < samples.length; i++) {
    time += deltas[i] ?? 0;
    if (time < start || time > end) continue;
    kept.push(samples[i]!);
    keptDeltas.push(time - previous);
    previous = time;
  }
  const dropped = samples.length - kept.length;
  profile.startTime = start;
  profile.endTime = end;
  profile.samples = kept;
  profile.timeDeltas = keptDeltas;
  if (dropped === 0) return;
  const hits = new Map<number, number>();
  for (const id of kept) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const reached = new Set<number>();
  const visit = (node: CpuProfileNode): boolean => {
    let any = (hits.get(node.id) ?? 0) > 0;
    for (const child of node.children ?? []) {
      const childNode = byId.get(child);
      if (childNode !== undefined && visit(childNode)) any = true;
    }
    if (any) reached.add(node.id);
    return any;
  };
  const root = profile.nodes[0];
  if (root === undefined) return;
  visit(root);
  reached.add(root.id);
  profile.nodes = profile.nodes.filter((node) => reached.has(node.id));
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (node.hitCount !== count) delete node.positionTicks;
    node.hitCount = count;
    if (node.children) node.children = node.children.filter((child) => reached.has(child));
  }
}

/**
 * Rows sorted by self time (`'self'`, pstats' `'time'`; ties: more total time first) or total time (`'total'`, pstats'
 * `'cumulative'`; ties: less self time first, so that a caller whose time is all its callee's comes before it), then
 * by name.
 *
 * @example
 * sortRows(summary.rows, 'total')[0].functionName; // the outermost function, usually the server's
 */
export function sortRows(rows: readonly ProfileRow[], by: 'self' | 'total'): ProfileRow[] {
  const order =
    by === 'self'
      ? (a: ProfileRow, b: ProfileRow) => b.selfMs - a.selfMs || b.totalMs - a.totalMs
      : (a: ProfileRow, b: ProfileRow) => b.totalMs - a.totalMs || a.selfMs - b.selfMs;
  return [...rows].sort((a, b) => order(a, b) || a.functionName.localeCompare(b.functionName));
}

/** The text a string or RegExp restriction is matched against, pstats' `file:line(function)`. */
export function rowLabel(row: ProfileRow): string {
  return `${row.url}:${row.lineNumber}(${row.functionName})`;
}

/**
 * Applies restrictions in order, as pstats does, and says which reduced the list (pstats' "List reduced from 57 to
 * 10 due to restriction <10>").
 *
 * @example
 * applyRestrictions(rows, ['app\\.ts', 5]).rows.length; // at most 5, all from app.ts
 */
export function applyRestrictions(
  rows: readonly ProfileRow[],
  restrictions: readonly ProfileRestriction[],
): { rows: ProfileRow[]; notes: string[] } {
  let list = [...rows];
  const notes: string[] = [];
  for (const restriction of restrictions) {
    const before = list.length;
    if (typeof restriction === 'number') {
      const count = restriction < 1 ? Math.floor(before * restriction + 0.5) : Math.floor(restriction);
      if (count >= 0 && count < before) list = list.slice(0, count);
    } else {
      const test = matcher(restriction);
      list = list.filter((row) => test(rowLabel(row)));
    }
    if (list.length < before)
      notes.push(`List reduced from ${before} to ${list.length} due to restriction <${describe(restriction)}>`);
  }
  return { rows: list, notes };
}

function matcher(restriction: string | RegExp): (label: string) => boolean {
  if (restriction instanceof RegExp) {
    // A fresh copy without `g`/`y`: their lastIndex would make test() skip every other match.
    const regexp = new RegExp(restriction.source, restriction.flags.replace(/[gy]/g, ''));
    return (label) => regexp.test(label);
  }
  try {
    const regexp = new RegExp(restriction);
    return (label) => regexp.test(label);
  } catch {
    return (label) => label.includes(restriction); // pstats too falls back to plain text
  }
}

function describe(restriction: ProfileRestriction): string {
  return typeof restriction === 'string' ? `'${restriction}'` : String(restriction);
}

/** Python's repr of a string, as Werkzeug prints `PATH: '/users/7'`, with control characters escaped for terminals. */
export function quoteForLog(text: string): string {
  const escaped = text.replace(/[\\'\x00-\x1f\x7f]/g, (char) =>
    char === '\\' || char === "'" ? `\\${char}` : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return `'${escaped}'`;
}

/**
 * Everything {@link formatProfileTable} prints for one request.
 *
 * @example
 * const input: ProfileTableInput = { path: '/users/7', summary, sortBy: 'self', restrictions: [20], samplingInterval: 100 };
 */
export interface ProfileTableInput {
  path: string;
  summary: ProfileSummary;
  sortBy: 'self' | 'total';
  restrictions: readonly ProfileRestriction[];
  /** The sampling interval asked for, in microseconds. */
  samplingInterval: number;
  /** How a script's URL is shown (the profiler shows files under the current folder by their relative path). */
  location?: (url: string) => string;
}

const RULE = '-'.repeat(80);
/** Below this many samples, the table says the profile tells little. */
const FEW_SAMPLES = 5;

/**
 * The table ProfilerMiddleware prints, for a V8 profile: a rule, `PATH: '/users/7'`, the samples and the time they
 * cover, the order and any restriction notes, then one row per function (self ms, total ms, function, url:line) and
 * a closing rule. V8 samples the stack instead of counting calls, so there are no call counts: a function called
 * once for 10 ms and one called 10,000 times for 1 µs each look the same.
 *
 * @example
 * process.stdout.write(formatProfileTable({ path: '/slow', summary: summarizeProfile(profile), sortBy: 'self', restrictions: [10], samplingInterval: 100 }));
 */
export function formatProfileTable(input: ProfileTableInput): string {
  const { summary } = input;
  const location = input.location ?? ((url: string) => url);
  const sorted = sortRows(summary.rows, input.sortBy);
  const { rows, notes } = applyRestrictions(sorted, input.restrictions);
  const lines = [
    RULE,
    `PATH: ${quoteForLog(input.path)}`,
    `         ${summary.sampleCount} samples in ${summary.durationMs.toFixed(3)} ms (one every ${input.samplingInterval} µs; a sampling profiler counts no calls)`,
    '',
    `   Ordered by: ${input.sortBy} time`,
    ...notes.map((note) => `   ${note}`),
    '',
  ];
  // V8's sampler starts late and ticks unevenly at this scale: a request of a millisecond may get no sample at all.
  if (summary.sampleCount < FEW_SAMPLES)
    lines.push('   Few samples: the request was too short for a sampling profiler to see; profile a slower one', '');
  const names = rows.map((row) => row.functionName);
  const width = Math.min(40, Math.max(8, ...names.map((name) => name.length)));
  lines.push(`   self ms   total ms  ${'function'.padEnd(width)}  url:line`);
  for (const row of rows) {
    const where = row.url === '' ? '' : `${location(row.url)}:${row.lineNumber}`;
    lines.push(
      `${row.selfMs.toFixed(3).padStart(10)} ${row.totalMs.toFixed(3).padStart(10)}  ${row.functionName.padEnd(width)}  ${where}`,
    );
  }
  lines.push(RULE, '', '');
  return lines.join('\n');
}
