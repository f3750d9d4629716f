/** @module Signals (layer L3): Flask's blinker signals, notifications of what an app does that any code can receive. */
import type { Response } from '../wrappers/response.js';
import { Signal, type SignalSender } from './signal.js';

/**
 * What templateRendered and beforeRenderTemplate tell of the template: its name, `null` for a template string.
 *
 * @example
 * templateRendered.connect((sender, { template }) => console.log(template.name ?? '(a string)'), app);
 */
export interface SignalTemplate {
  readonly name: string | null;
}

/**
 * Flask's `template_rendered`: after a template rendered, with the template and the context it saw.
 *
 * @example
 * using _ = templateRendered.connectedTo((sender, { template }) => names.push(template.name), app);
 */
export const templateRendered = new Signal<{ template: SignalTemplate; context: Record<string, unknown> }>(
  'template-rendered',
);
/**
 * Flask's `before_render_template`: before a template renders; a receiver may change the context.
 *
 * @example
 * beforeRenderTemplate.connect((sender, { context }) => { context.now = new Date(); }, app);
 */
export const beforeRenderTemplate = new Signal<{ template: SignalTemplate; context: Record<string, unknown> }>(
  'before-render-template',
);
/**
 * Flask's `request_started`: a request is about to run its before-request hooks and its view.
 *
 * @example
 * requestStarted.connect((sender) => metrics.inc('requests'), app);
 */
export const requestStarted = new Signal('request-started');
/**
 * Flask's `request_finished`: the response is made, after the after-request hooks and the session save.
 *
 * @example
 * requestFinished.connect((sender, { response }) => metrics.observe(response.status), app);
 */
export const requestFinished = new Signal<{ response: Response }>('request-finished');
/**
 * Flask's `got_request_exception`: an error no handler answered, before it becomes the 500 (sent in testing too).
 *
 * @example
 * gotRequestException.connect((sender, { exception }) => errorTracker.capture(exception), app);
 */
export const gotRequestException = new Signal<{ exception: unknown }>('got-request-exception');
/**
 * Flask's `request_tearing_down`: after the teardown-request hooks, with the error the request ended with or `null`.
 *
 * @example
 * requestTearingDown.connect((sender, { exc }) => db.release(), app);
 */
export const requestTearingDown = new Signal<{ exc: unknown }>('request-tearing-down');
/**
 * Flask's `appcontext_tearing_down`: after the teardown-appcontext hooks, with the error or `null`.
 *
 * @example
 * appcontextTearingDown.connect((sender, { exc }) => pool.release(), app);
 */
export const appcontextTearingDown = new Signal<{ exc: unknown }>('appcontext-tearing-down');
/**
 * Flask's `appcontext_pushed`: an app context began (every request has one; so does `app.appContext().run()`).
 *
 * @example
 * appcontextPushed.connect((sender) => { g.user = testUser; }, app);
 */
export const appcontextPushed = new Signal('appcontext-pushed');
/**
 * Flask's `appcontext_popped`: an app context ended, after its teardown.
 *
 * @example
 * appcontextPopped.connect((sender) => log('done'), app);
 */
export const appcontextPopped = new Signal('appcontext-popped');
/**
 * Flask's `message_flashed`: `flash()` stored a message, with its category.
 *
 * @example
 * messageFlashed.connect((sender, { message, category }) => flashed.push([category, message]), app);
 */
export const messageFlashed = new Signal<{ message: string; category: string }>('message-flashed');

/**
 * A render between `beforeRenderTemplate` (whose receivers may change `context`, the object the render reads) and
 * `templateRendered`.
 *
 * @example
 * return renderTold(app, { name: 'index.html' }, context, () => renderer.render('index.html', context));
 */
export function renderTold(
  app: SignalSender,
  template: SignalTemplate,
  context: Record<string, unknown>,
  render: () => string,
): string {
  if (beforeRenderTemplate.hasReceiversFor(app)) beforeRenderTemplate.send(app, { template, context });
  const text = render();
  if (templateRendered.hasReceiversFor(app)) templateRendered.send(app, { template, context });
  return text;
}

/**
 * Whether an app context's end has receivers to tell for `app` (teardown and popped signals): then a request ends
 * through its teardown even with no teardown hooks.
 *
 * @example
 * const ends = hooks !== null || endSignals(app);
 */
export function endSignals(app: object): boolean {
  return (
    requestTearingDown.hasReceiversFor(app) ||
    appcontextTearingDown.hasReceiversFor(app) ||
    appcontextPopped.hasReceiversFor(app)
  );
}
