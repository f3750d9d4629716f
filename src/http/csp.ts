/** @module Content-Security-Policy (layer L1): parse, edit and write a policy, with a typed property for each CSP Level 3 directive. */

const DIRECTIVES = [
  'base-uri',
  'child-src',
  'connect-src',
  'default-src',
  'font-src',
  'form-action',
  'frame-ancestors',
  'frame-src',
  'img-src',
  'manifest-src',
  'media-src',
  'navigate-to',
  'object-src',
  'prefetch-src',
  'plugin-types',
  'report-to',
  'report-uri',
  'sandbox',
  'script-src',
  'script-src-attr',
  'script-src-elem',
  'style-src',
  'style-src-attr',
  'style-src-elem',
  'worker-src',
] as const;

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
type DirectiveProperties = { -readonly [D in (typeof DIRECTIVES)[number] as Camel<D>]: string | null };

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

// The interface merged into the class types the accessors defined on its prototype, one per entry of DIRECTIVES.
/**
 * A Content-Security-Policy as directives in order, by lower-case name. Each CSP Level 3 directive has a camelCase
 * property (`defaultSrc`, `scriptSrc`, …): its source list, `''` for a directive without one (`sandbox`,
 * `upgrade-insecure-requests`: `get` reaches those), `null` when absent; setting `null` removes it. `toString()`
 * writes the header; `onUpdate` runs after each change.
 *
 * @example
 * const csp = new ContentSecurityPolicy();
 * csp.defaultSrc = "'self'";
 * csp.imgSrc = "'self' data:";
 * csp.set('upgrade-insecure-requests', '');
 * String(csp); // "default-src 'self'; img-src 'self' data:; upgrade-insecure-requests"
 */
export interface ContentSecurityPolicy extends DirectiveProperties {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface types the properties defined on the prototype below
export class ContentSecurityPolicy implements Iterable<[string, string]> {
  readonly #directives = new Map<string, string>();
  readonly #onUpdate: ((policy: ContentSecurityPolicy) => void) | undefined;

  constructor(
    directives: Iterable<readonly [string, string]> | Readonly<Record<string, string>> = [],
    onUpdate?: (policy: ContentSecurityPolicy) => void,
  ) {
    const entries =
      Symbol.iterator in directives ? (directives as Iterable<readonly [string, string]>) : Object.entries(directives);
    for (const [name, value] of entries) this.#directives.set(name.toLowerCase(), value);
    this.#onUpdate = onUpdate;
  }

  /** A directive's value (`''` when it has none), or `null` when absent. */
  get(name: string): string | null {
    return this.#directives.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.#directives.has(name.toLowerCase());
  }

  /** Sets a directive (`''` for one without a value); `null` removes it. */
  set(name: string, value: string | null): this {
    const key = name.toLowerCase();
    if (value === null) {
      this.delete(key);
      return this;
    }
    if (/[;,]/.test(value))
      throw new TypeError(
        `the value of CSP directive ${key} cannot contain ';' or ',': ${JSON.stringify(value)}; set each directive on its own`,
      );
    this.#directives.set(key, value.trim());
    this.#onUpdate?.(this);
    return this;
  }

  /** Removes a directive; returns whether it was there. */
  delete(name: string): boolean {
    const removed = this.#directives.delete(name.toLowerCase());
    if (removed) this.#onUpdate?.(this);
    return removed;
  }

  get size(): number {
    return this.#directives.size;
  }

  /** The header value: `name value` pairs joined by `; `. */
  toString(): string {
    return [...this.#directives].map(([name, value]) => (value === '' ? name : `${name} ${value}`)).join('; ');
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return [...this.#directives][Symbol.iterator]();
  }
}

for (const directive of DIRECTIVES) {
  Object.defineProperty(ContentSecurityPolicy.prototype, camel(directive), {
    configurable: true,
    get(this: ContentSecurityPolicy) {
      return this.get(directive);
    },
    set(this: ContentSecurityPolicy, value: string | null) {
      this.set(directive, value);
    },
  });
}

/**
 * Parses a Content-Security-Policy header as CSP Level 3 §2.2.1 does: directives split on `;`, names compared
 * without case, the first of a repeated directive kept, and a directive without a value kept with `''` (dropping
 * `upgrade-insecure-requests` would weaken the policy when it is written back).
 *
 * @example
 * const csp = parseCSP("default-src 'self'; script-src 'unsafe-inline' *");
 * [csp.defaultSrc, csp.scriptSrc, csp.imgSrc]; // ["'self'", "'unsafe-inline' *", null]
 */
export function parseCSP(
  header: string | null | undefined,
  onUpdate?: (policy: ContentSecurityPolicy) => void,
): ContentSecurityPolicy {
  const directives: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const part of (header ?? '').split(';')) {
    const match = /^([A-Za-z0-9-]+)(?:\s+(.*))?$/s.exec(part.trim());
    if (!match) continue; // empty, or not a directive name (CSP3: ASCII alphanumerics and '-')
    const name = match[1]!.toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    directives.push([name, (match[2] ?? '').trim()]);
  }
  return new ContentSecurityPolicy(directives, onUpdate);
}
