/** @module `currentApp`, Flask's `current_app` (layer L3): the App of the running request or app context, typed as the App. */
import type { App } from './app.js';
import { proxyTo, required } from './context.js';

/**
 * The app handling the current request or app context, Flask's `current_app`: the whole App, so
 * `currentApp.config.SECRET_KEY` is a `string | null` and your own keys are typed once declared in `AppConfig`.
 * Outside a request or `app.appContext().run(…)` it throws an error that says where to use it.
 *
 * @example
 * declare module 'flagon' { interface AppConfig { DATABASE: string } }
 * const db = openDatabase(currentApp.config.DATABASE);
 * currentApp.logger.info('opened', currentApp.config.DATABASE);
 */
export const currentApp: App = proxyTo(() => required('currentApp', false).app as App);
