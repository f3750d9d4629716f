/** @module Flagon's programmer errors, as the App's modules import them (layer L3); they live in gateway/errors.ts (L0). */
export { FlagonError } from '../gateway/errors.js';
export type { FlagonErrorCode } from '../gateway/errors.js';
