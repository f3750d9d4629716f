/** @module File schemas (layer L3): a zod schema of an uploaded FileStorage, with size and type checks, documented as a binary string. */
import { z } from 'zod';
import { FileStorage } from '../wrappers/multipart.js';

/**
 * Options of {@link fileSchema}.
 *
 * @example
 * const options: FileSchemaOptions = { maxSize: 2_000_000, types: ['image/png', 'image/*'] };
 */
export interface FileSchemaOptions {
  /** The largest file accepted, in bytes. */
  maxSize?: number;
  /** The media types accepted: exact (`image/png`) or a whole kind (`image/*`); compared without parameters. */
  types?: readonly string[];
}

function typeMatches(contentType: string, wanted: readonly string[]): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return wanted.some((want) => {
    const w = want.toLowerCase();
    return w.endsWith('/*') ? type.startsWith(w.slice(0, -1)) : type === w;
  });
}

/**
 * A zod schema of an uploaded file (the `FileStorage` of a multipart body), for a `body` or `form` schema: rejects a
 * missing file, one larger than `maxSize` and one whose type is not in `types`. Its JSON Schema (and so the OpenAPI
 * document) is `{ type: 'string', format: 'binary' }`; use `z.array(fileSchema())` for a field that takes several.
 *
 * @example
 * app.post('/avatar', { form: z.object({ avatar: fileSchema({ maxSize: 1_000_000, types: ['image/*'] }) }) }, async (req) => {
 *   await req.valid.form.avatar.save(join(uploads, 'avatar.png'));
 *   return ['', 204];
 * });
 */
export function fileSchema(options: FileSchemaOptions = {}): z.ZodType<FileStorage, FileStorage> {
  const { maxSize, types } = options;
  // z.unknown() underneath, not z.instanceof(): a custom type has no JSON Schema; meta() gives it one.
  const schema = z
    .unknown()
    .superRefine((value, ctx) => {
      if (!(value instanceof FileStorage)) {
        ctx.addIssue({ code: 'custom', message: 'Expected a file upload' });
        return;
      }
      if (maxSize !== undefined && value.size > maxSize)
        ctx.addIssue({
          code: 'too_big',
          origin: 'file',
          maximum: maxSize,
          inclusive: true,
          input: value,
          message: `Too big: expected a file of at most ${maxSize} bytes, got ${value.size}`,
        });
      if (types !== undefined && !typeMatches(value.contentType, types))
        ctx.addIssue({
          code: 'custom',
          message: `Invalid file type: expected ${types.join(' or ')}, got ${value.contentType || 'none'}`,
        });
    })
    .meta({ type: 'string', format: 'binary' });
  return schema as unknown as z.ZodType<FileStorage, FileStorage>;
}
