/** @module What routing says besides "this rule": redirect to the canonical URL (308), or a URL that cannot be built (layer L1). */
import { HTTPError, type HTTPErrorOptions } from '../http/errors.js';
import { escapeHtml } from '../http/html.js';
import type { Rule } from './rule.js';

/**
 * The request should go to another URL: the branch URL with its trailing slash, the path with `//` merged, or the
 * canonical URL for default values. A 308, so the method and body are kept (RFC 9110 §15.4.9).
 *
 * @example
 * try { router.match('/docs', { method: 'GET' }); } catch (e) { if (e instanceof RequestRedirect) e.newUrl; }
 */
export class RequestRedirect extends HTTPError {
  static override readonly status = 308;
  static override readonly description = 'The resource has moved.';
  readonly newUrl: string;

  constructor(newUrl: string, options: HTTPErrorOptions = {}) {
    super(undefined, options);
    this.newUrl = newUrl;
    this.headers.set('Location', newUrl);
  }

  override getBody(): string {
    const href = escapeHtml(this.newUrl);
    return `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${href}">${href}</a>. If not, click the link.\n`;
  }
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** How alike two names are, from 0 to 1 (1 - edit distance / longer length). */
function similarity(a: string, b: string): number {
  return a === b ? 1 : 1 - distance(a, b) / Math.max(a.length, b.length);
}

/**
 * A URL could not be built: the endpoint is unknown, a value is missing, or no rule allows the method. The message
 * says which, and suggests the nearest endpoint for a typo, the methods to use or the values to give, as Werkzeug.
 *
 * @example
 * router.build('usr', {}); // BuildError: Could not build url for endpoint 'usr'. Did you mean 'user' instead?
 */
export class BuildError extends Error {
  readonly code = 'FLAGON_ERR_BUILD';
  readonly endpoint: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly method: string | undefined;
  /** The rule the caller most likely meant (Werkzeug's `suggested`), when the router knows one. */
  readonly suggested: Rule | undefined;

  constructor(
    endpoint: string,
    values: Readonly<Record<string, unknown>>,
    method: string | undefined,
    hint: string,
    suggested?: Rule,
  ) {
    const names = Object.keys(values).sort();
    super(
      `Could not build url for endpoint '${endpoint}'${method ? ` ('${method}')` : ''}${names.length ? ` with values [${names.map((n) => `'${n}'`).join(', ')}]` : ''}. ${hint}`,
    );
    this.name = 'BuildError';
    this.endpoint = endpoint;
    this.values = values;
    this.method = method;
    this.suggested = suggested;
  }

  /**
   * The rule closest to what a failed build asked for, by Werkzeug's score: the endpoint's likeness first, then a
   * rule that takes all the values, then one that allows the method; the first rule wins a tie.
   *
   * @example
   * BuildError.closestRule('users', { slug: 'x' }, undefined, router.rulesFor('users'))?.rule; // '/user/<slug>/'
   */
  static closestRule(
    endpoint: string,
    values: Readonly<Record<string, unknown>>,
    method: string | undefined,
    rules: Iterable<Rule>,
  ): Rule | undefined {
    const names = Object.keys(values);
    let best: Rule | undefined;
    let bestScore = -1;
    for (const rule of rules) {
      const score =
        0.98 * similarity(rule.endpoint, endpoint) +
        (names.every((n) => rule.arguments.has(n)) ? 0.01 : 0) +
        (method !== undefined && rule.methods.has(method) ? 0.01 : 0);
      if (score > bestScore) [best, bestScore] = [rule, score];
    }
    return best;
  }

  /** The known endpoint closest to `endpoint`, for the "did you mean" hint. */
  static suggest(endpoint: string, known: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of known) {
      const d = distance(endpoint, candidate);
      if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(endpoint.length / 2)) ? best : undefined;
  }
}
