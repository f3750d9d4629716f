/** @module flagon/templating: the nunjucks renderer. Re-exports only. */
export { NunjucksRenderer, autoescapes } from './engine.js';
