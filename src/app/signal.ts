/** @module Signal (layer L3): blinker's `Signal`, a named notification that any code can receive. */
import { isPromiseLike } from '../gateway/response.js';
import type { ContextApp } from './context.js';
import { FlagonError } from './errors.js';

/**
 * The app that sends a signal, as receivers see it (an App; the type stays this small so signals need no import of
 * the App).
 *
 * @example
 * requestStarted.connect((sender: SignalSender) => console.log(sender.name));
 */
export interface SignalSender extends ContextApp {
  readonly logger?: { error(message: string, error: unknown): void };
}

/**
 * A function that receives a signal: the app that sent it, and the signal's values by name (Flask's keyword
 * arguments: `template` and `context`, `response`, `exception`, `exc`, `message` and `category`).
 *
 * @example
 * const record: SignalReceiver<{ response: Response }> = (sender, { response }) => log(response.status);
 */
export type SignalReceiver<Extra extends object> = (sender: SignalSender, extra: Extra) => unknown;

/**
 * A connection that ends when disposed (`using`) or disconnected: {@link Signal.connectedTo}'s answer.
 *
 * @example
 * using _ = templateRendered.connectedTo(record, app);
 */
export interface SignalConnection extends Disposable {
  disconnect(): void;
}

interface Connection<Extra extends object> {
  readonly receiver: SignalReceiver<Extra>;
  /** `null` for every sender; else the one sender, held weakly (blinker's default) so an app can be collected. */
  readonly sender: WeakRef<object> | null;
}

/**
 * A named notification, blinker's `Signal`: receivers are called in the order they connected, synchronously, when
 * the signal is sent; one connected with a sender hears only that sender. A receiver's error goes where the code that
 * sent the signal would have put its own; a Promise a receiver returns is not waited for, and its failure is logged.
 * Sending costs nothing while nobody listens for that sender. A sender is held weakly, as blinker holds it: an app
 * that receivers were connected for (in a test, say) can be collected, and its connections go with it, unless a
 * receiver itself refers to the app (receivers are held strongly: an arrow function connected inline must stay).
 *
 * @example
 * const userCreated = new Signal<{ user: User }>('user-created');
 * userCreated.connect((sender, { user }) => sendWelcome(user), app);
 * userCreated.send(app, { user });
 */
export class Signal<Extra extends object = Record<string, never>> {
  readonly name: string;
  // Replaced, never changed in place: a receiver that connects or disconnects during a send changes the next one.
  #connections: ReadonlyArray<Connection<Extra>> = [];
  /** How many connections are for every sender; the senders with connections of their own. */
  #forAny = 0;
  #senders = new WeakSet<object>();
  // Drops the connections of a sender that was collected.
  #collected = new FinalizationRegistry<null>(() => {
    this.#connections = this.#connections.filter((c) => c.sender === null || c.sender.deref() !== undefined);
  });

  constructor(name: string) {
    this.name = name;
  }

  /** Whether any receiver is connected, for any sender. */
  get hasReceivers(): boolean {
    return this.#connections.length > 0;
  }

  /**
   * Whether a send from `sender` would call anything (blinker's `has_receivers_for`): senders skip the work of
   * sending when it would not. One app's receivers leave every other app's requests on their fast path.
   *
   * @example
   * if (requestStarted.hasReceiversFor(app)) requestStarted.send(app, {});
   */
  hasReceiversFor(sender: object): boolean {
    // The length first: with nothing connected (the common case, on every request) no WeakSet is read.
    return this.#connections.length > 0 && (this.#forAny > 0 || this.#senders.has(sender));
  }

  /**
   * Connects `receiver`, for every sender or only `sender`; returns it. Connecting it again for the same sender
   * changes nothing.
   *
   * @example
   * messageFlashed.connect((sender, { message, category }) => audit(category, message), app);
   */
  connect<R extends SignalReceiver<Extra>>(receiver: R, sender?: object): R {
    if (typeof receiver !== 'function')
      throw new FlagonError(
        'FLAGON_ERR_BAD_ARGUMENT',
        `${this.name}.connect() takes a function (sender, extra) => …, not ${receiver === null ? 'null' : typeof receiver}`,
      );
    const only = sender ?? null;
    if (only !== null && typeof only !== 'object' && typeof only !== 'function')
      throw new FlagonError(
        'FLAGON_ERR_BAD_ARGUMENT',
        `${this.name}.connect(receiver, sender): the sender is the app (or another object) to hear, not ${typeof only} ${String(only)}`,
      );
    const same = (c: Connection<Extra>): boolean =>
      c.receiver === receiver && (only === null ? c.sender === null : c.sender?.deref() === only);
    if (this.#connections.some(same)) return receiver;
    this.#connections = [...this.#connections, { receiver, sender: only === null ? null : new WeakRef(only) }];
    if (only === null) this.#forAny += 1;
    else if (!this.#senders.has(only)) {
      this.#senders.add(only);
      this.#collected.register(only, null);
    }
    return receiver;
  }

  /**
   * Disconnects `receiver`: from `sender` only when given, else from every sender.
   *
   * @example
   * templateRendered.disconnect(record, app);
   */
  disconnect(receiver: SignalReceiver<Extra>, sender?: object): void {
    const kept = (c: Connection<Extra>): boolean =>
      c.receiver !== receiver || (sender !== undefined && c.sender?.deref() !== sender);
    const dropped = this.#connections.filter((c) => !kept(c));
    if (dropped.length === 0) return;
    this.#connections = this.#connections.filter(kept);
    this.#forAny = this.#connections.filter((c) => c.sender === null).length;
    for (const { sender: gone } of dropped) {
      const target = gone?.deref();
      if (target !== undefined && !this.#connections.some((c) => c.sender?.deref() === target))
        this.#senders.delete(target);
    }
  }

  /**
   * Connects `receiver` until the answer is disposed or disconnected: blinker's `connected_to`, for tests.
   *
   * @example
   * const recorded: string[] = [];
   * using _ = templateRendered.connectedTo((sender, { template }) => recorded.push(template.name ?? ''), app);
   * await client.get('/');
   */
  connectedTo(receiver: SignalReceiver<Extra>, sender?: object): SignalConnection {
    this.connect(receiver, sender);
    const disconnect = (): void => this.disconnect(receiver, sender);
    return { disconnect, [Symbol.dispose]: disconnect };
  }

  /**
   * Calls every receiver connected for `sender`, in order and once each, and returns what they returned.
   *
   * @example
   * userCreated.send(app, { user });
   */
  send(sender: SignalSender, extra: Extra): unknown[] {
    const results: unknown[] = [];
    // One receiver connected for every sender and for this one is called once, as blinker's set of receivers.
    let called: Set<SignalReceiver<Extra>> | undefined;
    for (const { receiver, sender: only } of this.#connections) {
      if (only !== null && only.deref() !== sender) continue;
      if (this.#connections.length > 1) {
        called ??= new Set();
        if (called.has(receiver)) continue;
        called.add(receiver);
      }
      const result = receiver(sender, extra);
      if (isPromiseLike(result)) result.then(undefined, (error: unknown) => this.#report(sender, receiver, error));
      results.push(result);
    }
    return results;
  }

  #report(sender: SignalSender, receiver: SignalReceiver<Extra>, error: unknown): void {
    const message = `The ${this.name} receiver ${receiver.name || '(anonymous)'} failed`;
    // Names are text, not placeholders: a '%s' in one must not take the error (a logger fills %s as Python's).
    if (sender.logger) sender.logger.error(message.replaceAll('%', '%%'), error);
    else process.stderr.write(`${message}: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
}
