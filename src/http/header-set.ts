/** @module Header sets (layer L1): ordered, case-insensitive sets of tokens, for Vary, Allow, Content-Language and the like. */
import { parseListHeader, quoteHeaderValue } from './header-values.js';

/**
 * An ordered set of header items compared without case (`Accept-Encoding` and `accept-encoding` are one item), kept
 * in the case first written: the shape of `Vary`, `Allow`, `Content-Language`. `onUpdate` runs after each change, so
 * an owner can write the header back.
 *
 * @example
 * const vary = parseSetHeader('Accept-Encoding, Cookie');
 * vary.has('cookie');       // true
 * vary.add('accept-encoding');
 * vary.add('Origin');
 * vary.toString();          // 'Accept-Encoding, Cookie, Origin'
 */
export class HeaderSet implements Iterable<string> {
  #items: string[] = [];
  readonly #keys = new Set<string>();
  readonly #onUpdate: ((set: HeaderSet) => void) | undefined;

  constructor(items: Iterable<string> = [], onUpdate?: (set: HeaderSet) => void) {
    for (const item of items) this.#insert(item);
    this.#onUpdate = onUpdate;
  }

  #insert(item: string): boolean {
    const key = item.toLowerCase();
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    this.#items.push(item);
    return true;
  }

  /** Whether the set holds an item, compared without case. */
  has(item: string): boolean {
    return this.#keys.has(item.toLowerCase());
  }

  /** Adds items not yet present (without case), at the end; the spelling already there is kept. */
  add(...items: string[]): this {
    let changed = false;
    for (const item of items) changed = this.#insert(item) || changed;
    if (changed) this.#onUpdate?.(this);
    return this;
  }

  /** Removes an item, compared without case; returns whether it was there. */
  delete(item: string): boolean {
    const key = item.toLowerCase();
    if (!this.#keys.delete(key)) return false;
    this.#items = this.#items.filter((existing) => existing.toLowerCase() !== key);
    this.#onUpdate?.(this);
    return true;
  }

  /** The position of an item (without case), or -1. */
  indexOf(item: string): number {
    const key = item.toLowerCase();
    return this.#items.findIndex((existing) => existing.toLowerCase() === key);
  }

  /** Removes every item. */
  clear(): void {
    if (this.#items.length === 0) return;
    this.#items = [];
    this.#keys.clear();
    this.#onUpdate?.(this);
  }

  get size(): number {
    return this.#items.length;
  }

  /** The header value: items joined by `, `, quoted where they are not tokens. */
  toString(): string {
    return this.#items.map((item) => quoteHeaderValue(item)).join(', ');
  }

  [Symbol.iterator](): Iterator<string> {
    return [...this.#items][Symbol.iterator]();
  }
}

/**
 * Parses a comma-separated header into a {@link HeaderSet}; quoted items are unquoted, and a repeated item (without
 * case) is kept once.
 *
 * @example
 * [...parseSetHeader('GET, HEAD, "get"')]; // ['GET', 'HEAD']
 */
export function parseSetHeader(header: string | null | undefined, onUpdate?: (set: HeaderSet) => void): HeaderSet {
  return new HeaderSet(header ? parseListHeader(header) : [], onUpdate);
}
