/** @module The router's explain mode (layer L1): each rule tried against a path on its own, for the request inspector; never on the normal path. */
import { SegmentTrie } from './matcher.js';
import type { Rule } from './rule.js';

/**
 * What one rule said of a path: it matched (with its converted values), its path matched but not the method, it
 * wants the path with a trailing slash (a 308), or it did not match.
 *
 * @example
 * const trial: RuleTrial = { rule: '/users/<int:id>', endpoint: 'user', methods: ['GET', 'HEAD', 'OPTIONS'], outcome: 'matched', values: { id: 7 } };
 */
export interface RuleTrial {
  rule: string;
  endpoint: string;
  methods: string[];
  outcome: 'matched' | 'method not allowed' | 'needs a trailing slash' | 'no match';
  /** Converted values when `outcome` is `matched`. */
  values: Record<string, unknown> | null;
  /** The rule is bound to a host or a named subdomain: that part was not checked here. */
  hostRule: boolean;
}

/** One single-rule trie per rule, made on the first explain: a rule never changes once added. */
const tries = new WeakMap<Rule, SegmentTrie>();
const anyHost = (): Record<string, unknown> => ({});

/**
 * Tries every rule, in registration order, against a decoded path and a method, each on its own (the router proper
 * stops at the first match, static paths first): what the request inspector lists as "the rules tried". It costs a
 * walk per rule, so only a traced request calls it.
 *
 * @example
 * explainMatch(router.rules, '/users/7', 'GET').find((t) => t.outcome === 'matched')?.values; // { id: 7 }
 */
export function explainMatch(rules: readonly Rule[], path: string, method: string): RuleTrial[] {
  const trials: RuleTrial[] = [];
  const upper = method.toUpperCase();
  for (const rule of rules) {
    if (rule.buildOnly) continue;
    let trie = tries.get(rule);
    if (trie === undefined) tries.set(rule, (trie = new SegmentTrie([rule])));
    const walked = trie.walk(path === '' ? '/' : path, upper, anyHost);
    const outcome: RuleTrial['outcome'] = walked.match
      ? 'matched'
      : walked.slashRequired
        ? 'needs a trailing slash'
        : walked.allowed.size > 0
          ? 'method not allowed'
          : 'no match';
    trials.push({
      rule: rule.rule,
      endpoint: rule.endpoint,
      methods: [...rule.methods].sort(),
      outcome,
      values: walked.match ? { ...walked.match.params } : null,
      // A rule of the default subdomain ('') answers the bare server name: not worth a note.
      hostRule: rule.subdomain !== null ? rule.subdomain !== '' : rule.host !== null,
    });
  }
  return trials;
}
