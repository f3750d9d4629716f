/** @module What routing says besides "this rule": redirect to the canonical URL (308), or a URL that cannot be built (layer L1). */
import { HTTPError, type HTTPErrorOptions } from '../http/errors.js';
import { escapeHtml } from '../http/html.js';

/**
 * The request should go to another URL: the branch URL with its trailing slash, the path with `//` merged, or the
 * canonical URL for default values. A 308, so the method and body are kept (RFC 9110 §15.4.9).
 *
 * @example
 * try { router.match('/docs', { method: 'GET' }); } catch (e) { if (e instanceof RequestRedirect) e.newUrl; }
 */
export class RequestRedirect extends HTTPError {
  static override readonly status = 308;
  static override readonly description = 'The resource has moved.';
  readonly newUrl: string;

  constructor(newUrl: string, options: HTTPErrorOptions = {}) {
    super(undefined, options);
    this.newUrl = newUrl;
    this.headers.set('Location', newUrl);
  }

  override getBody(): string {
    const href = escapeHtml(this.newUrl);
    return `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${href}">${href}</a>. If not, click the link.\n`;
  }
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * A URL could not be built: the endpoint is unknown, a value is missing, or no rule allows the method. The message
 * says which, and suggests the nearest endpoint for a typo, as Flask does.
 *
 * @example
 * router.build('usr', {}); // BuildError: Could not build url for endpoint 'usr'. Did you mean 'user' instead?
 */
export class BuildError extends Error {
  readonly code = 'FLAGON_ERR_BUILD';
  readonly endpoint: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly method: string | undefined;

  constructor(endpoint: string, values: Readonly<Record<string, unknown>>, method: string | undefined, hint: string) {
    super(`Could not build url for endpoint '${endpoint}'${method ? ` ('${method}')` : ''}${Object.keys(values).length ? ` with values ${JSON.stringify(Object.keys(values).sort())}` : ''}. ${hint}`);
    this.name = 'BuildError';
    this.endpoint = endpoint;
    this.values = values;
    this.method = method;
  }

  /** The known endpoint closest to `endpoint`, for the "did you mean" hint. */
  static suggest(endpoint: string, known: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of known) {
      const d = distance(endpoint, candidate);
      if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(endpoint.length / 2)) ? best : undefined;
  }
}
