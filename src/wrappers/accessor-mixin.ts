/** @module Getters shared by prototype, not by inheritance (layer L2): how Request and Response take their header properties. */

/**
 * Puts the accessors and methods of `source`'s prototype on `target`'s, for a class that cannot extend `source`
 * without a cost on every object it builds: V8 builds an object of a derived class whose base declares fields more
 * slowly, and the App builds a Request and often a Response per request. Pair it with an interface of the same name
 * as `target` that extends `source`, so the types see the members.
 *
 * @example
 * abstract class Greeting { abstract readonly name: string; get hello(): string { return `Hello, ${this.name}`; } }
 * class Person { constructor(readonly name: string) {} }
 * interface Person extends Greeting {}
 * mixInAccessors(Greeting, Person);
 * new Person('Ada').hello; // 'Hello, Ada'
 */
export function mixInAccessors(
  source: abstract new () => object,
  target: abstract new (...args: never[]) => object,
): void {
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(source.prototype))) {
    if (name === 'constructor') continue;
    if (Object.hasOwn(target.prototype, name))
      throw new TypeError(
        `${target.name} has its own ${name}: rename one of the two, the mixin from ${source.name} would replace it`,
      );
    Object.defineProperty(target.prototype, name, descriptor);
  }
}
