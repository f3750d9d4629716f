/** @module Template registration (layer L3): the call and decorator forms of `app.templateFilter`, `app.templateGlobal`, `app.templateTest` and their `bp.appTemplate*` kin, in one function. */
import { bindMethod, isDecoratorContext } from './decorators.js';
import type { ContextProcessor } from './templates.js';
import { FlagonError } from './errors.js';

/**
 * A template filter, test or global function, as registered.
 *
 * @example
 * const shout: TemplateFunction = (s: string) => s.toUpperCase();
 */
export type TemplateFunction = (...args: never[]) => unknown;

/**
 * A template test: a function that answers `{% if value is name %}`.
 *
 * @example
 * const even: TemplatePredicate = (n: number) => n % 2 === 0;
 */
export type TemplatePredicate = (...args: never[]) => boolean;

/**
 * What `bp.appTemplateFilter(name?)` (and the test and global forms) return: call it with a function, or put it on a
 * static method. Without a name, the function's (or method's) name is used.
 *
 * @example
 * const reverse: TemplateDecorator = bp.appTemplateFilter('reverse');
 * reverse((s: string) => [...s].reverse().join(''));
 */
export interface TemplateDecorator<F extends TemplateFunction = TemplateFunction> {
  <G extends F>(fn: G): G;
  <This>(value: (this: This, ...args: never[]) => ReturnType<F>, context: ClassMethodDecoratorContext<This>): void;
}

/**
 * The forms of `app.templateFilter` and `bp.appTemplateFilter` (and of the test forms, with `F` a predicate): `(fn)`,
 * named after the function; `(name, fn)`; `(name?)`, a decorator; or a bare decorator on a static method.
 *
 * @example
 * const addFilter: TemplateFunctionRegistrar = app.templateFilter;
 * addFilter('shout', (s: string) => s.toUpperCase());
 */
export interface TemplateFunctionRegistrar<F extends TemplateFunction = TemplateFunction> {
  <G extends F>(fn: G): G;
  <G extends F>(name: string, fn: G): G;
  (name?: string): TemplateDecorator<F>;
  <This>(method: (this: This, ...args: never[]) => ReturnType<F>, context: ClassMethodDecoratorContext<This>): void;
}

/**
 * The forms of `app.templateGlobal` and `bp.appTemplateGlobal`: those of {@link TemplateFunctionRegistrar}, except that
 * with a name the value may be anything.
 *
 * @example
 * const addGlobal: TemplateGlobalRegistrar = app.templateGlobal;
 * addGlobal('siteName', 'Flagon');
 */
export interface TemplateGlobalRegistrar {
  <G extends TemplateFunction>(fn: G): G;
  <T>(name: string, value: T): T;
  (name?: string): TemplateDecorator;
  <This>(method: (this: This, ...args: never[]) => unknown, context: ClassMethodDecoratorContext<This>): void;
}

/**
 * A registration function of one of the forms above: `guard` runs first (a setup check), then `register` gets the
 * name and the value. Usable as a bare decorator, since it needs no `this`.
 *
 * @example
 * readonly templateTest = templateRegistrar<TemplateFunctionRegistrar<Predicate>>('templateTest', true, guard, addTest);
 */
export function templateRegistrar<R>(
  where: string,
  needsFunction: boolean,
  guard: () => void,
  register: (name: string, value: unknown) => void,
): R {
  return ((...args: unknown[]) => {
    guard();
    return templateRegistration(where, args, needsFunction, register);
  }) as R;
}

function nameOf(fn: TemplateFunction, where: string): string {
  if (fn.name) return fn.name;
  throw new FlagonError(
    'FLAGON_ERR_BAD_ARGUMENT',
    `${where}() got an anonymous function, so it has no name to register it under: give one, as in ${where}('reverse', fn)`,
  );
}

/**
 * The forms of Flask's `app_template_filter`, `add_app_template_filter` (and their test and global kin) in one call:
 * `(name, value)` and `(fn)` register now, `(name?)` returns a {@link TemplateDecorator}, and `(method, context)` is
 * the bare decorator. A missing name is the function's or method's, as in Flask. `register` gets the result.
 *
 * @example
 * appTemplateFilter(...args: unknown[]) { return templateRegistration('appTemplateFilter', args, true, register); }
 */
export function templateRegistration(
  where: string,
  args: readonly unknown[],
  needsFunction: boolean,
  register: (name: string, value: unknown) => void,
): unknown {
  const [first, second] = args;
  if (typeof first === 'function') {
    if (isDecoratorContext(second))
      return void register(String(second.name), bindMethod(first as TemplateFunction, second, `@${where}`));
    register(nameOf(first as TemplateFunction, where), first);
    return first;
  }
  if (first !== undefined && typeof first !== 'string')
    throw new TypeError(`${where}() takes a name and a function, or a function: ${where}('reverse', fn)`);
  if (args.length >= 2) {
    if (needsFunction && typeof second !== 'function')
      throw new TypeError(`${where}('${first}', …) needs a function, got ${typeof second}`);
    register(first!, second);
    return second;
  }
  return (value: TemplateFunction, context?: unknown) => {
    if (isDecoratorContext(context))
      return void register(first ?? String(context.name), bindMethod(value, context, `@${where}`));
    register(first ?? nameOf(value, where), value);
    return value;
  };
}

/**
 * The App's template methods, made by {@link appTemplateRegistrars} and set by the App's constructor: functions, not
 * methods, so the bare decorator forms (`@app.templateFilter` on a static method) need no `this`.
 *
 * @example
 * app.templateFilter('shout', (s: string) => s.toUpperCase());
 */
export interface AppTemplateMethods {
  /**
   * A template filter, Flask's `template_filter` / `add_template_filter`, for `{{ name | shout }}`: the forms of
   * {@link TemplateFunctionRegistrar}, `@app.templateFilter` on a static method included.
   *
   * @example
   * app.templateFilter('shout', (s: string) => s.toUpperCase());
   * app.templateFilter(function reverse(s: string) { return [...s].reverse().join(''); });
   */
  readonly templateFilter: TemplateFunctionRegistrar;

  /**
   * A template global: with a name, any value; a function alone is named after itself. The forms of `templateFilter`.
   *
   * @example
   * app.templateGlobal('siteName', 'Flagon');
   * app.templateGlobal(function year() { return new Date().getFullYear(); }); // {{ year() }}
   */
  readonly templateGlobal: TemplateGlobalRegistrar;

  /**
   * A template test for `{% if n is even %}`. The forms of `templateFilter`.
   *
   * @example
   * app.templateTest('even', (n: number) => n % 2 === 0);
   */
  readonly templateTest: TemplateFunctionRegistrar<TemplatePredicate>;

  /** Adds variables to every template context; explicit render arguments win. @example app.contextProcessor(() => ({ year: 2026 })); */
  readonly contextProcessor: <F extends ContextProcessor>(fn: F, context?: ClassMethodDecoratorContext) => F;
}

/**
 * The App's `templateFilter`, `templateGlobal`, `templateTest` and `contextProcessor` over its template setup; each
 * calls `guard` with its name first (the App's setup guard), and none needs `this`, so all work as bare decorators.
 *
 * @example
 * const { templateFilter } = appTemplateRegistrars(app.templates, () => {});
 */
export function appTemplateRegistrars(
  templates: {
    addFilter(name: string, fn: TemplateFunction): void;
    addGlobal(name: string, value: unknown): void;
    addTest(name: string, fn: TemplatePredicate): void;
    addContextProcessor(fn: ContextProcessor): void;
  },
  guard: (method: string) => void,
): AppTemplateMethods {
  const make = <R>(method: string, needsFunction: boolean, register: (name: string, value: unknown) => void): R =>
    templateRegistrar<R>(method, needsFunction, () => guard(method), register);
  return {
    templateFilter: make('templateFilter', true, (name, fn) => templates.addFilter(name, fn as TemplateFunction)),
    templateGlobal: make('templateGlobal', false, (name, value) => templates.addGlobal(name, value)),
    templateTest: make('templateTest', true, (name, fn) => templates.addTest(name, fn as TemplatePredicate)),
    contextProcessor: (fn, context) => {
      guard('contextProcessor');
      templates.addContextProcessor(context ? bindMethod(fn, context, '@contextProcessor') : fn);
      return fn;
    },
  };
}
