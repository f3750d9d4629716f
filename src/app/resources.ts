/** @module Resource files (layer L3): Flask's `open_resource`, a file beside the app's or blueprint's module. */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FlagonError } from './errors.js';

/**
 * How {@link openResourceIn} opens a file, as Flask's modes: all read. Text or bytes is chosen when reading
 * (`readFile('utf8')` or `readFile()`), so the three are the same in Node.
 *
 * @example
 * const mode: ResourceMode = 'rb';
 */
export type ResourceMode = 'r' | 'rt' | 'rb';

const READ_MODES: ReadonlySet<string> = new Set(['r', 'rt', 'rb']);

/**
 * Opens `resource`, a path relative to `root`, for reading: Flask's `open_resource`. A mode that writes is refused at
 * once, before anything is opened.
 *
 * @example
 * await using schema = await openResourceIn(app.rootPath, 'schema.sql');
 */
export function openResourceIn(root: string, resource: string, mode: ResourceMode = 'rb'): Promise<FileHandle> {
  if (!READ_MODES.has(mode))
    throw new FlagonError(
      'FLAGON_ERR_BAD_ARGUMENT',
      `Resources can only be opened for reading ('r', 'rt' or 'rb'), not '${String(mode)}': write files in the instance folder with node:fs (join(app.instancePath, name)).`,
    );
  return open(join(root, resource), 'r');
}
