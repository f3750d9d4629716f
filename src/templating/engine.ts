/** @module The template engine (layer L3): nunjucks behind Flagon's TemplateRenderer interface. */
import { AutoescapeTag } from './autoescape-tag.js';
import { WithTag } from './with-tag.js';
import { DoTag, LoopControlTag } from './statement-tags.js';
import { pythonDict } from './python-methods.js';
import { isTruthy } from './truthiness.js';
import type { TemplateRenderer } from '../app/types.js';
import { compileTemplate, type CompileEnvironment } from './compiler.js';
import { explainRenderError, notFoundMessage, syntaxError, TemplateNotFound } from './errors.js';
import { withPlainKeywords } from './keywords.js';
import { collectionFilters } from './jinja-filters.js';
import { plainText, withSignature, type Filter } from './jinja-signature.js';
import { jinjaTests } from './jinja-tests.js';
import { Cycler, namespace } from './runtime.js';
import { textFilters } from './jinja-text.js';
import { urlizeFilters } from './jinja-urlize.js';
import {
  Environment as NunjucksEnvironment,
  copySafeness,
  FileSystemLoader,
  markSafe,
  NunjucksTemplateError,
  Template,
  type ConfigureOptions,
} from './nunjucks.js';

const ESCAPED_EXTENSIONS = /\.(html|htm|xml|xhtml|svg)$/i;
const STRING_TEMPLATE = '(template string)';
// Errors raised while rendering get stacks deep enough to reach from a filter back through the templates to the view.
const RENDER_STACK_LIMIT = 100;

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

type Environment = InstanceType<typeof NunjucksEnvironment> & CompileEnvironment;

/**
 * How templates are written, Jinja's environment options that Flask apps set (`app.jinja_env.trim_blocks = True`),
 * under nunjucks's names. Each is off (or Jinja's default) unless set.
 *
 * @example
 * new NunjucksRenderer(['templates'], { trimBlocks: true, lstripBlocks: true });
 * new NunjucksRenderer(['templates'], { tags: { variableStart: '[[', variableEnd: ']]' } }); // beside Vue's {{ }}
 */
export interface TemplateSyntax {
  /** The first line break after a block tag is not output (Jinja's `trim_blocks`). */
  trimBlocks?: boolean;
  /** Spaces and tabs before a block tag at the start of a line are not output (`lstrip_blocks`). */
  lstripBlocks?: boolean;
  /** The line break at the end of a template file is output (`keep_trailing_newline`). */
  keepTrailingNewline?: boolean;
  /** What a line break in a template's text is written as (`newline_sequence`): `\n` unless given. */
  newlineSequence?: '\n' | '\r\n' | '\r';
  /** The delimiters (`block_start_string`…): `{%` `%}`, `{{` `}}`, `{#` `#}` unless given. */
  tags?: {
    blockStart?: string;
    blockEnd?: string;
    variableStart?: string;
    variableEnd?: string;
    commentStart?: string;
    commentEnd?: string;
  };
}
type LoaderSource = { src: string | { type: 'code'; obj: unknown }; path: string; noCache: boolean };

/**
 * nunjucks with two environments, one escaping (HTML-like files and string templates), one not (everything else).
 * Filters, globals and tests go to both. Templates are looked up in `searchPaths` in order, so the app's own folder,
 * listed first, overrides blueprints'. With `autoReload`, files are re-read on every render.
 *
 * Errors name the template and line: a syntax error is a `TemplateSyntaxError`, something undefined called or an
 * unknown filter a `TemplateError`, and an error thrown by the app's own filter or global passes through unchanged
 * but for template frames (`at block 'body' (/app/templates/page.html:4:8)`) in its stack.
 *
 * @example
 * const engine = new NunjucksRenderer(['/app/templates'], { autoReload: true });
 * engine.render(['user.html', 'default.html'], { name: 'Ada' });
 */
export class NunjucksRenderer implements TemplateRenderer {
  readonly #escaped: Environment;
  readonly #raw: Environment;
  readonly #searchPaths: readonly string[];

  constructor(searchPaths: readonly string[], options: { autoReload?: boolean } & TemplateSyntax = {}) {
    const { autoReload = false, ...syntax } = options;
    this.#searchPaths = [...searchPaths];
    this.#escaped = makeEnvironment(searchPaths, autoReload, true);
    this.#raw = makeEnvironment(searchPaths, autoReload, false);
    this.configure(syntax);
  }

  /**
   * Changes how templates are written; templates compiled before are compiled again on their next render.
   *
   * @example
   * engine.configure({ trimBlocks: true, lstripBlocks: true });
   */
  configure(syntax: TemplateSyntax): void {
    // These keys only: anything else in the object (`autoescape`, from a config file) must not reach nunjucks.
    const { trimBlocks, lstripBlocks, keepTrailingNewline, newlineSequence, tags } = syntax;
    const known = { trimBlocks, lstripBlocks, keepTrailingNewline, newlineSequence, tags };
    const given = Object.fromEntries(Object.entries(known).filter(([, value]) => value !== undefined));
    for (const env of [this.#escaped, this.#raw]) {
      Object.assign(env.opts, given);
      for (const loader of (env as unknown as { loaders: Array<{ cache: object }> }).loaders) loader.cache = {};
    }
  }

  #environmentFor(name: string): Environment {
    return autoescapes(name) ? this.#escaped : this.#raw;
  }

  /** Renders the first of `names` that exists; a missing one is a {@link TemplateNotFound} naming all that were tried. */
  render(names: string | readonly string[], context: Record<string, unknown>): string {
    const { name, template } = this.#find(names);
    return renderExplained(() => template.render(context), {
      name,
      file: template.path,
      searchPaths: this.#searchPaths,
    });
  }

  /**
   * The name of the first of `names` that exists, the one `render` would render; TemplateNotFound when none does.
   *
   * @example
   * renderer.select(['user/profile.html', 'profile.html']); // 'profile.html' when the first does not exist
   */
  select(names: string | readonly string[]): string {
    return this.#find(names).name;
  }

  /**
   * What a template defines at its top level, its macros and `{% set %}` names, as Jinja's `template.module`: the
   * template runs once with `context`, its output dropped. A macro returns safe text.
   *
   * @example
   * renderer.exports('_macros.html', {}).hello('World'); // Hello World!
   */
  exports(name: string, context: Record<string, unknown>): Record<string, unknown> {
    const { template } = this.#find(name);
    const run = () => {
      let exported: Record<string, unknown> = {};
      template.getExported(context, null, (error, names) => {
        if (error) throw error;
        exported = names;
      });
      return exported;
    };
    return renderExplained(run, { name, file: template.path, searchPaths: this.#searchPaths });
  }

  /** The first of `names` that exists, or a {@link TemplateNotFound} naming all that were tried. */
  #find(names: string | readonly string[]): { name: string; template: FoundTemplate } {
    const list = typeof names === 'string' ? [names] : names;
    for (const name of list) {
      const env = this.#environmentFor(name);
      const getTemplate = env.getTemplate as unknown as (
        name: string,
        eager: boolean,
        parent: null,
        ignoreMissing: boolean,
      ) => FoundTemplate;
      const template = getTemplate.call(env, name, true, null, true);
      // nunjucks gives a no-op template with an empty path for a name that `ignoreMissing` lets through.
      if (template.path) return { name, template };
    }
    throw new TemplateNotFound(
      notFoundMessage(list.join(', '), this.#searchPaths),
      { template: list.join(', '), file: null, line: null, column: null },
      { located: false },
    );
  }

  renderString(source: string, context: Record<string, unknown>): string {
    return renderExplained(
      () => {
        const { props } = loadCompiled(
          () => compileTemplate(source, STRING_TEMPLATE, null, this.#escaped),
          STRING_TEMPLATE,
          null,
        );
        return new Template({ type: 'code', obj: props } as unknown as string, this.#escaped, STRING_TEMPLATE).render(
          context,
        );
      },
      { name: STRING_TEMPLATE, file: null, searchPaths: this.#searchPaths },
    );
  }

  addFilter(name: string, fn: (...args: never[]) => unknown): void {
    const plain = withPlainKeywords(fn) as (...args: unknown[]) => unknown;
    for (const env of [this.#escaped, this.#raw]) env.addFilter(name, plain);
  }

  addGlobal(name: string, value: unknown): void {
    const plain = typeof value === 'function' ? withPlainKeywords(value as (...args: never[]) => unknown) : value;
    for (const env of [this.#escaped, this.#raw]) env.addGlobal(name, plain);
  }

  addTest(name: string, fn: (...args: never[]) => boolean): void {
    // nunjucks has no public addTest; tests live in the environment's `tests` table, which `is` looks up.
    for (const env of [this.#escaped, this.#raw])
      (env as unknown as { tests: Record<string, unknown> }).tests[name] = fn;
  }

  /** Marks text as safe HTML, so autoescaping leaves it alone (Jinja's Markup). */
  markSafe(text: string): unknown {
    return markSafe(text);
  }
}

function makeEnvironment(searchPaths: readonly string[], autoReload: boolean, autoescape: boolean): Environment {
  // One loader per environment: nunjucks caches Template objects (bound to an environment) in the loader, so a shared
  // loader would hand a `.txt` template first included from an `.html` one to later renders with escaping on.
  const loader = new FileSystemLoader([...searchPaths], { noCache: autoReload });
  // `dev` keeps nunjucks from replacing the error with a copy that has only its message: explainRenderError needs the
  // original, its cause and its stack.
  const env = new NunjucksEnvironment(loader, {
    autoescape,
    throwOnUndefined: false,
    dev: true,
  } as ConfigureOptions) as Environment;
  const readSource = loader.getSource.bind(loader) as (name: string) => LoaderSource | null;
  // Templates are compiled here rather than by nunjucks, so that stack frames in them map back to template lines.
  (loader as unknown as { getSource(name: string): LoaderSource | null }).getSource = (name) => {
    const info = readSource(name);
    if (info === null || typeof info.src !== 'string') return info;
    const source = info.src;
    const { props } = loadCompiled(() => compileTemplate(source, name, info.path, env), name, info.path);
    return { ...info, src: { type: 'code', obj: props } };
  };
  includeFirstOf(env);
  // Jinja spells its constants True, False and None; ported Flask templates (`_external=True`) keep working.
  env
    .addGlobal('True', true)
    .addGlobal('False', false)
    .addGlobal('None', null)
    .addGlobal('namespace', namespace)
    .addGlobal('dict', pythonDict)
    .addGlobal('cycler', (...items: unknown[]) => new Cycler(...items));
  env.addFilter('tojson', tojson);
  env.addFilter('default', defaultFilter).addFilter('d', defaultFilter);
  env
    .addFilter(
      'upper',
      caseFilter((text) => text.toUpperCase()),
    )
    .addFilter(
      'lower',
      caseFilter((text) => text.toLowerCase()),
    );
  addJinjaFilters(env);
  env
    .addExtension('autoescape', new AutoescapeTag())
    .addExtension('with', new WithTag())
    .addExtension('do', new DoTag())
    .addExtension('loopcontrols', new LoopControlTag());
  return env;
}

/** A template nunjucks found: its file, and what runs it. */
type FoundTemplate = InstanceType<typeof Template> & {
  path: string;
  getExported(
    context: Record<string, unknown>,
    parentFrame: null,
    done: (error: unknown, exported: Record<string, unknown>) => void,
  ): void;
};

/** A template that renders nothing: what `{% include [...] ignore missing %}` includes when none of the names exists. */
const NOTHING = {
  type: 'code',
  obj: {
    root: (
      _env: unknown,
      _context: unknown,
      _frame: unknown,
      _runtime: unknown,
      done: (e: null, out: string) => void,
    ) => done(null, ''),
  },
} as unknown as string;

type GetTemplate = (
  name: unknown,
  eager: unknown,
  parent: unknown,
  ignoreMissing: unknown,
  done: (error: unknown, template?: { path?: string }) => void,
) => unknown;

/**
 * `{% include ['theme/header.html', 'header.html'] %}`: the first of a list of names that exists, as Jinja's `include`
 * takes one (its `select_template`); nunjucks refused anything but a string. `ignore missing` allows none.
 */
function includeFirstOf(env: Environment): void {
  const target = env as unknown as { getTemplate: GetTemplate };
  const getTemplate = target.getTemplate.bind(env);
  target.getTemplate = (given, eager, parent, ignoreMissing, done) => {
    const name = given === '' ? [given] : given; // an empty name is missing, not the folder itself
    // The name, or the callback, of nunjucks's other calls (a render's getTemplate returns the template).
    if (!Array.isArray(name) || typeof done !== 'function')
      return getTemplate(name, eager, parent, ignoreMissing, done);
    // An empty name is missing, as in Jinja (nunjucks would read the folder itself).
    const names = name.map(String).filter((each) => each !== '');
    const next = (index: number): void => {
      if (index === names.length) {
        if (ignoreMissing) done(null, new Template(NOTHING, env, '') as { path?: string });
        else done(new NunjucksTemplateError(`template not found: ${name.map(String).join(', ')}`));
        return;
      }
      // nunjucks gives a template with no path for a missing name that ignoreMissing lets through.
      getTemplate(names[index], eager, parent, true, (error, template) =>
        error || template?.path ? done(error, template) : next(index + 1),
      );
    };
    next(0);
    return undefined;
  };
}

/**
 * Jinja's filters and tests, where nunjucks lacks them or differs: keyword arguments, attribute paths, test arguments
 * and Python's semantics (see jinja-filters.ts and jinja-text.ts). nunjucks's own `center` and `length` do what
 * Jinja's do: `center` learns Jinja's keyword name, `length` is `count` too.
 */
function addJinjaFilters(env: Environment): void {
  const builtin = (name: string) => env.getFilter(name) as unknown as Filter;
  const [center, length] = [builtin('center'), builtin('length')];
  env.addFilter(
    'center',
    withSignature('center', { width: 80 }, function (value, { width }) {
      return center.call(this, value, width);
    }),
  );
  env.addFilter('count', length);
  for (const [name, filter] of Object.entries({ ...collectionFilters, ...textFilters, ...urlizeFilters }))
    env.addFilter(name, filter);
  Object.assign((env as unknown as { tests: Record<string, unknown> }).tests, jinjaTests);
}

function loadCompiled<T>(compile: () => T, name: string, file: string | null): T {
  try {
    return compile();
  } catch (error) {
    throw syntaxError(error, name, file);
  }
}

function renderExplained<T>(
  render: () => T,
  top: { name: string; file: string | null; searchPaths: readonly string[] },
): T {
  const limit = Error.stackTraceLimit;
  // Rendering is synchronous, so the deeper limit applies to errors raised in it and nothing else.
  Error.stackTraceLimit = Math.max(limit, RENDER_STACK_LIMIT);
  try {
    return render();
  } catch (error) {
    throw explainRenderError(error, top);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Jinja's `default(value, default_value='', boolean=False)`: the default for an undefined value, or with `boolean`
 * for any value Jinja counts as false (an empty list too, where nunjucks's own filter asks JavaScript).
 */
function defaultFilter(value: unknown, fallback: unknown = '', boolean: unknown = false): unknown {
  const keywords = boolean as { boolean?: unknown; __keywords?: true } | null;
  const test = typeof keywords === 'object' && keywords?.__keywords === true ? keywords.boolean : boolean;
  return (test ? isTruthy(value) : value !== undefined) ? value : fallback;
}

/**
 * Jinja's `upper` and `lower`: text marked safe stays safe (Markup's methods keep it), so `{% filter upper %}` and
 * `{{ html | safe | upper }}` are not escaped a second time; nunjucks's own two drop the mark.
 */
function caseFilter(change: (text: string) => string): (value: unknown) => unknown {
  return (value) =>
    copySafeness(value, change(value === undefined || value === null || value === false ? '' : String(value)));
}

const HTML_UNSAFE_IN_JSON: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', "'": '\\u0027' };

/**
 * Jinja's and Flask's `tojson` filter: JSON that is safe inside HTML, even in a `<script>` tag or a single-quoted
 * attribute (`<`, `>`, `&` and `'` become `\u003c`-style escapes), marked safe so autoescaping leaves it alone.
 * `indent` (a number) pretty-prints.
 */
function tojson(value: unknown, indent?: unknown): unknown {
  const spaces = typeof indent === 'number' ? indent : (indent as { indent?: number } | undefined)?.indent;
  // Safe text (a set block, `x|safe`) is JSON's string, not the String object nunjucks keeps it in.
  const text = JSON.stringify(value, (_key, item: unknown) => plainText(item), spaces) ?? 'null';
  return markSafe(text.replace(/[<>&']/g, (char) => HTML_UNSAFE_IN_JSON[char]!));
}
