import { describe, expectTypeOf, it } from 'vitest';
import type { PathParams } from 'flagon/routing';

describe('PathParams', () => {
  it('types each converter', () => {
    expectTypeOf<PathParams<'/users/<int:id>/files/<path:rest>'>>().toEqualTypeOf<{ id: number; rest: string }>();
    expectTypeOf<PathParams<'/p/<float:x>/<uuid:u>/<name>/<string(length=2):code>'>>().toEqualTypeOf<{
      x: number;
      u: string;
      name: string;
      code: string;
    }>();
    expectTypeOf<PathParams<'/y/<int(fixedDigits=4, min=1):year>'>>().toEqualTypeOf<{ year: number }>();
  });
  it('turns any(...) into a union of literals', () => {
    expectTypeOf<PathParams<'/<any(about, help):page>'>>().toEqualTypeOf<{ page: 'about' | 'help' }>();
    expectTypeOf<PathParams<'/<any(\'a b\', "c"):page>'>>().toEqualTypeOf<{ page: 'a b' | 'c' }>();
  });
  it('gives {} for a static rule and a loose record for a plain string', () => {
    // biome-ignore lint/complexity/noBannedTypes: {} is exactly PathParams' type for a rule without parameters
    expectTypeOf<PathParams<'/about'>>().toEqualTypeOf<{}>();
    expectTypeOf<PathParams<string>>().toEqualTypeOf<Record<string, unknown>>();
  });
  it('gives unknown for a converter it does not know', () => {
    expectTypeOf<PathParams<'/t/<list:tags>'>>().toEqualTypeOf<{ tags: unknown }>();
  });
});
