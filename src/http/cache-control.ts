/** @module Cache-Control (layer L1): the request and response directives of RFC 9111 §5.2 as typed properties over the raw directives. */
import { dumpHeader, parseDictHeader } from './header-values.js';

/** How a directive's value reads: present or not, delta-seconds, delta-seconds or bare, text or bare. */
type Kind = 'flag' | 'seconds' | 'seconds-or-true' | 'text-or-true';
type Table = Readonly<Record<string, readonly [directive: string, kind: Kind]>>;

const COMMON = {
  noStore: ['no-store', 'flag'],
  maxAge: ['max-age', 'seconds'],
  noTransform: ['no-transform', 'flag'],
  staleIfError: ['stale-if-error', 'seconds'],
} as const satisfies Table;
const REQUEST = {
  ...COMMON,
  noCache: ['no-cache', 'flag'],
  maxStale: ['max-stale', 'seconds-or-true'],
  minFresh: ['min-fresh', 'seconds'],
  onlyIfCached: ['only-if-cached', 'flag'],
} as const satisfies Table;
const RESPONSE = {
  ...COMMON,
  noCache: ['no-cache', 'text-or-true'],
  public: ['public', 'flag'],
  private: ['private', 'text-or-true'],
  mustRevalidate: ['must-revalidate', 'flag'],
  proxyRevalidate: ['proxy-revalidate', 'flag'],
  sMaxage: ['s-maxage', 'seconds'],
  immutable: ['immutable', 'flag'],
  mustUnderstand: ['must-understand', 'flag'],
  staleWhileRevalidate: ['stale-while-revalidate', 'seconds'],
} as const satisfies Table;

// RFC 9111 §1.2.2: a delta-seconds too large to represent is read as 2^31.
const MAX_SECONDS = 2 ** 31;

/**
 * What both request and response Cache-Control share: the directives by lower-case name (`null` for a directive
 * without a value), `get`/`has`, iteration, and `toString()` for the header. `provided` says whether there was
 * anything to parse.
 *
 * @example
 * const cc: CacheControl = parseCacheControl('max-age=60, no-transform');
 * [cc.get('max-age'), cc.has('no-transform'), String(cc)]; // ['60', true, 'max-age=60, no-transform']
 */
export abstract class CacheControl implements Iterable<[string, string | null]> {
  readonly #directives = new Map<string, string | null>();
  readonly provided: boolean;

  constructor(directives: Iterable<readonly [string, string | null]> | Readonly<Record<string, string | null>> = []) {
    const entries =
      Symbol.iterator in directives
        ? (directives as Iterable<readonly [string, string | null]>)
        : Object.entries(directives);
    for (const [name, value] of entries) this.#directives.set(name.toLowerCase(), value);
    this.provided = this.#directives.size > 0;
  }

  /** A directive's raw value: a string, `null` when present without a value, `undefined` when absent. */
  get(name: string): string | null | undefined {
    return this.#directives.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.#directives.has(name.toLowerCase());
  }

  /** For subclasses that allow changes: `undefined` removes the directive. Returns whether anything changed. */
  protected write(name: string, value: string | null | undefined): boolean {
    const key = name.toLowerCase();
    if (value === undefined) return this.#directives.delete(key);
    if (this.#directives.get(key) === value && this.#directives.has(key)) return false;
    this.#directives.set(key, value);
    return true;
  }

  /** The header value: directives in order, `name=value` quoted where needed, bare names alone. */
  toString(): string {
    return dumpHeader(this.#directives);
  }

  [Symbol.iterator](): Iterator<[string, string | null]> {
    return [...this.#directives][Symbol.iterator]();
  }
}

function readDirective(control: CacheControl, directive: string, kind: Kind): boolean | number | string | true | null {
  if (kind === 'flag') return control.has(directive);
  const value = control.get(directive);
  if (value === undefined) return null;
  if (value === null) return kind === 'seconds' ? null : true;
  if (kind === 'text-or-true') return value;
  return /^\d+$/.test(value) ? Math.min(Number(value), MAX_SECONDS) : null; // '3.1', '-1': not delta-seconds
}

/** The raw value a typed property writes, or `undefined` to remove the directive. */
function directiveValue(name: string, kind: Kind, value: unknown): string | null | undefined {
  if (kind === 'flag') return value ? null : undefined;
  if (value === null || value === undefined || value === false) return undefined;
  if (value === true) return null;
  if (kind === 'text-or-true') return String(value);
  const seconds = Math.trunc(Number(value));
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new TypeError(
      `Cache-Control ${name} takes a number of seconds (0 or more), got ${JSON.stringify(value)}; pass a number, or null to remove it`,
    );
  }
  return String(seconds);
}

/** Defines the typed properties of `table` on a prototype; read-only ones have no setter. */
function defineDirectives(prototype: object, table: Table, writable: boolean): void {
  for (const [property, [directive, kind]] of Object.entries(table)) {
    Object.defineProperty(prototype, property, {
      configurable: true,
      get(this: CacheControl) {
        return readDirective(this, directive, kind);
      },
      set: writable
        ? function set(this: ResponseCacheControl, value: unknown) {
            this.set(directive, directiveValue(property, kind, value));
          }
        : undefined,
    });
  }
}

/**
 * The request directives of RFC 9111 §5.2.1, read-only. `maxStale` is `true` when sent without a value (any
 * staleness). Seconds that are not plain digits read as `null`.
 *
 * @example
 * const cc = parseCacheControl('max-age=0, no-cache');
 * [cc.maxAge, cc.noCache, cc.onlyIfCached]; // [0, true, false]
 */
export interface RequestCacheControl {
  readonly noStore: boolean;
  readonly maxAge: number | null;
  readonly noTransform: boolean;
  readonly staleIfError: number | null;
  readonly noCache: boolean;
  readonly maxStale: number | true | null;
  readonly minFresh: number | null;
  readonly onlyIfCached: boolean;
}
// The interface above types the accessors that defineDirectives puts on the prototype.
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface types the properties defined on the prototype below
export class RequestCacheControl extends CacheControl {}
defineDirectives(RequestCacheControl.prototype, REQUEST, false);

/**
 * The response directives of RFC 9111 §5.2.2, writable. Flags take booleans; seconds take numbers (`3.1` is
 * stored as `3`); `noCache` and `private` are `true` when bare or the field names they list. Setting `null` (or
 * `false`) removes a directive. `set`/`delete` reach extensions by name, and `onUpdate` runs after each change.
 *
 * @example
 * const cc = new ResponseCacheControl();
 * cc.public = true;
 * cc.maxAge = 3600;
 * cc.set('community', 'UCI');
 * String(cc); // 'public, max-age=3600, community=UCI'
 */
export interface ResponseCacheControl {
  noStore: boolean;
  maxAge: number | null;
  noTransform: boolean;
  staleIfError: number | null;
  noCache: string | true | null;
  public: boolean;
  private: string | true | null;
  mustRevalidate: boolean;
  proxyRevalidate: boolean;
  sMaxage: number | null;
  immutable: boolean;
  mustUnderstand: boolean;
  staleWhileRevalidate: number | null;
}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface types the properties defined on the prototype below
export class ResponseCacheControl extends CacheControl {
  readonly #onUpdate: ((control: ResponseCacheControl) => void) | undefined;

  constructor(
    directives?: Iterable<readonly [string, string | null]> | Readonly<Record<string, string | null>>,
    onUpdate?: (control: ResponseCacheControl) => void,
  ) {
    super(directives);
    this.#onUpdate = onUpdate;
  }

  /** Sets a directive's raw value (`null`: present without a value; `undefined`: removed). */
  set(name: string, value: string | null | undefined): this {
    if (this.write(name, value)) this.#onUpdate?.(this);
    return this;
  }

  /** Removes a directive; returns whether it was there. */
  delete(name: string): boolean {
    const changed = this.write(name, undefined);
    if (changed) this.#onUpdate?.(this);
    return changed;
  }
}
defineDirectives(ResponseCacheControl.prototype, RESPONSE, true);

/**
 * Parses a Cache-Control header into the request directives (the default) or the response ones. Directive names
 * are compared without case (RFC 9111 §5.2); quoted values are unquoted.
 *
 * @example
 * parseCacheControl('no-cache, max-stale').maxStale;             // true
 * parseCacheControl('private, max-age=60', 'response').private;  // true
 */
export function parseCacheControl(header: string | null | undefined, kind?: 'request'): RequestCacheControl;
export function parseCacheControl(
  header: string | null | undefined,
  kind: 'response',
  onUpdate?: (control: ResponseCacheControl) => void,
): ResponseCacheControl;
export function parseCacheControl(
  header: string | null | undefined,
  kind: 'request' | 'response' = 'request',
  onUpdate?: (control: ResponseCacheControl) => void,
): CacheControl {
  const directives = header ? parseDictHeader(header) : {};
  return kind === 'response' ? new ResponseCacheControl(directives, onUpdate) : new RequestCacheControl(directives);
}
