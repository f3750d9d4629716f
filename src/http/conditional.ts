/** @module Conditional requests (layer L1): evaluate If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since and If-Range in RFC 9110 §13.2.2's order. */
import { parseHttpDate } from './dates.js';
import { parseEtags, unquoteEtag } from './etag.js';

/**
 * The request side of a conditional request: the method and the raw header values.
 *
 * @example
 * const headers: ConditionalHeaders = { method: 'GET', ifNoneMatch: '"v1"' };
 */
export interface ConditionalHeaders {
  method: string;
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
  ifModifiedSince?: string | null;
  ifUnmodifiedSince?: string | null;
  ifRange?: string | null;
}

/**
 * What the server knows about the selected representation.
 *
 * @example
 * const validators: ResourceValidators = { etag: '"v1"', lastModified: new Date('2026-01-01') };
 */
export interface ResourceValidators {
  /** Quoted, as in the ETag header: `"abc"` or `W/"abc"`. */
  etag?: string | null;
  lastModified?: Date | null;
}

/**
 * The outcome of the preconditions: go on, answer 304, or answer 412.
 *
 * @example
 * const result: PreconditionResult = evaluatePreconditions(headers, validators);
 * if (result === 'not-modified') status = 304;
 */
export type PreconditionResult = 'proceed' | 'not-modified' | 'precondition-failed';

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * Evaluates the preconditions of a request against a resource, in the order of RFC 9110 §13.2.2: If-Match, else
 * If-Unmodified-Since; then If-None-Match, else If-Modified-Since (GET and HEAD only). Dates compare to the second.
 *
 * @example
 * evaluatePreconditions({ method: 'GET', ifNoneMatch: '"v1"' }, { etag: '"v1"' }); // 'not-modified'
 * evaluatePreconditions({ method: 'PUT', ifMatch: '"v0"' }, { etag: '"v1"' });     // 'precondition-failed'
 */
export function evaluatePreconditions(request: ConditionalHeaders, resource: ResourceValidators): PreconditionResult {
  const etag = resource.etag ? unquoteEtag(resource.etag) : null;
  const lastModified = resource.lastModified ?? null;
  const readOnly = request.method === 'GET' || request.method === 'HEAD';

  if (request.ifMatch) {
    const tags = parseEtags(request.ifMatch);
    // strong comparison, and a weak current tag never matches (§13.1.1)
    if (!(tags.star ? etag !== null : etag !== null && !etag.weak && tags.contains(etag.tag)))
      return 'precondition-failed';
  } else if (request.ifUnmodifiedSince) {
    const since = parseHttpDate(request.ifUnmodifiedSince);
    if (since && lastModified && seconds(lastModified) > seconds(since)) return 'precondition-failed';
  }

  if (request.ifNoneMatch) {
    const tags = parseEtags(request.ifNoneMatch);
    const matched = tags.star ? etag !== null : etag !== null && tags.containsWeak(etag.tag);
    if (matched) return readOnly ? 'not-modified' : 'precondition-failed';
  } else if (readOnly && request.ifModifiedSince) {
    const since = parseHttpDate(request.ifModifiedSince);
    if (since && lastModified && seconds(lastModified) <= seconds(since)) return 'not-modified';
  }
  return 'proceed';
}

/**
 * Whether a Range request may be served as a range given its If-Range (RFC 9110 §13.1.5): yes without If-Range; with
 * an entity tag only on a strong match; with a date only when it equals Last-Modified exactly.
 *
 * @example
 * ifRangeMatches('"v1"', { etag: '"v1"' }); // true
 * ifRangeMatches('"v0"', { etag: '"v1"' }); // false: send the whole representation
 */
export function ifRangeMatches(ifRange: string | null | undefined, resource: ResourceValidators): boolean {
  if (!ifRange) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) {
    const wanted = unquoteEtag(value);
    const current = resource.etag ? unquoteEtag(resource.etag) : null;
    return !wanted.weak && current !== null && !current.weak && current.tag === wanted.tag;
  }
  const date = parseHttpDate(value);
  return date !== null && resource.lastModified != null && seconds(resource.lastModified) === seconds(date);
}

/**
 * Werkzeug's question in one call: should the full response be sent (true), or is a 304 enough (false)?
 *
 * @example
 * isResourceModified({ method: 'GET', ifModifiedSince: 'Sat, 21 Nov 2026 10:00:00 GMT' }, { lastModified: new Date(0) }); // false
 */
export function isResourceModified(request: ConditionalHeaders, resource: ResourceValidators): boolean {
  return evaluatePreconditions(request, resource) !== 'not-modified';
}
