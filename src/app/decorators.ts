/** @module TC39 decorator support (layer L3): turn a decorated class method into a plain function the builder API registers. */
import { FlagonError } from './errors.js';

// Node 20 has no Symbol.metadata. TypeScript's decorator helpers only create `context.metadata` when it exists
// (esbuild falls back to Symbol.for('Symbol.metadata') itself), so define it the same way before any class is decorated.
(Symbol as { metadata?: symbol }).metadata ??= Symbol.for('Symbol.metadata');

type AnyFunction = (...args: never[]) => unknown;

/** Per decorated class: the class once known, and the one lazily created instance its instance methods run on. */
interface ClassBinding {
  cls: (new () => object) | null;
  instance: object | null;
}

const bindings = new WeakMap<object, ClassBinding>();

function bindingOf(metadata: object): ClassBinding {
  let binding = bindings.get(metadata);
  if (!binding) bindings.set(metadata, (binding = { cls: null, instance: null }));
  return binding;
}

/**
 * Whether a second argument is a TC39 decorator context, i.e. the call is `@app.beforeRequest` on a method rather than
 * `app.beforeRequest(fn)`.
 *
 * @example
 * if (isDecoratorContext(context)) return bindMethod(fn, context, '@app.beforeRequest');
 */
export function isDecoratorContext(value: unknown): value is ClassMethodDecoratorContext {
  return typeof value === 'object' && value !== null && 'kind' in value && 'name' in value && 'addInitializer' in value;
}

/**
 * Turns a decorated method into a plain function: a static method runs with `this` = its class; an instance method
 * runs on one instance of its class, created on first use. Standard decorators never hand a member decorator its
 * class (TC39 proposal-decorators#465), so Flagon learns it from a static initializer of any Flagon-decorated static
 * method of the class, or from the class decorator {@link markClass} (`@app.routes`). Without either, the first call
 * throws an error that says so.
 *
 * @example
 * const handler = bindMethod(value, context, '@app.get');
 */
export function bindMethod<F extends AnyFunction>(
  value: F,
  context: ClassMethodDecoratorContext,
  where: string,
): (...args: Parameters<F>) => ReturnType<F> {
  if (context.kind !== 'method')
    throw new FlagonError(
      'FLAGON_ERR_DECORATOR',
      `${where} decorates methods, but '${String(context.name)}' is a ${context.kind}`,
    );
  if (context.private)
    throw new FlagonError(
      'FLAGON_ERR_DECORATOR',
      `${where} cannot decorate the private method ${String(context.name)}; make it public`,
    );
  const metadata = context.metadata as object | undefined;
  if (!metadata)
    throw new FlagonError(
      'FLAGON_ERR_DECORATOR',
      `${where}: decorator metadata is missing; import flagon before the decorated class is defined`,
    );
  const binding = bindingOf(metadata);
  const call = value as unknown as (this: unknown, ...args: unknown[]) => ReturnType<F>;
  const name = String(context.name);
  let target: () => unknown;
  if (context.static) {
    context.addInitializer(function (this: unknown) {
      binding.cls ??= this as new () => object;
    });
    target = () => binding.cls;
  } else {
    target = () => instanceOf(binding, name);
  }
  // Keep async methods async: the App gives async views the AsyncLocalStorage context they need after an await.
  if (value.constructor === AsyncFunction) {
    return (async (...args: unknown[]) => call.apply(target(), args)) as unknown as (
      ...args: Parameters<F>
    ) => ReturnType<F>;
  }
  return (...args) => call.apply(target(), args);
}

const AsyncFunction = (async () => undefined).constructor;

/** The one instance instance-methods run on, created on first use. */
function instanceOf(binding: ClassBinding, name: string): object {
  if (binding.instance === null) {
    if (binding.cls === null) {
      throw new FlagonError(
        'FLAGON_ERR_DECORATOR',
        `Flagon cannot reach the class of the instance method '${name}': standard decorators do not pass a class to method decorators. Put @app.routes above the class, or make '${name}' static.`,
      );
    }
    binding.instance = new binding.cls();
  }
  return binding.instance;
}

/**
 * The class decorator behind `@app.routes` / `@bp.routes`: tells Flagon the class of its decorated instance methods.
 *
 * @example
 * @app.routes
 * class Pages { @app.post('/contact') send(req: Request) { return ['thanks', 201]; } }
 */
export function markClass(cls: new () => object, context: ClassDecoratorContext): void {
  const metadata = context.metadata as object | undefined;
  if (metadata) bindingOf(metadata).cls = cls;
}
