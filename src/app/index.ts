/** @module flagon/app: the App, its helpers and contexts. Re-exports only. */
export { App } from './app.js';
export type { AppOptions, UrlForOptions } from './app.js';
export { ConfigStore, DEFAULT_CONFIG } from './config.js';
export type { Config } from './config.js';
export { currentApp, currentContext, g, request } from './context.js';
export type { Context } from './context.js';
export { FlagonError } from './errors.js';
export type { FlagonErrorCode } from './errors.js';
export { afterThisRequest, makeResponse, urlFor } from './helpers.js';
export { jsonify, redirect } from './make-response.js';
export type { ResponseReturnValue } from './make-response.js';
export { Logger } from './logger.js';
export { endpointFromRule } from './scaffold.js';
export type { AddUrlRuleOptions, AfterRequestHook, BeforeRequestHook, ErrorHandler, ErrorKey, Handler, MethodRouteOptions, RouteDecorator, RouteOptions, TeardownHook, UrlDefaultsHook, UrlValuePreprocessor } from './scaffold.js';
export type { ConfigValues } from '../validation/config-schema.js';
