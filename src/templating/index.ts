/** @module flagon/templating: the nunjucks renderer and the errors it raises. Re-exports only. */
export { NunjucksRenderer, autoescapes } from './engine.js';
export type { TemplateSyntax } from './engine.js';
export { TemplateError, TemplateNotFound, TemplateSyntaxError } from './errors.js';
export type { TemplateLocation } from './errors.js';
export { splitKeywords, withPlainKeywords } from './keywords.js';
