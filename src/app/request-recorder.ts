/** @module The request recorder (layer L3): what a traced request went through inside the App, filled by the pipeline when the request inspector put one in the environ; nothing is recorded without it. */
import type { RuleTrial } from '../routing/explain.js';

/**
 * The environ key under which the request inspector hands the App a {@link RequestRecorder} (a `flagon.` extension
 * key, docs/gateway.md §3.5). The App reads it once per request; absent, nothing is recorded.
 *
 * @example
 * environ[RECORDER_KEY] = new RequestRecorder();
 */
export const RECORDER_KEY = 'flagon.recorder';

/**
 * The phases of a request's timing bar, in the order they happen.
 *
 * @example
 * recorder.mark('view');
 */
export type TracePhase = 'app' | 'hooks' | 'view' | 'response made' | 'response started' | 'body sent';

/**
 * A hook or view that ran: its kind, function name, and when it started and ended (ms since the request arrived).
 *
 * @example
 * const step: TraceStep = { kind: 'before_request', name: 'loadUser', start: 0.4, end: 0.5, error: null };
 */
export interface TraceStep {
  kind: string;
  name: string;
  start: number;
  end: number | null;
  /** The error it threw, as a message. */
  error: string | null;
}

/**
 * How routing went: the path and method matched, the rule and endpoint found (or the routing error), the converted
 * values, and every rule tried (the router's explain mode).
 *
 * @example
 * recorder.match?.values; // { id: 7 }
 */
export interface MatchTrace {
  path: string;
  method: string;
  rule: string | null;
  endpoint: string | null;
  values: Record<string, unknown>;
  error: string | null;
  tried: RuleTrial[];
}

/**
 * A template rendered: the name(s) asked for, the keys of the context given explicitly and of the whole context
 * (the standard globals and context processors' values included), and its time.
 *
 * @example
 * recorder.templates[0]?.keys; // ['posts', 'title']
 */
export interface TemplateTrace {
  name: string;
  keys: string[];
  allKeys: string[];
  start: number;
  end: number;
}

let tracing = 0;

/**
 * How many recorders are in use: a render checks this number before it looks for the current request's recorder,
 * so an untraced render reads no property at all.
 *
 * @example
 * if (activeRecorders() > 0) recordRender();
 */
export function activeRecorders(): number {
  return tracing;
}

/**
 * What one request went through inside the App, for the request inspector: the match and the rules tried, the hooks
 * and the view in the order they ran, the templates, the session before and after, the environ the App got, and
 * phase marks. Times are milliseconds since the recorder was made (when the request arrived). `finish()` ends it.
 *
 * @example
 * const recorder = new RequestRecorder();
 * environ[RECORDER_KEY] = recorder;
 * await runApp(app.gatewayApp, environ);
 * recorder.finish();
 * recorder.steps.map((step) => step.name); // ['loadUser', 'index']
 */
export class RequestRecorder {
  readonly #origin = performance.now();
  /** Phase marks, in the order they were made. */
  readonly marks: Array<{ phase: TracePhase; at: number }> = [];
  match: MatchTrace | null = null;
  /** Hooks and the view, in the order they started. */
  readonly steps: TraceStep[] = [];
  readonly templates: TemplateTrace[] = [];
  /** JSON-safe copies, values truncated; `null` when the request had no session. */
  sessionBefore: Record<string, string> | null = null;
  sessionAfter: Record<string, string> | null = null;
  /** The environ as the App got it (after any middleware), values as text. */
  appEnviron: Record<string, string> | null = null;
  #onFinish: Array<() => void> | null = [];

  constructor() {
    tracing++;
  }

  /** Milliseconds since the request arrived. */
  now(): number {
    return performance.now() - this.#origin;
  }

  /** Marks the start of a phase, now. */
  mark(phase: TracePhase): void {
    this.marks.push({ phase, at: this.now() });
  }

  /** Runs `fn` when the request ends (its body closed), e.g. to read the session as it was saved. */
  onFinish(fn: () => void): void {
    if (this.#onFinish === null) fn();
    else this.#onFinish.push(fn);
  }

  /** Whether `finish()` was called. */
  get finished(): boolean {
    return this.#onFinish === null;
  }

  /** The request ended: runs the `onFinish` callbacks, once. */
  finish(): void {
    const callbacks = this.#onFinish;
    if (callbacks === null) return;
    this.#onFinish = null;
    tracing--;
    for (const fn of callbacks) {
      try {
        fn();
      } catch {
        // a snapshot that fails must not fail the request's close
      }
    }
  }
}

/**
 * A JSON-safe copy of plain data for display: each value as JSON text, cut at `limit` characters.
 *
 * @example
 * snapshotValues({ user: 'ada', cart: [1, 2] }); // { user: '"ada"', cart: '[1,2]' }
 */
export function snapshotValues(data: Record<string, unknown>, limit = 200): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    let text: string;
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
    out[key] = text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
  }
  return out;
}
