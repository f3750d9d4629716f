/** @module Deadlines: one coarse timer for every request in flight, instead of a timer per request (layer L4). */

/**
 * What a {@link Deadlines} set holds: something to call when its time is up, with the links the set keeps it on.
 * Start the links as `null` and `deadline` as `0`; only the set writes them.
 *
 * @example
 * class Job implements Expirable {
 *   deadline = 0;
 *   deadlinePrev: Expirable | null = null;
 *   deadlineNext: Expirable | null = null;
 *   expire(): void { console.log('too late'); }
 * }
 */
export interface Expirable {
  expire(): void;
  deadline: number;
  deadlinePrev: Expirable | null;
  deadlineNext: Expirable | null;
}

/**
 * Requests in flight with a deadline each, checked by one unref'd interval that ticks four times per timeout. The
 * entries form a list in the order they were added, which is also the order of their deadlines, so adding is an append,
 * removing an unlink, and a sweep stops at the first entry not yet due. No timer object, no hashing per request: a
 * Map keyed by fresh objects costs about 100 ns per add and delete, which is measurable on a hello world. An entry
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
  #head: Expirable | null = null;
  #tail: Expirable | null = null;
  #size = 0;
  #now = 0;
  #interval: NodeJS.Timeout | null = null;

  /** `timeout` in milliseconds, greater than 0. */
  constructor(timeout: number) {
    if (!(timeout > 0) || !Number.isFinite(timeout))
      throw new RangeError(`a deadline needs a timeout in milliseconds greater than 0, got ${timeout}`);
    this.timeout = timeout;
    this.#step = Math.max(1, Math.ceil(timeout / 4));
    this.#ticks = Math.ceil(timeout / this.#step);
  }

  /** Starts the clock for `entry`, which must not be in a set already. */
  add(entry: Expirable): void {
    entry.deadline = this.#now + this.#ticks + 1;
    entry.deadlinePrev = this.#tail;
    entry.deadlineNext = null;
    if (this.#tail === null) this.#head = entry;
    else this.#tail.deadlineNext = entry;
    this.#tail = entry;
    this.#size++;
    if (this.#interval === null) {
      this.#interval = setInterval(() => this.#tick(), this.#step);
      this.#interval.unref();
    }
  }

  /** Stops the clock for `entry`; nothing happens if it has none. */
  delete(entry: Expirable): void {
    if (entry.deadline === 0) return;
    entry.deadline = 0;
    const { deadlinePrev: prev, deadlineNext: next } = entry;
    if (prev === null) this.#head = next;
    else prev.deadlineNext = next;
    if (next === null) this.#tail = prev;
    else next.deadlinePrev = prev;
    entry.deadlinePrev = entry.deadlineNext = null;
    this.#size--;
  }

  /** How many entries are waiting. */
  get size(): number {
    return this.#size;
  }

  /** Stops the interval; entries left are forgotten without expiring. */
  stop(): void {
    if (this.#interval !== null) clearInterval(this.#interval);
    this.#interval = null;
    while (this.#head !== null) this.delete(this.#head);
  }

  #tick(): void {
    const now = ++this.#now;
    for (let entry = this.#head; entry !== null && entry.deadline <= now; entry = this.#head) {
      this.delete(entry);
      entry.expire();
    }
  }
}
