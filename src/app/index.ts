/** @module flagon/app: the App, its helpers and contexts. Re-exports only. */
export { App } from './app.js';
export { buildOpenApi } from './openapi.js';
export { converterSchema } from './openapi-converters.js';
export type {
  OpenApiDocument,
  OpenApiInfo,
  OpenApiMediaType,
  OpenApiMethod,
  OpenApiOperation,
  OpenApiOptions,
  OpenApiParameter,
  OpenApiPathItem,
  OpenApiRequestBody,
  OpenApiResponse,
  OpenApiSecurityRequirement,
  OpenApiSecurityScheme,
  OpenApiServer,
  OpenApiSource,
} from './openapi-types.js';
export { jsonSchemaOf } from '../validation/json-schema.js';
export type { JsonSchema, JsonSchemaOptions, SchemaIo } from '../validation/json-schema.js';
export { APIDOCS_ENDPOINTS, apiDocs } from './api-docs.js';
export type { ApiDocsOptions } from './api-docs.js';
export type { AppOptions } from './app-options.js';
export type { UrlBuildErrorHandler, UrlForOptions } from './url-for.js';
export type { AppContext } from './app-context.js';
export { CliError, UsageError, parseCliArgs } from './cli-args.js';
export type { CliArgs, CliOption, CliOptions, CliOptionValues } from './cli-args.js';
export { AppCli, BUILTIN_COMMANDS } from './cli-commands.js';
export type {
  AppCliSetup,
  CliCommand,
  CliCommandDecorator,
  CliCommandOptions,
  CliHandler,
  ResolvedCli,
} from './cli-commands.js';
export { ConfigStore } from './config.js';
export { DEFAULT_CONFIG } from './config-defaults.js';
export type { Config, ConfigClass, ConfigFileOptions } from './config.js';
export { currentContext, g, request, session } from './context.js';
export { currentApp } from './current-app.js';
export type { AppConfig, AppGlobals, AppSession } from './declared-types.js';
export type { Context } from './context.js';
export { FlagonError } from './errors.js';
export type { FlagonErrorCode } from './errors.js';
export { afterThisRequest, flash, getFlashedMessages, makeResponse, urlFor } from './helpers.js';
export { Signal } from './signal.js';
export type { SignalConnection, SignalReceiver, SignalSender } from './signal.js';
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
} from './signals.js';
export type { SignalTemplate } from './signals.js';
export type { ResourceMode } from './resources.js';
export { sendFile, sendFromDirectory, sendStaticFile } from './send-file.js';
export type { SessionApp, SessionInterface } from './types.js';
export { jsonify, redirect } from './make-response.js';
export type { ResponseReturnValue } from './make-response.js';
export { Logger } from './logger.js';
export { checkCsrf, checkPasswordHash, csrfToken, generatePasswordHash } from './security.js';
export type { PasswordHashOptions } from './security.js';
export { endpointFromRule } from './default-names.js';
export type {
  AddUrlRuleOptions,
  AfterRequestHook,
  BeforeRequestHook,
  EndpointDecorator,
  ErrorHandler,
  ErrorKey,
  Handler,
  MethodRouteOptions,
  RequestPart,
  RouteDecorator,
  RouteDocs,
  RouteOptions,
  RouteRequest,
  RouteSchema,
  RouteSchemas,
  RouteSpec,
  TeardownHook,
  UrlDefaultsHook,
  UrlValuePreprocessor,
  ValidData,
  ViewReturn,
} from './handler-types.js';
export type { ConfigValues } from '../validation/config-schema.js';
export { Blueprint } from './blueprint.js';
export type { BlueprintOptions, BlueprintRegisterOptions, BlueprintSetupState } from './blueprint-setup.js';
export { MethodView, View } from './views.js';
export {
  AppTemplates,
  getTemplateAttribute,
  renderTemplate,
  renderTemplateString,
  streamTemplate,
  streamTemplateString,
} from './templates.js';
export type { ContextProcessor } from './templates.js';
export type { TemplateDecorator, TemplateFunction } from './template-registration.js';
export type { TemplateRenderer } from './types.js';
export { TemplateError, TemplateNotFound, TemplateSyntaxError } from '../templating/index.js';
export type { TemplateLocation } from '../templating/index.js';
export type { ClassView, MethodSchemas, ViewClass, ViewDecorator } from './views.js';
