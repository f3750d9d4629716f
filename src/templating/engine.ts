/** @module The template engine (layer L3): nunjucks behind Flagon's TemplateRenderer interface; the one file that imports nunjucks. */
import nunjucks from 'nunjucks';
import type { TemplateRenderer } from '../app/types.js';

const ESCAPED_EXTENSIONS = /\.(html|htm|xml|xhtml|svg)$/i;

/**
 * Whether a template file gets autoescaping, by Flask's rule: `.html`, `.htm`, `.xml`, `.xhtml` and `.svg` do, other
 * extensions (`.txt`, `.md`, `.csv`) do not; string templates always do.
 *
 * @example
 * autoescapes('page.html'); // true
 * autoescapes('mail.txt');  // false
 */
export function autoescapes(name: string): boolean {
  return ESCAPED_EXTENSIONS.test(name);
}

/**
 * nunjucks with two environments over one loader: one escaping (HTML-like files and string templates), one not
 * (everything else). Filters, globals and tests go to both. Templates are looked up in `searchPaths` in order, so
 * the app's own folder, listed first, overrides blueprints'. With `autoReload`, files are re-read on every render.
 *
 * @example
 * const engine = new NunjucksRenderer(['/app/templates'], { autoReload: true });
 * engine.render(['user.html', 'default.html'], { name: 'Ada' });
 */
export class NunjucksRenderer implements TemplateRenderer {
  readonly #escaped: nunjucks.Environment;
  readonly #raw: nunjucks.Environment;

  constructor(searchPaths: readonly string[], options: { autoReload?: boolean } = {}) {
    const loader = new nunjucks.FileSystemLoader([...searchPaths], { noCache: options.autoReload ?? false });
    this.#escaped = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
    this.#raw = new nunjucks.Environment(loader, { autoescape: false, throwOnUndefined: false });
  }

  #environmentFor(name: string): nunjucks.Environment {
    return autoescapes(name) ? this.#escaped : this.#raw;
  }

  /** Renders the first of `names` that exists; a missing one is an error naming all that were tried. */
  render(names: string | readonly string[], context: Record<string, unknown>): string {
    const list = typeof names === 'string' ? [names] : names;
    for (const name of list) {
      let template: nunjucks.Template;
      try {
        template = this.#environmentFor(name).getTemplate(name, true);
      } catch (error) {
        if (/template not found/i.test((error as Error).message)) continue;
        throw error;
      }
      return template.render(context);
    }
    throw new Error(`template not found: ${list.join(', ')} (looked in the app's templates folder, then each blueprint's)`);
  }

  renderString(source: string, context: Record<string, unknown>): string {
    return this.#escaped.renderString(source, context);
  }

  addFilter(name: string, fn: (...args: never[]) => unknown): void {
    for (const env of [this.#escaped, this.#raw]) env.addFilter(name, fn as (...args: unknown[]) => unknown);
  }

  addGlobal(name: string, value: unknown): void {
    for (const env of [this.#escaped, this.#raw]) env.addGlobal(name, value);
  }

  addTest(name: string, fn: (...args: never[]) => boolean): void {
    // nunjucks has no public addTest; tests live in the environment's `tests` table, which `is` looks up.
    for (const env of [this.#escaped, this.#raw]) (env as unknown as { tests: Record<string, unknown> }).tests[name] = fn;
  }

  /** Marks text as safe HTML, so autoescaping leaves it alone (Jinja's Markup). */
  markSafe(text: string): unknown {
    return (nunjucks.runtime as unknown as { markSafe(value: string): unknown }).markSafe(text);
  }
}
