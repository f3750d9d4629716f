/** @module PathParams: the type of a rule's parameters, computed from the rule string at compile time (layer L1). */

/**
 * The value type of each converter by name. Extend it for custom converters with declaration merging:
 * `declare module 'flagon/routing' { interface ConverterTypes { list: string[] } }`.
 *
 * @example
 * type Id = ConverterTypes['int']; // number
 */
export interface ConverterTypes {
  default: string;
  string: string;
  int: number;
  float: number;
  path: string;
  uuid: string;
}

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;
type Unquote<S extends string> = S extends `'${infer X}'` ? X : S extends `"${infer X}"` ? X : S;
type Items<S extends string> = S extends `${infer Head},${infer Tail}`
  ? Unquote<Trim<Head>> | Items<Tail>
  : Unquote<Trim<S>>;
type Converted<C extends string> = C extends keyof ConverterTypes ? ConverterTypes[C] : unknown;
type ValueOf<Spec extends string> =
  Trim<Spec> extends `any(${infer Args})`
    ? Items<Args>
    : Trim<Spec> extends `${infer Name}(${string})`
      ? Converted<Trim<Name>>
      : Converted<Trim<Spec>>;
type Param<Inner extends string> = Inner extends `${infer Spec}:${infer Name}`
  ? { [K in Trim<Name>]: ValueOf<Spec> }
  : { [K in Trim<Inner>]: string };
type Collect<S extends string> = S extends `${string}<${infer Inner}>${infer Rest}`
  ? Param<Inner> & Collect<Rest>
  : unknown;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The parameters of a rule as an object type: `int` and `float` give `number`, `any(a, b)` gives `'a' | 'b'`, the
 * rest `string`. A rule only known as `string` gives a record of unknowns.
 *
 * @example
 * type P = PathParams<'/users/<int:id>/files/<path:rest>'>; // { id: number; rest: string }
 */
export type PathParams<Rule extends string> = string extends Rule ? Record<string, unknown> : Simplify<Collect<Rule>>;
