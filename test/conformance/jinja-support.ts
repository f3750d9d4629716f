/**
 * Jinja's `Environment` in the ports of Jinja's test suite: a NunjucksRenderer over a temp folder (removed after the
 * file's tests), where `env.from_string(source)` and `DictLoader(templates)` become files. A `.txt` file renders
 * without autoescaping, as a plain `Environment()` does (Flask's rule); `renderString` autoescapes, as
 * `Environment(autoescape=True)`. Licence: see LICENSE-pallets.txt.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { NunjucksRenderer, type TemplateSyntax } from '../../src/templating/index.js';

/** A Jinja environment for one test file: `from_string`, `render` and `DictLoader`s, each in its own files. */
export function jinjaEnvironment(file: string) {
  const root = mkdtempSync(join(tmpdir(), `flagon-jinja-${file}-`));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const renderer = new NunjucksRenderer([root]);
  let count = 0;

  /** Writes a template into the environment's folder: under `name`, or a new `.txt` name; returns the name. */
  function write(source: string, name = `t${count++}.txt`): string {
    writeFileSync(join(root, name), source);
    return name;
  }

  /**
   * `env.from_string(source)`: the source as a `.txt` file, rendered (without autoescaping) on each call; with
   * `syntax`, by a renderer with those options (`Environment(trim_blocks=True, …)`).
   */
  function fromString(source: string, syntax?: TemplateSyntax): (context?: Record<string, unknown>) => string {
    const name = write(source);
    const env = syntax === undefined ? renderer : new NunjucksRenderer([root], syntax);
    return (context = {}) => env.render(name, context);
  }

  return {
    root,
    renderer,
    write,
    fromString,
    /** `env.from_string(source).render(**context)`. */
    render: (source: string, context: Record<string, unknown> = {}): string => fromString(source)(context),
    /** `Environment(loader=DictLoader(templates))`: the templates as files in a folder of their own. */
    dictEnv(templates: Record<string, string>): NunjucksRenderer {
      const folder = join(root, `d${count++}`);
      mkdirSync(folder);
      for (const [name, source] of Object.entries(templates)) writeFileSync(join(folder, name), source);
      return new NunjucksRenderer([folder]);
    },
  };
}
