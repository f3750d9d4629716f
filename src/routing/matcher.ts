/** @module The matcher (layer L1): a trie of path segments with memoised failures, so no rule set and no path can make matching blow up. */
import { ValidationError } from './converters.js';
import type { Rule, Segment } from './rule.js';

type PatternSegment = Extract<Segment, { kind: 'pattern' }>;
const NO_HOST = (): Record<string, unknown> | null => null;
const EMPTY: ReadonlySet<string> = new Set();
type PathSegment = Extract<Segment, { kind: 'path' }>;

/** How a pattern edge tests its segment: the regex, or a plain loop for the two converters most rules use. */
type Check = 'regex' | 'nonEmpty' | 'digits';

/** `<name>` and `<int:id>` fill a segment with `[^/]{1,}` or `\d+`: tested without the regex engine. */
function checkFor(segment: PatternSegment): Check {
  if (!segment.whole) return 'regex';
  const regex = segment.params[0]!.converter.regex;
  return regex === '[^/]{1,}' ? 'nonEmpty' : regex === '\\d+' ? 'digits' : 'regex';
}

function allDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Werkzeug's `Weighting` of a dynamic part: more static pieces first (longer ones first), then more parameters, then
 * lower converter weights. A `path` part reaches to the end of its rule, so its pieces are those of the whole tail:
 * `/<path:name>/edit` has the static piece 'edit' and is tried before `/<a>/<b>/<c>`, as in Werkzeug.
 */
interface Weighting {
  readonly statics: readonly number[];
  readonly args: readonly number[];
}

function compareWeightings(a: Weighting, b: Weighting): number {
  if (a.statics.length !== b.statics.length) return b.statics.length - a.statics.length;
  for (let i = 0; i < a.statics.length; i++) if (a.statics[i] !== b.statics[i]) return b.statics[i]! - a.statics[i]!;
  if (a.args.length !== b.args.length) return b.args.length - a.args.length;
  for (let i = 0; i < a.args.length; i++) if (a.args[i] !== b.args[i]) return a.args[i]! - b.args[i]!;
  return 0;
}

/** The weighting of a host pattern's parts, so that `<name>.example.test` is tried before `<name>`, as in Werkzeug. */
function hostWeighting(rule: Rule): Weighting {
  const weighting = { statics: [] as number[], args: [] as number[] };
  weighParts(rule.host?.parts ?? [], weighting);
  return weighting;
}

function weightingOf(segments: readonly Segment[]): Weighting {
  const weighting = { statics: [] as number[], args: [] as number[] };
  for (const segment of segments) {
    if (segment.kind === 'static') {
      if (segment.text !== '') weighting.statics.push(segment.text.length);
    } else if (segment.kind === 'path') {
      weighting.args.push(segment.param.converter.weight);
    } else {
      weighParts(segment.parts, weighting);
    }
  }
  return weighting;
}

/** Adds the parts of a pattern to a weighting: a text part by its length, a parameter by its converter's weight. */
function weighParts(parts: PatternSegment['parts'], into: { statics: number[]; args: number[] }): void {
  for (const part of parts) {
    if (part.kind === 'text') into.statics.push(part.text.length);
    else into.args.push(part.converter.weight);
  }
}

/** A dynamic edge out of a node: one single-segment pattern, or a `path` tail with the rest of its rule. */
type Edge =
  | { kind: 'pattern'; segment: PatternSegment; node: Node; key: string; check: Check; weighting: Weighting }
  | { kind: 'path'; segment: PathSegment; node: Node; key: string; weighting: Weighting };

interface Node {
  readonly id: number;
  readonly static: Map<string, Node>;
  /** Patterns and path tails together, in Werkzeug's order (see {@link Weighting}). */
  readonly dynamic: Edge[];
  readonly rules: Rule[];
}

/** A successful match: the rule, its endpoint and its converted values (the router's `RouteMatch`). */
export interface TrieMatch {
  rule: Rule;
  endpoint: string;
  params: Record<string, unknown>;
}

/** What one walk of the trie found. */
export interface WalkResult {
  match: TrieMatch | null;
  /** Methods of rules whose path matched but whose method did not: the 405's Allow. */
  allowed: ReadonlySet<string>;
  /** How many trie steps the walk took; bounded, see {@link SegmentTrie}. */
  steps: number;
  /** The walk hit its step budget and gave up. */
  exhausted: boolean;
  /**
   * The static parts of the path reached a branch `/x/` (strict slashes, right method) with nothing left: the path
   * wants its trailing slash, a redirect that wins over any dynamic rule (Werkzeug's SlashRequired).
   */
  slashRequired: boolean;
}

/**
 * The compiled rule set. At each node: the static child by map lookup first, then single-segment patterns in
 * Werkzeug's order (more literal text first, then lower converter weight), then `path` tails, shortest first.
 * A (node, position) pair that failed once is never walked again, so a walk costs at most nodes × segments steps
 * (times the path tails' choices); a hard budget of 2,000 + 64 steps per character of the path caps even that, and a
 * walk over budget is a 404.
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
    return { id: this.#ids++, static: new Map(), dynamic: [], rules: [] };
  }

  #insert(rule: Rule): void {
    let node = this.#root;
    rule.segments.forEach((segment, index) => {
      if (segment.kind === 'static') {
        let next = node.static.get(segment.text);
        if (!next) node.static.set(segment.text, (next = this.#node()));
        node = next;
      } else if (segment.kind === 'pattern') {
        const key = `${segment.regex.source}|${segment.params.map((p) => `${p.name}:${p.converterName}(${p.args})`).join(',')}`;
        let edge = node.dynamic.find((e) => e.key === key);
        if (!edge)
          node.dynamic.push(
            (edge = {
              kind: 'pattern',
              segment,
              node: this.#node(),
              key,
              check: checkFor(segment),
              weighting: weightingOf([segment]),
            }),
          );
        node = edge.node;
      } else {
        // A path tail is one part with the rest of its rule (Werkzeug's final part), so rules share it only when
        // their tails are the same: each tail is weighed, and tried, as a whole.
        const tail = rule.segments.slice(index);
        const key = `path|${tail.map((s) => (s.kind === 'static' ? `=${s.text}` : s.kind === 'path' ? `${s.param.name}:${s.param.converterName}(${s.param.args})` : s.regex.source)).join('/')}`;
        let edge = node.dynamic.find((e) => e.key === key);
        if (!edge)
          node.dynamic.push((edge = { kind: 'path', segment, node: this.#node(), key, weighting: weightingOf(tail) }));
        node = edge.node;
      }
    });
    node.rules.push(rule);
  }

  #sort(node: Node): void {
    // Werkzeug matches the host as part of the URL: a literal host beats a pattern, a pattern beats no host at all.
    const hostRank = (rule: Rule): number => (rule.host === null ? 2 : rule.host.params.length > 0 ? 1 : 0);
    node.rules.sort(
      (a, b) =>
        hostRank(a) - hostRank(b) ||
        // A host with its port is more specific than the host on any port (`localhost:5000` before `localhost`).
        Number(b.hostHasPort) - Number(a.hostHasPort) ||
        // Two patterns of one kind (two hosts, or two subdomains): the more specific first, as Werkzeug weighs them.
        (hostRank(a) === 1 && (a.subdomain === null) === (b.subdomain === null)
          ? compareWeightings(hostWeighting(a), hostWeighting(b))
          : 0),
    );
    node.dynamic.sort((a, b) => compareWeightings(a.weighting, b.weighting)); // stable: registration order breaks ties
    for (const child of node.static.values()) this.#sort(child);
    for (const edge of node.dynamic) this.#sort(edge.node);
  }

  /**
   * Walks the trie for a decoded path starting with `/`, moving through it by index (no split, no per-segment array).
   * `accept(rule)` says whether a rule whose path matched also fits the request's host; it returns host values or
   * `null`. The failure memo exists only below `path` tails, the only place a walk can come back to a node.
   */
  walk(path: string, method: string, accept: (rule: Rule) => Record<string, unknown> | null): WalkResult {
    this.#path = path;
    this.#method = method;
    this.#accept = accept;
    this.#top = 0;
    this.#allowed = null;
    this.#failed = null;
    this.#steps = 0;
    this.#budget = 2_000 + 64 * path.length;
    this.#exhausted = false;
    this.#slashRequired = false;
    this.#halted = false;
    const match = this.#visit(this.#root, 1);
    const result: WalkResult = {
      match,
      allowed: this.#allowed ?? EMPTY,
      steps: this.#steps,
      exhausted: this.#exhausted,
      slashRequired: this.#slashRequired,
    };
    this.#accept = NO_HOST;
    return result;
  }

  // Walk state lives on the trie: walks are synchronous and never nested, so one set of fields serves them all.
  #path = '';
  #method = '';
  #accept: (rule: Rule) => Record<string, unknown> | null = NO_HOST;
  readonly #params: unknown[] = []; // name, value, name, value, … up to #top
  #top = 0;
  #allowed: Set<string> | null = null;
  #failed: Set<number> | null = null;
  #steps = 0;
  #budget = 0;
  #exhausted = false;
  #slashRequired = false;
  /** Over budget or a slash is required: the walk stops wherever it is. */
  #halted = false;

  /** Visits `node` with the segment starting at `pos`; `pos` past the end of the path means every segment is used. */
  #visit(node: Node, pos: number): TrieMatch | null {
    if (this.#halted) return null;
    if (++this.#steps > this.#budget) {
      this.#exhausted = this.#halted = true; // over budget: give up the whole walk (a 404), however deep we are
      return null;
    }
    const path = this.#path;
    const memo = node.id * (path.length + 2) + pos;
    if (this.#failed?.has(memo)) return null;
    if (pos > path.length) {
      const found = this.#terminal(node) ?? this.#branchOf(node);
      if (found === null) this.#failed?.add(memo);
      return found;
    }
    let end = path.indexOf('/', pos);
    if (end < 0) end = path.length;
    const text = path.slice(pos, end);
    const next = end + 1;
    const staticChild = node.static.get(text);
    if (staticChild) {
      const found = this.#visit(staticChild, next);
      if (found) return found;
    }
    for (const edge of node.dynamic) {
      const found =
        edge.kind === 'pattern'
          ? this.#viaPattern(edge, text, next)
          : text === ''
            ? null
            : this.#viaPath(edge, pos, end);
      if (found) return found;
      if (this.#halted) return null;
    }
    // Only a trailing slash is left: a leaf with strictSlashes: false takes it here, at the node its static parts
    // reached, so '/path1/' goes to '/path1' before a '/<path:p>' tried further up can take 'path1/' (Werkzeug's
    // state machine does the same after this node's own dynamic transitions).
    if (pos === path.length && node.rules.length > 0) {
      const found = this.#terminal(node, true);
      if (found) return found;
    }
    this.#failed?.add(memo);
    return null;
  }

  /** Tries one single-segment pattern edge on `text`; on success walks on from `next`. */
  #viaPattern(edge: Extract<Edge, { kind: 'pattern' }>, text: string, next: number): TrieMatch | null {
    const params = this.#params;
    const segment = edge.segment;
    const depth = this.#top;
    try {
      if (segment.whole) {
        // one parameter filling the segment: test, no match array
        const check = edge.check;
        if (
          check === 'nonEmpty' ? text.length === 0 : check === 'digits' ? !allDigits(text) : !segment.regex.test(text)
        )
          return null;
        params[this.#top++] = segment.params[0]!.name;
        params[this.#top++] = segment.params[0]!.converter.toValue(text);
      } else {
        const m = segment.regex.exec(text);
        if (!m) return null;
        for (let k = 0; k < segment.params.length; k++) {
          params[this.#top++] = segment.params[k]!.name;
          params[this.#top++] = segment.params[k]!.converter.toValue(m[k + 1]!);
        }
      }
    } catch (error) {
      this.#top = depth;
      if (error instanceof ValidationError) return null;
      throw error;
    }
    const found = this.#visit(edge.node, next);
    if (!found) this.#top = depth;
    return found;
  }

  /**
   * Tries one `path` tail edge from `pos`: the tail takes one segment, then two, … (shortest first, as Werkzeug's
   * non-greedy `[^/].*?`), each followed by a walk of the rest of its rule. The failure memo starts here, since
   * below a tail a walk can come back to a node at a position it has tried.
   */
  #viaPath(edge: Extract<Edge, { kind: 'path' }>, pos: number, end: number): TrieMatch | null {
    const path = this.#path;
    const params = this.#params;
    this.#failed ??= new Set();
    const child = edge.node;
    // A tail with nothing after it (`/static/<path:f>`) can only take the rest of the path.
    const leaf = child.static.size === 0 && child.dynamic.length === 0;
    let tailEnd = leaf ? path.length : end;
    for (;;) {
      let value: unknown;
      let ok = true;
      try {
        value = edge.segment.param.converter.toValue(path.slice(pos, tailEnd));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        ok = false;
      }
      if (ok) {
        const depth = this.#top;
        params[this.#top++] = edge.segment.param.name;
        params[this.#top++] = value;
        const found = this.#visit(child, tailEnd + 1);
        if (found) return found;
        this.#top = depth;
        if (this.#halted) return null;
      }
      if (tailEnd >= path.length) return null;
      const slash = path.indexOf('/', tailEnd + 1);
      tailEnd = slash < 0 ? path.length : slash;
    }
  }

  /**
   * The path ended at `node`, which has no rule of its own for it: a branch `node/` with the right method takes the
   * path (strictSlashes: false) or halts the walk with {@link WalkResult.slashRequired}, as Werkzeug's matcher.
   */
  #branchOf(node: Node): TrieMatch | null {
    const branch = node.static.get('');
    if (branch === undefined) return null;
    for (const rule of branch.rules) {
      if (!rule.methods.has(this.#method)) continue;
      const hostValues = rule.host === null ? null : this.#accept(rule);
      if (rule.host !== null && hostValues === null) continue;
      if (!rule.strictSlashes) return this.#matchOf(rule, hostValues);
      this.#slashRequired = this.#halted = true;
      return null;
    }
    return null;
  }

  /** The first rule ending at `node` that fits host and method; `lenient` takes only leaves with strictSlashes: false. */
  #terminal(node: Node, lenient = false): TrieMatch | null {
    for (const rule of node.rules) {
      if (lenient && rule.strictSlashes) continue;
      const hostValues = rule.host === null ? null : this.#accept(rule);
      if (rule.host !== null && hostValues === null) continue;
      if (!rule.methods.has(this.#method)) {
        this.#allowed ??= new Set();
        for (const m of rule.methods) this.#allowed.add(m);
        continue;
      }
      return this.#matchOf(rule, hostValues);
    }
    return null;
  }

  #matchOf(rule: Rule, hostValues: Record<string, unknown> | null): TrieMatch {
    const params: Record<string, unknown> = rule.hasDefaults ? { ...rule.defaults } : {};
    const captured = this.#params;
    for (let k = 0; k < this.#top; k += 2) params[captured[k] as string] = captured[k + 1];
    if (hostValues !== null) Object.assign(params, hostValues);
    return { rule, endpoint: rule.endpoint, params };
  }
}
