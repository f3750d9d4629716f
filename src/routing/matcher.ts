/** @module The matcher (layer L1): a trie of path segments with memoised failures, so no rule set and no path can make matching blow up. */
import { ValidationError } from './converters.js';
import type { Rule, Segment } from './rule.js';

type PatternSegment = Extract<Segment, { kind: 'pattern' }>;
type PathSegment = Extract<Segment, { kind: 'path' }>;

interface Node {
  readonly id: number;
  readonly static: Map<string, Node>;
  readonly patterns: Array<{ segment: PatternSegment; node: Node; key: string }>;
  readonly paths: Array<{ segment: PathSegment; node: Node; key: string }>;
  readonly rules: Rule[];
}

/** A successful match: the rule and its converted values. */
export interface TrieMatch {
  rule: Rule;
  params: Record<string, unknown>;
}

/** What one walk of the trie found. */
export interface WalkResult {
  match: TrieMatch | null;
  /** Methods of rules whose path matched but whose method did not: the 405's Allow. */
  allowed: Set<string>;
  /** How many trie steps the walk took; bounded, see {@link SegmentTrie}. */
  steps: number;
  /** The walk hit its step budget and gave up. */
  exhausted: boolean;
}

/**
 * The compiled rule set. At each node: the static child by map lookup first, then single-segment patterns in
 * Werkzeug's order (more literal text first, then lower converter weight), then `path` tails, shortest first.
 * A (node, position) pair that failed once is never walked again, so a walk costs at most nodes × segments steps
 * (times the path tails' choices); a hard budget caps even that, and a walk over budget is a 404.
 */
export class SegmentTrie {
  readonly #root: Node;
  #ids = 0;

  constructor(rules: Iterable<Rule>) {
    this.#root = this.#node();
    for (const rule of rules) if (!rule.buildOnly) this.#insert(rule);
    this.#sort(this.#root);
  }

  #node(): Node {
    return { id: this.#ids++, static: new Map(), patterns: [], paths: [], rules: [] };
  }

  #insert(rule: Rule): void {
    let node = this.#root;
    for (const segment of rule.segments) {
      if (segment.kind === 'static') {
        let next = node.static.get(segment.text);
        if (!next) node.static.set(segment.text, (next = this.#node()));
        node = next;
      } else if (segment.kind === 'pattern') {
        const key = `${segment.regex.source}|${segment.params.map((p) => `${p.name}:${p.converterName}(${p.args})`).join(',')}`;
        let edge = node.patterns.find((e) => e.key === key);
        if (!edge) node.patterns.push((edge = { segment, node: this.#node(), key }));
        node = edge.node;
      } else {
        const key = `${segment.param.name}:${segment.param.converterName}(${segment.param.args})`;
        let edge = node.paths.find((e) => e.key === key);
        if (!edge) node.paths.push((edge = { segment, node: this.#node(), key }));
        node = edge.node;
      }
    }
    node.rules.push(rule);
  }

  #sort(node: Node): void {
    // Werkzeug matches the host as part of the URL: a literal host beats a pattern, a pattern beats no host at all.
    const hostRank = (rule: Rule): number => (rule.host === null ? 2 : rule.host.params.length > 0 ? 1 : 0);
    node.rules.sort((a, b) => hostRank(a) - hostRank(b));
    node.patterns.sort((a, b) => b.segment.literal - a.segment.literal || a.segment.weight - b.segment.weight);
    for (const child of node.static.values()) this.#sort(child);
    for (const edge of node.patterns) this.#sort(edge.node);
    for (const edge of node.paths) this.#sort(edge.node);
  }

  /**
   * Walks the trie for `segments` (the path split at `/`, without the leading empty one). `accept(rule)` says whether
   * a rule whose path matched also fits the request (method, host); it returns host values or `null`.
   */
  walk(segments: readonly string[], method: string, accept: (rule: Rule) => Record<string, unknown> | null): WalkResult {
    const n = segments.length;
    const allowed = new Set<string>();
    const failed = new Set<number>();
    const budget = 2_000 + 64 * n;
    let steps = 0;
    let exhausted = false;
    const params: Array<[string, unknown]> = [];

    const visit = (node: Node, i: number): TrieMatch | null => {
      if (exhausted) return null;
      if (++steps > budget) {
        exhausted = true; // over budget: give up the whole walk (a 404), however deep we are
        return null;
      }
      const memo = node.id * (n + 1) + i;
      if (failed.has(memo)) return null;
      if (i === n) {
        for (const rule of node.rules) {
          const hostValues = accept(rule);
          if (hostValues === null) continue;
          if (rule.methods.has(method)) return { rule, params: { ...rule.defaults, ...Object.fromEntries(params), ...hostValues } };
          for (const m of rule.methods) allowed.add(m);
        }
        failed.add(memo);
        return null;
      }
      const text = segments[i]!;
      const staticChild = node.static.get(text);
      if (staticChild) {
        const found = visit(staticChild, i + 1);
        if (found) return found;
      }
      for (const edge of node.patterns) {
        const m = edge.segment.regex.exec(text);
        if (!m) continue;
        const depth = params.length;
        try {
          edge.segment.params.forEach((param, k) => params.push([param.name, param.converter.toValue(m[k + 1]!)]));
        } catch (error) {
          params.length = depth;
          if (error instanceof ValidationError) continue;
          throw error;
        }
        const found = visit(edge.node, i + 1);
        if (found) return found;
        params.length = depth;
        if (exhausted) return null;
      }
      if (text !== '') {
        for (const edge of node.paths) {
          const child = edge.node;
          // A tail with nothing after it (`/static/<path:f>`) can only end at the end: skip the other splits.
          const leaf = child.static.size === 0 && child.patterns.length === 0 && child.paths.length === 0;
          let joined = leaf ? segments.slice(i).join('/') : text;
          for (let j = leaf ? n : i + 1; j <= n; j++) {
            if (j > i + 1 && !leaf) joined += `/${segments[j - 1]!}`;
            let value: unknown;
            try {
              value = edge.segment.param.converter.toValue(joined);
            } catch (error) {
              if (error instanceof ValidationError) continue;
              throw error;
            }
            params.push([edge.segment.param.name, value]);
            const found = visit(child, j);
            if (found) return found;
            params.pop();
            if (exhausted) return null;
          }
        }
      }
      failed.add(memo);
      return null;
    };

    const match = visit(this.#root, 0);
    return { match, allowed, steps, exhausted };
  }
}
