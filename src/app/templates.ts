/** @module Templates for the App (layer L3): search folders, filters, globals, tests and context processors, and the render functions. */
import { NunjucksRenderer, type TemplateSyntax } from '../templating/engine.js';
import { asTemplateMacro, withPlainKeywordsIfFunction } from '../templating/keywords.js';
import type { Config } from './config.js';
import type { Request } from '../wrappers/request.js';
import { currentContext, g, session } from './context.js';
import { FlagonError } from './errors.js';
import { templateFlashedMessages, templateUrlFor } from './template-helpers.js';
import { csrfToken } from './security.js';
import { activeRecorders } from './request-recorder.js';
import { traceRender } from './request-trace.js';
import type { SignalSender } from './signal.js';
import { beforeRenderTemplate, renderTold, templateRendered } from './signals.js';
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
  /** Context processors by scope: `null` for every render, a blueprint's dotted name for its requests only. */
  readonly #processors = new Map<string | null, ContextProcessor[]>();
  readonly #config: Config;
  #syntax: TemplateSyntax = {};
  #renderer: NunjucksRenderer | null = null;

  constructor(config: Config) {
    this.#config = config;
  }

  // A render before setup ends (in an app context, as Flask allows) has made the renderer: it gets later additions too.
  addFilter(name: string, fn: (...args: never[]) => unknown): void {
    this.#filters.set(name, fn);
    this.#renderer?.addFilter(name, fn);
  }
  addGlobal(name: string, value: unknown): void {
    this.#globals.set(name, value);
    this.#renderer?.addGlobal(name, value);
  }
  addTest(name: string, fn: (...args: never[]) => boolean): void {
    this.#tests.set(name, fn);
    this.#renderer?.addTest(name, fn);
  }
  /**
   * How templates are written: Jinja's `trim_blocks`, `lstrip_blocks`, `keep_trailing_newline` and delimiters, which
   * Flask apps set on `app.jinja_env`. Templates already compiled are compiled again on their next render.
   *
   * @example
   * app.templates.configure({ trimBlocks: true, lstripBlocks: true }); // Flask: app.jinja_env.trim_blocks = True
   */
  configure(syntax: TemplateSyntax): void {
    this.#syntax = { ...this.#syntax, ...syntax };
    this.#renderer?.configure(syntax);
  }
  /** `scope`: a blueprint's dotted name, to run only for requests to its endpoints (Flask's `bp.context_processor`). */
  addContextProcessor(fn: ContextProcessor, scope: string | null = null): void {
    this.#processors.set(scope, [...(this.#processors.get(scope) ?? []), fn]);
  }

  /** The renderer, made once; in debug (or with TEMPLATES_AUTO_RELOAD) it re-reads files on each render. */
  get renderer(): TemplateRenderer {
    if (this.#renderer === null) {
      const renderer = new NunjucksRenderer(this.folders, {
        autoReload: this.#config.TEMPLATES_AUTO_RELOAD ?? this.#config.DEBUG,
        ...this.#syntax,
      });
      for (const [name, fn] of this.#filters) renderer.addFilter(name, fn);
      for (const [name, value] of this.#globals) renderer.addGlobal(name, value);
      for (const [name, fn] of this.#tests) renderer.addTest(name, fn);
      this.#renderer = renderer;
    }
    return this.#renderer;
  }

  /** Flask's template context: the standard globals, then context processors, then the explicit values (which win). */
  context(explicit: Record<string, unknown>): Record<string, unknown> {
    const base = this.globals();
    // Flask's order: the app's processors, then each blueprint's of the request's endpoint, outermost first.
    for (const scope of [null, ...blueprintsOf(currentContext()?.match?.endpoint)]) {
      // A processor that returns nothing adds nothing.
      for (const processor of this.#processors.get(scope) ?? []) addValues(base, valuesOf(processor));
    }
    return addValues(base, explicit);
  }

  /** What every template sees before context processors (Flask's `jinja_env.globals`): the helpers, the request's objects. */
  globals(): Record<string, unknown> {
    const current = currentContext()?.request ?? null;
    // Each helper under Flagon's name and Flask's, so templates ported from Flask (`url_for`, Flask-WTF's `csrf_token`)
    // render as they are.
    const base: Record<string, unknown> = {
      config: this.#config,
      g,
      urlFor: templateUrlFor,
      url_for: templateUrlFor,
      getFlashedMessages: templateFlashedMessages,
      get_flashed_messages: templateFlashedMessages,
      csrfToken,
      csrf_token: csrfToken,
      ...(current !== null ? { request: templateRequest(current), session } : {}),
    };
    return base;
  }
}

/** What Jinja's fallback reads an item from: the query's MultiDict, the request's Headers. */
interface ItemLookup {
  get(name: string): unknown;
}

/** Methods of a proxied object run on the object itself, whose private fields a proxy does not have. */
function unproxied(target: object, key: string | symbol): unknown {
  const value: unknown = Reflect.get(target, key, target);
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}

/** `lookup.name` is the attribute if there is one, else `lookup.get(name)`: Jinja's `getattr`, then `getitem`. */
function withItems<T extends ItemLookup>(lookup: T): T {
  return new Proxy(lookup, {
    // A missing item is Jinja's undefined (so `default()` applies), not the `null` Headers.get gives.
    get: (target, key) =>
      typeof key === 'string' && !(key in target) ? (target.get(key) ?? undefined) : unproxied(target, key),
  });
}

/**
 * The request as templates see it. Jinja reads `a.b` and `a['b']` as the attribute, else the item, so Flask templates
 * write `{{ request.args.q }}` and `{{ request.headers['User-Agent'] }}`; the query and the headers get that fallback
 * here (`request.args.get('q')` works as well). The rest is the Request as it is.
 */
function templateRequest(actual: Request): Request {
  return new Proxy(actual, {
    get(target, key) {
      if (key === 'args' || key === 'headers') return withItems(target[key]);
      return unproxied(target, key);
    },
  });
}

/** The blueprints of an endpoint, outermost first: 'a.b.view' → ['a', 'a.b']. */
function blueprintsOf(endpoint: string | undefined): string[] {
  const parts = endpoint?.split('.').slice(0, -1) ?? [];
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

/**
 * `values` added to a template context; their functions take keyword arguments as a plain last object
 * (`{{ price(9.5, currency='EUR') }}` calls `price(9.5, { currency: 'EUR' })`), as filters and globals do.
 */
/** What a context processor adds: its record, nothing for `undefined`; a Promise is refused (renders are sync). */
function valuesOf(processor: ContextProcessor): Record<string, unknown> {
  const values = processor() ?? {};
  if (typeof (values as { then?: unknown }).then === 'function')
    throw new FlagonError(
      'FLAGON_ERR_BAD_RETURN',
      `the context processor ${processor.name || '(anonymous)'} returned a Promise, but templates render synchronously: load the data in the view or a beforeRequest hook (into g), and return it from a plain function`,
    );
  return values;
}

function addValues(context: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  for (const [name, value] of Object.entries(values)) context[name] = withPlainKeywordsIfFunction(value);
  return context;
}

function templatesOfCurrentApp(what: string): { app: SignalSender; templates: AppTemplates } {
  const app = currentContext()?.app as (SignalSender & { templates?: AppTemplates }) | undefined;
  if (!app?.templates)
    throw new FlagonError(
      'FLAGON_ERR_NO_CONTEXT',
      `${what} needs an app: call it in a view, or inside app.appContext().run(fn)`,
    );
  return { app, templates: app.templates };
}

/**
 * A render as the App runs it: the template context made, the template signals sent around the render when someone
 * listens (`name`: the template chosen, `null` for a template string), traced for the request inspector.
 */
function renderInApp(
  what: string,
  names: string | readonly string[] | null,
  explicit: Record<string, unknown>,
  render: (renderer: TemplateRenderer, context: Record<string, unknown>) => string,
): string {
  const { app, templates } = templatesOfCurrentApp(what);
  const context = templates.context(explicit);
  const { renderer } = templates;
  let run = (): string => render(renderer, context);
  if (beforeRenderTemplate.hasReceiversFor(app) || templateRendered.hasReceiversFor(app)) {
    const name = names === null ? null : (renderer.select?.(names) ?? (typeof names === 'string' ? names : names[0]!));
    run = () => renderTold(app, { name }, context, () => render(renderer, context));
  }
  if (activeRecorders() > 0) return traceRender(names ?? '(a template string)', explicit, context, run);
  return run();
}

/**
 * Flask's `render_template`: renders the first template of `names` that exists, with the template context. HTML-like
 * files are autoescaped, so a `<script>` in a variable comes out as text.
 *
 * @example
 * app.get('/hello/<name>', (req) => renderTemplate('hello.html', { name: req.params.name }));
 */
export function renderTemplate(names: string | readonly string[], context: Record<string, unknown> = {}): string {
  return renderInApp('renderTemplate()', names, context, (renderer, full) => renderer.render(names, full));
}

/**
 * Renders a template given as text (always autoescaped).
 *
 * @example
 * renderTemplateString('<p>{{ who }}</p>', { who: '<you>' }); // '<p>&lt;you&gt;</p>'
 */
export function renderTemplateString(source: string, context: Record<string, unknown> = {}): string {
  return renderInApp('renderTemplateString()', null, context, (renderer, full) => renderer.renderString(source, full));
}

/**
 * Flask's `get_template_attribute`: a macro of a template (or a value its top level sets), to call from code, such as
 * a view answering a fetch() with one rendered list item. The template runs once with the template context; a macro
 * returns its HTML as text (escaped as in the template). Called from code, a macro takes its arguments by position
 * (`item('milk', true)`); given back to a render, it is the template's macro again.
 *
 * @example
 * const hello = getTemplateAttribute('_macros.html', 'hello') as (name: string) => string;
 * hello('World'); // 'Hello World!' for {% macro hello(name) %}Hello {{ name }}!{% endmacro %}
 */
export function getTemplateAttribute(templateName: string, attribute: string): unknown {
  const { templates } = templatesOfCurrentApp('getTemplateAttribute()');
  // As Flask's template.module: the globals, not the context processors (which may call this).
  const exported = templates.renderer.exports(templateName, templates.globals());
  if (!Object.hasOwn(exported, attribute)) {
    const names = Object.keys(exported);
    throw new FlagonError(
      'FLAGON_ERR_BAD_ARGUMENT',
      `${templateName} defines no '${attribute}' at its top level: it defines ${names.length > 0 ? names.join(', ') : 'no macros or names'}`,
    );
  }
  const value = exported[attribute];
  if (typeof value !== 'function') return value;
  // A macro gives safe text, a String object: plain text is what code compares and sends. Passed to a render again,
  // the handle is the macro itself (safe text, keyword arguments).
  const macro = value as (...args: unknown[]) => unknown;
  return asTemplateMacro((...args: unknown[]) => {
    const result = macro(...args);
    return result instanceof String ? String(result) : result;
  }, macro);
}

/**
 * Flask's `stream_template`, as an async iterable of chunks to return from a view. nunjucks renders a template in
 * one go, so this renders, then streams the result in 16 KiB chunks.
 *
 * @example
 * app.get('/report', () => streamTemplate('report.html', { rows }));
 */
export async function* streamTemplate(
  names: string | readonly string[],
  context: Record<string, unknown> = {},
): AsyncGenerator<string> {
  yield* inChunks(renderTemplate(names, context));
}

/**
 * Flask's `stream_template_string`: {@link streamTemplate} for a template given as text.
 *
 * @example
 * app.get('/', () => streamTemplateString('<p>{{ n }}</p>', { n: 42 }));
 */
export async function* streamTemplateString(
  source: string,
  context: Record<string, unknown> = {},
): AsyncGenerator<string> {
  yield* inChunks(renderTemplateString(source, context));
}

function* inChunks(html: string): Generator<string> {
  for (let i = 0; i < html.length; i += 16_384) yield html.slice(i, i + 16_384);
}
