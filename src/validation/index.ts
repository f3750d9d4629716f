/** @module flagon/validation: route validation helpers and errors (zod stays the user's import). Re-exports only. */
export { fileSchema } from './file-schema.js';
export type { FileSchemaOptions } from './file-schema.js';
export { ResponseValidationError, ValidationError } from './errors.js';
export type { ValidationIssue } from './errors.js';
export { validateForm } from './form.js';
export type { FormResult } from './form.js';
