/** @module flagon/routing: rules, converters, the matcher and URL building. Re-exports only. */
export { DEFAULT_CONVERTERS, ValidationError, parseConverterArgs } from './converters.js';
export type { Converter, ConverterArgs, ConverterFactory } from './converters.js';
export { Rule } from './rule.js';
export type { QueryOptions, RuleOptions, Segment } from './rule.js';
export { Router } from './router.js';
export type { BuildOptions, MatchOptions, RouteMatch, RouterOptions } from './router.js';
export { BuildError, RequestRedirect } from './errors.js';
export type { ConverterTypes, PathParams } from './params.js';
