/** @module Deadlines: one coarse timer for every request in flight, instead of a timer per request (layer L4). */

/** What a {@link Deadlines} set calls when an entry's time is up. */
export interface Expirable {
  expire(): void;
}

/**
 * Requests in flight with a deadline each, checked by one unref'd interval that ticks four times per timeout. Adding
 * and removing an entry is a Map operation: no timer object per request, which matters on the hot path. An entry
 * expires between `timeout` and `1.25 × timeout` after it was added.
 *
 * @example
 * const deadlines = new Deadlines(30_000);
 * deadlines.add(exchange);    // exchange.expire() runs if it is still here in 30-37.5 s
 * deadlines.delete(exchange); // the headers went out in time
 */
export class Deadlines {
  readonly timeout: number;
  readonly #ticks: number;
  readonly #step: number;
  readonly #entries = new Map<Expirable, number>();
  #now = 0;
  #interval: NodeJS.Timeout | null = null;

  /** `timeout` in milliseconds, greater than 0. */
  constructor(timeout: number) {
    if (!(timeout > 0) || !Number.isFinite(timeout)) throw new RangeError(`a deadline needs a timeout in milliseconds greater than 0, got ${timeout}`);
    this.timeout = timeout;
    this.#step = Math.max(1, Math.ceil(timeout / 4));
    this.#ticks = Math.ceil(timeout / this.#step);
  }

  /** Starts the clock for `entry`. */
  add(entry: Expirable): void {
    this.#entries.set(entry, this.#now + this.#ticks + 1);
    if (this.#interval === null) {
      this.#interval = setInterval(() => this.#tick(), this.#step);
      this.#interval.unref();
    }
  }

  /** Stops the clock for `entry`; nothing happens if it has none. */
  delete(entry: Expirable): void {
    this.#entries.delete(entry);
  }

  /** How many entries are waiting. */
  get size(): number {
    return this.#entries.size;
  }

  /** Stops the interval; entries left are forgotten without expiring. */
  stop(): void {
    if (this.#interval !== null) clearInterval(this.#interval);
    this.#interval = null;
    this.#entries.clear();
  }

  #tick(): void {
    const now = ++this.#now;
    // A Map keeps insertion order and deadlines grow with it, so the first entry not yet due ends the sweep.
    for (const [entry, due] of this.#entries) {
      if (due > now) break;
      this.#entries.delete(entry);
      entry.expire();
    }
  }
}
