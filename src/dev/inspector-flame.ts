/** @module The request inspector's flame graph (layer L4): a V8 .cpuprofile turned into boxes for an SVG Flagon draws itself, root at the bottom, each function as wide as its time on the stack. */
import type { CpuProfile, CpuProfileNode } from '../middleware/profile-table.js';

/**
 * One box of a flame graph, in the chart's units (1000 wide, 18 a row).
 *
 * @example
 * const box: FlameBox = { x: 0, y: 162, width: 1000, label: 'index', title: 'index app.ts:12: 3.10 ms (self 0.20 ms)', kind: 'app', text: true };
 */
export interface FlameBox {
  x: number;
  y: number;
  width: number;
  /** The function's name, cut to fit its box. */
  label: string;
  /** The full name, where it is, its total and self time. */
  title: string;
  /** `app` (your code), `lib` (node_modules), `node` (Node's own), `meta` (V8's `(program)`, `(garbage collector)`). */
  kind: 'app' | 'lib' | 'node' | 'meta';
  /** Whether the box is wide enough for its label. */
  text: boolean;
}

/**
 * A flame graph: its boxes, its height, and the time it spans.
 *
 * @example
 * const graph: FlameGraph = flameGraph(profile);
 * graph.totalMs; // 4.2
 */
export interface FlameGraph {
  boxes: FlameBox[];
  height: number;
  totalMs: number;
  /** The functions with the most self time, for a table beside the graph. */
  top: Array<{ name: string; where: string; selfMs: string; totalMs: string }>;
}

const WIDTH = 1000;
const ROW = 18;
/** Boxes narrower than this (in chart units) are left out: too thin to see or hover. */
const MIN_WIDTH = 0.3;

function kindOf(node: CpuProfileNode): FlameBox['kind'] {
  const { url, functionName } = node.callFrame;
  if (functionName.startsWith('(') && url === '') return 'meta';
  if (url === '' || url.startsWith('node:')) return 'node';
  if (url.includes('/node_modules/')) return 'lib';
  return 'app';
}

function whereOf(node: CpuProfileNode): string {
  const { url, lineNumber } = node.callFrame;
  if (url === '') return '';
  const file = url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
  return lineNumber >= 0 ? `${file}:${lineNumber + 1}` : file;
}

/**
 * Draws a V8 CPU profile as a flame graph: a function's box is as wide as the time it was on the stack (its own
 * samples and its callees'), its callers under it, the root at the bottom. Self time comes from the samples and their
 * `timeDeltas`; `(idle)` is left out, so the graph shows the time the request kept the CPU busy.
 *
 * @example
 * const graph = flameGraph(JSON.parse(readFileSync('GET.root.3ms.cpuprofile', 'utf8')));
 * graph.boxes.find((box) => box.label === 'index')?.width;
 */
export function flameGraph(profile: CpuProfile): FlameGraph {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    // timeDeltas[i + 1] is how long the stack of sample i lasted; the last sample gets the one before it.
    for (let i = 0; i < samples.length; i++) {
      const lasted = deltas[i + 1] ?? deltas[i] ?? 0;
      self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + Math.max(0, lasted));
    }
  } else {
    const interval = profile.nodes.length > 0 ? (profile.endTime - profile.startTime) / Math.max(1, hits(profile)) : 0;
    for (const node of profile.nodes) self.set(node.id, (node.hitCount ?? 0) * interval);
  }
  const total = new Map<number, number>();
  const totalOf = (node: CpuProfileNode): number => {
    if (node.callFrame.functionName === '(idle)') return 0;
    let sum = self.get(node.id) ?? 0;
    for (const child of node.children ?? []) sum += totalOf(byId.get(child)!);
    total.set(node.id, sum);
    return sum;
  };
  const root = profile.nodes.find((node) => !profile.nodes.some((other) => other.children?.includes(node.id)));
  const rootTotal = root === undefined ? 0 : totalOf(root);
  const placed: Array<{ node: CpuProfileNode; x: number; width: number; depth: number }> = [];
  let depthMax = 0;
  const place = (node: CpuProfileNode, x: number, depth: number): void => {
    const width = ((total.get(node.id) ?? 0) / rootTotal) * WIDTH;
    if (width < MIN_WIDTH) return;
    placed.push({ node, x, width, depth });
    depthMax = Math.max(depthMax, depth);
    let childX = x;
    for (const child of node.children ?? []) {
      const childNode = byId.get(child)!;
      place(childNode, childX, depth + 1);
      childX += ((total.get(child) ?? 0) / rootTotal) * WIDTH;
    }
  };
  if (root !== undefined && rootTotal > 0) place(root, 0, 0);
  const height = (depthMax + 1) * ROW;
  const boxes = placed.map(({ node, x, width, depth }): FlameBox => {
    const name = node.callFrame.functionName || '(anonymous)';
    const where = whereOf(node);
    const room = Math.floor((width - 6) / 6.5);
    return {
      x: round(x),
      y: height - (depth + 1) * ROW,
      width: round(width),
      label: name.length <= room ? name : `${name.slice(0, Math.max(0, room - 1))}…`,
      title: `${name}${where ? ` ${where}` : ''}: ${ms(total.get(node.id) ?? 0)} (self ${ms(self.get(node.id) ?? 0)})`,
      kind: kindOf(node),
      text: room >= 3,
    };
  });
  const top = [...profile.nodes]
    .filter((node) => node.callFrame.functionName !== '(idle)' && (self.get(node.id) ?? 0) > 0)
    .sort((a, b) => (self.get(b.id) ?? 0) - (self.get(a.id) ?? 0))
    .slice(0, 12)
    .map((node) => ({
      name: node.callFrame.functionName || '(anonymous)',
      where: whereOf(node),
      selfMs: ms(self.get(node.id) ?? 0),
      totalMs: ms(total.get(node.id) ?? 0),
    }));
  return { boxes, height, totalMs: Math.round(rootTotal / 10) / 100, top };
}

function hits(profile: CpuProfile): number {
  return profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Microseconds as milliseconds text. */
function ms(micros: number): string {
  return `${(micros / 1000).toFixed(2)} ms`;
}
