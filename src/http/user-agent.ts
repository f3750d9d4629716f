/** @module The User-Agent header as a value (layer L1): Werkzeug's `UserAgent`, which no longer guesses the browser. */

/**
 * A request's User-Agent, as Werkzeug's `request.user_agent`: the header as sent in `string`, and the same text from
 * `toString()`. Like Werkzeug since 2.1 it does not guess the browser or platform: such guesses go stale as browsers
 * change; give the string to a parser library (ua-parser-js, for one) when you need them.
 *
 * @example
 * const agent = new UserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:94.0) Gecko/20100101 Firefox/94.0');
 * agent.string.includes('Firefox'); // true
 * `${agent}` === agent.string;      // true
 */
export class UserAgent {
  /** The header's value; `''` when the request sent none. */
  readonly string: string;

  constructor(string = '') {
    this.string = string;
  }

  /** The header's value, as Werkzeug's `str(user_agent)` and `to_header()`. */
  toString(): string {
    return this.string;
  }
}
