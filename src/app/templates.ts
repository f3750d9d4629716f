/** @module Templates for the App (layer L3): search folders, filters, globals, tests and context processors, and the render functions. */
import { NunjucksRenderer } from '../templating/engine.js';
import type { Config } from './config.js';
import { currentContext, g, request, session } from './context.js';
import { FlagonError } from './errors.js';
import { getFlashedMessages, urlFor } from './helpers.js';
import { csrfToken } from './security.js';
import type { TemplateRenderer } from './types.js';

/**
 * A context processor: returns extra variables for every template.
 *
 * @example
 * const withUser: ContextProcessor = () => ({ user: g.user });
 */
export type ContextProcessor = () => Record<string, unknown>;

/**
 * The App's template setup, made into a renderer on the first render (after setup, so nothing registered is missed).
 *
 * @example
 * app.templates.folders; // ['/app/templates', '/app/admin/templates']
 */
export class AppTemplates {
  /** Folders searched in order: the app's first, then each blueprint's in registration order. */
  readonly folders: string[] = [];
  readonly #filters = new Map<string, (...args: never[]) => unknown>();
  readonly #globals = new Map<string, unknown>();
  readonly #tests = new Map<string, (...args: never[]) => boolean>();
  readonly #processors: ContextProcessor[] = [];
  readonly #config: Config;
  #renderer: TemplateRenderer | null = null;

  constructor(config: Config) {
    this.#config = config;
  }

  addFilter(name: string, fn: (...args: never[]) => unknown): void { this.#filters.set(name, fn); }
  addGlobal(name: string, value: unknown): void { this.#globals.set(name, value); }
  addTest(name: string, fn: (...args: never[]) => boolean): void { this.#tests.set(name, fn); }
  addContextProcessor(fn: ContextProcessor): void { this.#processors.push(fn); }

  /** The renderer, made once; in debug (or with TEMPLATES_AUTO_RELOAD) it re-reads files on each render. */
  get renderer(): TemplateRenderer {
    if (this.#renderer === null) {
      const renderer = new NunjucksRenderer(this.folders, { autoReload: this.#config.TEMPLATES_AUTO_RELOAD ?? this.#config.DEBUG });
      for (const [name, fn] of this.#filters) renderer.addFilter(name, fn);
      for (const [name, value] of this.#globals) renderer.addGlobal(name, value);
      for (const [name, fn] of this.#tests) renderer.addTest(name, fn);
      this.#renderer = renderer;
    }
    return this.#renderer;
  }

  /** Flask's template context: the standard globals, then context processors, then the explicit values (which win). */
  context(explicit: Record<string, unknown>): Record<string, unknown> {
    const inRequest = currentContext()?.request != null;
    const base: Record<string, unknown> = {
      config: this.#config, g, urlFor, getFlashedMessages, csrfToken,
      ...(inRequest ? { request, session } : {}),
    };
    for (const processor of this.#processors) Object.assign(base, processor());
    return Object.assign(base, explicit);
  }
}

function templatesOfCurrentApp(what: string): AppTemplates {
  const app = currentContext()?.app as { templates?: AppTemplates } | undefined;
  if (!app?.templates) throw new FlagonError('FLAGON_ERR_NO_CONTEXT', `${what} needs an app: call it in a view, or inside app.appContext().run(fn)`);
  return app.templates;
}

/**
 * Flask's `render_template`: renders the first template of `names` that exists, with the template context. HTML-like
 * files are autoescaped, so a `<script>` in a variable comes out as text.
 *
 * @example
 * app.get('/hello/<name>', (req) => renderTemplate('hello.html', { name: req.params.name }));
 */
export function renderTemplate(names: string | readonly string[], context: Record<string, unknown> = {}): string {
  const templates = templatesOfCurrentApp('renderTemplate()');
  return templates.renderer.render(names, templates.context(context));
}

/**
 * Renders a template given as text (always autoescaped).
 *
 * @example
 * renderTemplateString('<p>{{ who }}</p>', { who: '<you>' }); // '<p>&lt;you&gt;</p>'
 */
export function renderTemplateString(source: string, context: Record<string, unknown> = {}): string {
  const templates = templatesOfCurrentApp('renderTemplateString()');
  return templates.renderer.renderString(source, templates.context(context));
}

/**
 * Flask's `stream_template`, as an async iterable of chunks to return from a view. nunjucks renders a template in
 * one go, so this renders, then streams the result in 16 KiB chunks.
 *
 * @example
 * app.get('/report', () => streamTemplate('report.html', { rows }));
 */
export async function* streamTemplate(names: string | readonly string[], context: Record<string, unknown> = {}): AsyncGenerator<string> {
  const html = renderTemplate(names, context);
  for (let i = 0; i < html.length; i += 16_384) yield html.slice(i, i + 16_384);
}
