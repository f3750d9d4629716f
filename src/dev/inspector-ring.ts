/** @module The request inspector's memory (layer L4): the last requests, each with the environ as the server built it, the App's recorder and the response. */
import type { HeaderList } from '../gateway/types.js';
import type { RequestRecorder } from '../app/request-recorder.js';
import type { CpuProfile } from '../middleware/profile-table.js';

/**
 * One request as the inspector keeps it: the environ as the server built it, the App's recorder, the response's
 * status and headers, and when it ended.
 *
 * @example
 * const latest: InspectedRequest | undefined = requests.latest();
 */
export interface InspectedRequest {
  readonly id: number;
  /** When it arrived (wall clock). */
  readonly arrived: Date;
  readonly method: string;
  /** SCRIPT_NAME + PATH_INFO, and `?` + QUERY_STRING when there is one. */
  readonly target: string;
  /** Every environ value as text, as the server built it (before any middleware). */
  readonly environ: Readonly<Record<string, string>>;
  /** The connection's local address and port, to tell SERVER_NAME read off the socket from one configured. */
  readonly socket: { localAddress?: string; localPort?: string };
  readonly recorder: RequestRecorder;
  status: string | null;
  headers: HeaderList | null;
  /** Milliseconds from arrival to the body's close (`null` while in flight). */
  duration: number | null;
  /** An error the app threw or its body raised. */
  error: string | null;
  /** Its V8 CPU profile, when the profiler ran inside the inspector (`flagon run --debug --profile`). */
  profile: CpuProfile | null;
}

/**
 * The requests an inspector keeps: a ring of the last `size`, newest last.
 *
 * @example
 * const ring = new RequestRing(50);
 * ring.get(7)?.status; // '200 OK'
 */
export class RequestRing {
  readonly #size: number;
  readonly #items: InspectedRequest[] = [];
  #next = 1;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`the inspector keeps at least one request: size must be a positive integer, got ${size}`);
    this.#size = size;
  }

  /** Takes a new id for a request. */
  nextId(): number {
    return this.#next++;
  }

  add(request: InspectedRequest): void {
    this.#items.push(request);
    if (this.#items.length > this.#size) this.#items.shift();
  }

  get(id: number): InspectedRequest | undefined {
    return this.#items.find((item) => item.id === id);
  }

  /** Every request kept, newest first. */
  list(): InspectedRequest[] {
    return [...this.#items].reverse();
  }
}
