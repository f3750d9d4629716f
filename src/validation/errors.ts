/** @module Validation errors (layer L3): the 422 a request that fails its route's schemas gets (RFC 9457 problem details), and the server error of a view whose value fails its response schema. */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { UnprocessableEntity } from '../http/errors.js';

/**
 * One problem in a request: where (`query.page`, `body.items.0.name`, or just `body` for the whole), the schema's
 * message, and its code (zod's `invalid_type`, `too_small`…; `invalid` when the library gives none).
 *
 * @example
 * const issue: ValidationIssue = { location: 'query.page', message: 'Too small: expected number to be >=1', code: 'too_small' };
 */
export interface ValidationIssue {
  readonly location: string;
  readonly message: string;
  readonly code: string;
}

/**
 * A Standard Schema issue as a {@link ValidationIssue} of request part `part`: its path joined with dots.
 *
 * @example
 * issueAt('query', { message: 'Required', path: ['page'] }); // { location: 'query.page', message: 'Required', code: 'invalid' }
 */
export function issueAt(part: string, issue: StandardSchemaV1.Issue): ValidationIssue {
  const path = (issue.path ?? []).map((segment) =>
    String(typeof segment === 'object' && segment !== null ? segment.key : segment),
  );
  const code = (issue as { code?: unknown }).code;
  return {
    location: path.length === 0 ? part : `${part}.${path.join('.')}`,
    message: issue.message,
    code: typeof code === 'string' ? code : 'invalid',
  };
}

/** How many issues a 422 body lists; `ValidationError.issues` keeps them all. */
const LISTED = 50;

/**
 * 422 Unprocessable Content: the request is well-formed, but its values fail the route's schemas (RFC 9110
 * §15.5.21; 400 stays for syntax, 415 for the content type). Its body is RFC 9457 problem details,
 * `application/problem+json`, listing every issue of every request part. Replace it with
 * `app.errorHandler(ValidationError, fn)` or `app.errorHandler(422, fn)`.
 *
 * @example
 * app.errorHandler(ValidationError, (e) => [{ errors: e.issues.map((i) => i.location) }, 400]);
 */
export class ValidationError extends UnprocessableEntity {
  /** Every problem found, in the order params, query, headers, cookies, body, form (the body lists the first 50). */
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    const count = `${issues.length} ${issues.length === 1 ? 'problem' : 'problems'} in the request`;
    super(issues.length > LISTED ? `${count}; the first ${LISTED} are listed` : count);
    this.issues = Object.freeze([...issues]);
  }

  /**
   * The problem details (RFC 9457 §3): type, title, status, detail, and the first 50 issues as `errors` (`detail`
   * gives the total). The cap keeps the answer in proportion to the request: a 1 MB array of wrong items would
   * otherwise give tens of MB of issues.
   */
  override getBody(): string {
    return JSON.stringify({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: this.description,
      errors: this.issues.length > LISTED ? this.issues.slice(0, LISTED) : this.issues,
    });
  }

  override getHeaders(): Array<[string, string]> {
    return [['Content-Type', 'application/problem+json'], ...this.headers.toList()];
  }
}

/**
 * A view returned a value its route's response schema rejects: a bug in the server, so a 500. In TESTING (and
 * debug) it propagates to the test (or the debug page); in production the client gets a generic 500 and the log
 * gets the issues.
 *
 * @example
 * await expect(client.get('/item')).rejects.toThrow(ResponseValidationError);
 */
export class ResponseValidationError extends Error {
  readonly endpoint: string;
  readonly issues: readonly ValidationIssue[];

  constructor(endpoint: string, issues: readonly ValidationIssue[]) {
    const list = issues.map((issue) => `${issue.location}: ${issue.message}`).join('; ');
    super(
      `The view of '${endpoint}' returned a value its response schema rejects (${list}). Return what the schema describes, or change the schema.`,
    );
    this.name = 'ResponseValidationError';
    this.endpoint = endpoint;
    this.issues = Object.freeze([...issues]);
  }
}
