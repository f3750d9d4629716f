/** @module The error a session store throws when it cannot answer (layer L3): a 503 for the client, a line for the log. */
import { ServiceUnavailable } from '../http/errors.js';

/**
 * The session store could not be reached (Redis down, a network cut, a timeout), so the session could not be read or
 * saved. The App answers it as the 503 it is, through your 503 handler if you have one, never with a session that
 * silently lost its data, and logs `message` (what failed and how to fix it) as one line. The client sees only the
 * generic `description`: a 5xx page shows no internals.
 *
 * @example
 * throw new SessionUnavailable('Redis at redis://cache:6379 did not answer: start Redis', { cause: error });
 */
export class SessionUnavailable extends ServiceUnavailable {
  /** What failed and how to fix it, for the log; not shown to the client. */
  readonly detail: string;

  constructor(detail: string, options: { cause?: unknown; retryAfter?: number } = {}) {
    super('Sessions are unavailable for a moment. Please try again later.', options);
    this.detail = detail.replace(/\s*\n\s*/g, ' '); // one log line, whatever the cause's message holds
    this.message = `503 Service Unavailable: ${this.detail}`;
  }
}
