/** @module Programmer errors with stable codes (layer L0, so every layer can throw them): each message says what went wrong and how to fix it. */

/**
 * The stable codes of Flagon's programmer errors.
 *
 * @example
 * if ((error as FlagonError).code === 'FLAGON_ERR_SETUP_FINISHED') { … }
 */
export type FlagonErrorCode =
  | 'FLAGON_ERR_SETUP_FINISHED'
  | 'FLAGON_ERR_CONFIG'
  | 'FLAGON_ERR_ENDPOINT_CONFLICT'
  | 'FLAGON_ERR_NO_VIEW'
  | 'FLAGON_ERR_BAD_RETURN'
  | 'FLAGON_ERR_NO_CONTEXT'
  | 'FLAGON_ERR_DECORATOR'
  | 'FLAGON_ERR_BLUEPRINT'
  | 'FLAGON_ERR_CLI'
  | 'FLAGON_ERR_BAD_ARGUMENT'
  | 'FLAGON_ERR_DUPLICATE_RULE'
  | 'FLAGON_ERR_ALIAS'
  | 'FLAGON_ERR_HOST_MATCHING'
  | 'FLAGON_ERR_NO_VALIDATION';

/**
 * An error in how Flagon is used (not in a request): a route added too late, a bad config value, a view that returns
 * nothing. The message names the fix.
 *
 * @example
 * throw new FlagonError('FLAGON_ERR_CONFIG', 'DEBUG must be true or false');
 */
export class FlagonError extends Error {
  readonly code: FlagonErrorCode;

  constructor(code: FlagonErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlagonError';
    this.code = code;
  }
}
