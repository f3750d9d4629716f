/** @module The setup guard (layer L3), Flask's `@setupmethod`: once an app has served or a blueprint was registered, its setup methods throw an error that names the fix. */
import { FlagonError } from '../gateway/errors.js';

/**
 * Why setup has ended, in the words of Flask's setup-method error: what was set up, what ended it, and when setup
 * must be done instead.
 *
 * @example
 * const ended: SetupEnded = { target: 'the app', what: 'the application', because: 'It has already handled its first request', before: 'running it' };
 */
export interface SetupEnded {
  readonly target: string;
  readonly what: string;
  readonly because: string;
  readonly before: string;
}

/** How the App's setup ends: with its first request (Flask's wording). @example app.endSetup(APP_SETUP_ENDED) */
export const APP_SETUP_ENDED: SetupEnded = {
  target: 'the app',
  what: 'the application',
  because: 'It has already handled its first request',
  before: 'running it',
};

/**
 * The error a setup method throws after setup ended (Flask's message): a change now would reach some requests (or
 * some registrations) and not others.
 *
 * @example
 * throw setupFinished('addUrlRule', APP_SETUP_ENDED);
 */
export function setupFinished(method: string, ended: SetupEnded): FlagonError {
  return new FlagonError(
    'FLAGON_ERR_SETUP_FINISHED',
    `The setup method '${method}' can no longer be called on ${ended.target}. ${ended.because}, any changes will not be applied consistently. Make sure all imports, decorators, functions, etc. needed to set up ${ended.what} are done before ${ended.before}.`,
  );
}
