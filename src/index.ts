/** @module flagon: the public surface. Re-exports only; nothing inside src imports this file. */
export * from './gateway/index.js';
export * from './http/index.js';
export * from './routing/index.js';
export * from './wrappers/index.js';
export * from './app/index.js';
export { TemplateError, TemplateNotFound, TemplateSyntaxError, type TemplateLocation } from './templating/index.js';
export * from './sessions/index.js';
export * from './serving/index.js';
export * from './dev/index.js';
export * from './testing/index.js';
export * from './adapters/index.js';
// An explicit export wins over the `export *` of app/: the root App has run(), testClient() and fetch.
export { App } from './root-app.js';
