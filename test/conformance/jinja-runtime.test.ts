/**
 * Port of Jinja's tests/test_runtime.py (github.com/pallets/jinja, tag 3.1.6, commit
 * 15206881c006c79667fe5154fe80c01c65410679) to Flagon. BSD-3-Clause, Copyright 2007 Pallets: see LICENSE-pallets.txt.
 * `Template(source)` is `fromString`. Tests of Python objects (LoopContext, the Undefined classes with copy and
 * pickle) have no counterpart and are skipped.
 */
import { describe, expect, it } from 'vitest';
import { jinjaEnvironment } from './jinja-support.js';

const { fromString } = jinjaEnvironment('runtime');

const TEST_IDX_TEMPLATE_STR_1 =
  '[{% for i in lst|reverse %}(len={{ loop.length }},' +
  ' revindex={{ loop.revindex }}, index={{ loop.index }}, val={{ i }}){% endfor %}]';
const TEST_IDX0_TEMPLATE_STR_1 =
  '[{% for i in lst|reverse %}(len={{ loop.length }},' +
  ' revindex0={{ loop.revindex0 }}, index0={{ loop.index0 }}, val={{ i }})' +
  '{% endfor %}]';

/**
 * Python's `itertools.groupby`: lazy pairs of a key and an iterator over its run of items, all reading one iterator,
 * so a group is empty once the outer iteration has moved past it.
 */
function* groupby<T, K>(items: Iterable<T>, key: (item: T) => K): Generator<[K, Generator<T>]> {
  const iterator = items[Symbol.iterator]();
  let current = iterator.next();
  while (!current.done) {
    const groupKey = key(current.value);
    function* group(): Generator<T> {
      while (!current.done && key(current.value) === groupKey) {
        const { value } = current;
        current = iterator.next();
        yield value;
      }
    }
    yield [groupKey, group()];
    while (!current.done && key(current.value) === groupKey) current = iterator.next();
  }
}

const GROUPS: Array<[number, string]> = [
  [1, 'a'],
  [1, 'b'],
  [2, 'c'],
  [3, 'd'],
];

describe('jinja tests/test_runtime.py', () => {
  it('test_loop_idx', () => {
    const t = fromString(TEST_IDX_TEMPLATE_STR_1);
    const lst = [10];
    const exceptedRender = '[(len=1, revindex=1, index=1, val=10)]';
    expect(t({ lst })).toBe(exceptedRender);
  });

  it('test_loop_idx0', () => {
    const t = fromString(TEST_IDX0_TEMPLATE_STR_1);
    const lst = [10];
    const exceptedRender = '[(len=1, revindex0=0, index0=0, val=10)]';
    expect(t({ lst })).toBe(exceptedRender);
  });

  it.skip('test_loopcontext0', () => {
    /* N/A: jinja2.runtime.LoopContext built from Python (`LoopContext(reversed([]), None).length`). */
  });

  it.skip('test_loopcontext1', () => {
    /* N/A: jinja2.runtime.LoopContext built from Python (`LoopContext(reversed([10]), None).length`). */
  });

  it.skip('test_loopcontext2', () => {
    /* N/A: jinja2.runtime.LoopContext built from Python (`LoopContext(reversed([10, 11]), None).length`). */
  });

  // DIFFERENCE: a list prints as JavaScript's `1,a,1,b`, Jinja's `[(1, 'a'), (1, 'b')]` (docs/conformance.md); and a
  // loop reads an iterator to its end before the first iteration, so each group is empty (the row below).
  it.fails('test_iterator_not_advanced_early', () => {
    const t = fromString('{% for _, g in gs %}{{ loop.index }} {{ g|list }}\n{% endfor %}');
    const out = t({ gs: groupby(GROUPS, (x) => x[0]) });
    // groupby groups depend on the current position of the iterator. If
    // it was advanced early, the lists would appear empty.
    expect(out).toBe("1 [(1, 'a'), (1, 'b')]\n2 [(2, 'c')]\n3 [(3, 'd')]\n");
  });

  // DIFFERENCE: a loop reads an iterator to its end before the first iteration (docs/conformance.md; Jinja reads one
  // item ahead), which moves groupby past every group: "1 []\n2 []\n3 []\n".
  it.fails('test_iterator_not_advanced_early (printed with tojson)', () => {
    const t = fromString('{% for _, g in gs %}{{ loop.index }} {{ g|list|tojson }}\n{% endfor %}');
    const out = t({ gs: groupby(GROUPS, (x) => x[0]) });
    expect(out).toBe('1 [[1,"a"],[1,"b"]]\n2 [[2,"c"]]\n3 [[3,"d"]]\n');
  });

  it('test_mock_not_pass_arg_marker', () => {
    // Python's `Calc`, whose `__getattr__` answers any attribute it lacks: a function behind a Proxy that does the same.
    const calc = new Proxy((...args: unknown[]) => args.length, {
      get: (target, property) => (property in target ? Reflect.get(target, property) : {}),
    });
    const t = fromString('{{ calc() }}');
    const out = t({ calc });
    // Would be "1" if context argument was passed.
    expect(out).toBe('0');
  });

  it.skip('test_undefined_copy', () => {
    /* N/A: copy.copy() of Jinja's Undefined classes (Undefined, ChainableUndefined, DebugUndefined, StrictUndefined). */
  });

  it.skip('test_undefined_deepcopy', () => {
    /* N/A: copy.deepcopy() of Jinja's Undefined classes. */
  });

  it.skip('test_undefined_pickle', () => {
    /* N/A: pickling Jinja's Undefined classes. */
  });
});
