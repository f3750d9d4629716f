/** @module flagon: the public surface, what an app author uses day to day (Flask's `__init__` exports 39 names). Re-exports only; nothing inside src imports this file. */
// Everything else is imported from its layer's subpath: flagon/gateway, flagon/http, flagon/routing, flagon/wrappers,
// flagon/middleware, flagon/app, flagon/sessions, flagon/testing, flagon/serving, flagon/dev, flagon/adapters,
// flagon/validation.
// test/architecture/root-exports.test.ts pins this list, and docs/app.md shows it.

// The App with run(), testClient() and fetch (src/root-app.ts), and what an app is built from.
export { App } from './root-app.js';
export { Blueprint } from './app/blueprint.js';
export { MethodView, View } from './app/views.js';
export type { AppOptions } from './app/app-options.js';
export type { BlueprintOptions } from './app/blueprint-setup.js';
export type { Config } from './app/config.js';
export type { AppConfig, AppGlobals, AppSession } from './app/declared-types.js';
export type {
  AddUrlRuleOptions,
  AfterRequestHook,
  BeforeRequestHook,
  ErrorHandler,
  Handler,
  MethodRouteOptions,
  RouteOptions,
  TeardownHook,
} from './app/handler-types.js';

// Inside a view: the context proxies and the helpers Flask's root module has.
export { currentApp } from './app/current-app.js';
export { g, request, session } from './app/context.js';
export { afterThisRequest, flash, getFlashedMessages, makeResponse, urlFor } from './app/helpers.js';
export {
  appcontextPopped,
  appcontextPushed,
  appcontextTearingDown,
  beforeRenderTemplate,
  gotRequestException,
  messageFlashed,
  requestFinished,
  requestStarted,
  requestTearingDown,
  templateRendered,
} from './app/signals.js';
export { jsonify, redirect } from './app/make-response.js';
export type { ResponseReturnValue } from './app/make-response.js';
export {
  getTemplateAttribute,
  renderTemplate,
  renderTemplateString,
  streamTemplate,
  streamTemplateString,
} from './app/templates.js';
export { FlagonError } from './app/errors.js';

// Request, Response, uploads and files.
export { Request } from './wrappers/request.js';
export { Response } from './wrappers/response.js';
export { FileStorage } from './wrappers/multipart.js';
export { sendFile, sendFromDirectory, sendStaticFile } from './app/send-file.js';

// abort() and the HTTP errors a view raises most; the rest are in flagon/http.
export {
  abort,
  BadRequest,
  Conflict,
  Forbidden,
  Gone,
  HTTPError,
  InternalServerError,
  MethodNotAllowed,
  NotFound,
  RequestEntityTooLarge,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
  UnprocessableEntity,
} from './http/errors.js';
// The 422 of a request that fails its route's schemas: for app.errorHandler(ValidationError, …).
export { ValidationError } from './validation/errors.js';
