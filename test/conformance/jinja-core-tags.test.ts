import { describe, expect, it } from 'vitest';
import { NunjucksRenderer, TemplateError, TemplateSyntaxError } from '../../src/templating/index.js';
import { jinjaEnvironment } from './jinja-support.js';

const { root, write, fromString } = jinjaEnvironment('core-tags');

/** `Environment(trim_blocks=True)`: the first newline after a block tag is dropped. */
const trimBlocks = (source: string): string => source.replace(/%}\n/g, '%}');

/** Python's printed `True`/`False` as JavaScript prints them. */
const js = (expected: string): string => expected.replace(/True/g, 'true').replace(/False/g, 'false');

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

const RECURSIVE_SEQ = [
  { a: 1, b: [{ a: 1 }, { a: 2 }] },
  { a: 2, b: [{ a: 1 }, { a: 2 }] },
  { a: 3, b: [{ a: 'a' }] },
];

describe('jinja tests/test_core_tags.py', () => {
  it('TestForLoop.test_simple', () => {
    const tmpl = fromString('{% for item in seq %}{{ item }}{% endfor %}');
    expect(tmpl({ seq: range(10) })).toBe('0123456789');
  });

  it('TestForLoop.test_else', () => {
    const tmpl = fromString('{% for item in seq %}XXX{% else %}...{% endfor %}');
    expect(tmpl()).toBe('...');
  });

  it('TestForLoop.test_else_scoping_item', () => {
    const tmpl = fromString('{% for item in [] %}{% else %}{{ item }}{% endfor %}');
    expect(tmpl({ item: 42 })).toBe('42');
  });

  it('TestForLoop.test_empty_blocks', () => {
    const tmpl = fromString('<{% for item in seq %}{% else %}{% endfor %}>');
    expect(tmpl()).toBe('<>');
  });

  it('TestForLoop.test_context_vars', () => {
    // Python's list, iter(list), reversed(list) and a generator: an array, its iterator, a reversed iterator, a generator.
    const slist = [42, 24];
    function* generator(): Generator<number> {
      yield* slist;
    }
    for (const seq of [slist, slist[Symbol.iterator](), [...slist].reverse()[Symbol.iterator](), generator()]) {
      const tmpl = fromString(`{% for item in seq -%}
            {{ loop.index }}|{{ loop.index0 }}|{{ loop.revindex }}|{{
                loop.revindex0 }}|{{ loop.first }}|{{ loop.last }}|{{
               loop.length }}###{% endfor %}`);
      const [one, two] = tmpl({ seq }).split('###') as [string, string];
      const [oneIndex, oneIndex0, oneRevindex, oneRevindex0, oneFirst, oneLast, oneLength] = one.split('|');
      const [twoIndex, twoIndex0, twoRevindex, twoRevindex0, twoFirst, twoLast, twoLength] = two.split('|');
      expect([Number(oneIndex), Number(twoIndex)]).toEqual([1, 2]);
      expect([Number(oneIndex0), Number(twoIndex0)]).toEqual([0, 1]);
      expect([Number(oneRevindex), Number(twoRevindex)]).toEqual([2, 1]);
      expect([Number(oneRevindex0), Number(twoRevindex0)]).toEqual([1, 0]);
      expect([oneFirst, twoFirst]).toEqual([js('True'), js('False')]);
      expect([oneLast, twoLast]).toEqual([js('False'), js('True')]);
      expect([oneLength, twoLength]).toEqual(['2', '2']);
    }
  });

  it('TestForLoop.test_cycling', () => {
    const tmpl = fromString(`{% for item in seq %}{{
            loop.cycle('<1>', '<2>') }}{% endfor %}{%
            for item in seq %}{{ loop.cycle(*through) }}{% endfor %}`);
    const output = tmpl({ seq: range(4), through: ['<1>', '<2>'] });
    expect(output).toBe('<1><2>'.repeat(4));
  });

  it('TestForLoop.test_lookaround', () => {
    const tmpl = fromString(`{% for item in seq -%}
            {{ loop.previtem|default('x') }}-{{ item }}-{{
            loop.nextitem|default('x') }}|
        {%- endfor %}`);
    expect(tmpl({ seq: range(4) })).toBe('x-0-1|0-1-2|1-2-3|2-3-x|');
  });

  it('TestForLoop.test_changed', () => {
    const tmpl = fromString(`{% for item in seq -%}
            {{ loop.changed(item) }},
        {%- endfor %}`);
    const output = tmpl({ seq: [null, null, 1, 2, 2, 3, 4, 4, 4] });
    expect(output).toBe(js('True,False,True,True,False,True,True,False,False,'));
  });

  it('TestForLoop.test_scope', () => {
    const tmpl = fromString('{% for item in seq %}{% endfor %}{{ item }}');
    expect(tmpl({ seq: range(10) })).toBe('');
  });

  it('TestForLoop.test_varlen', () => {
    // Python's range(5): a generator, whose length is not known before the loop.
    function* iter(): Generator<number> {
      yield* range(5);
    }
    const tmpl = fromString('{% for item in iter %}{{ item }}{% endfor %}');
    expect(tmpl({ iter: iter() })).toBe('01234');
  });

  // DIFFERENCE: a loop over `none` runs zero times in Flagon (as over an undefined name); Jinja raises a TypeError.
  it.fails('TestForLoop.test_noniter', () => {
    const tmpl = fromString('{% for item in none %}...{% endfor %}');
    expect(() => tmpl()).toThrow(TypeError);
  });

  it('TestForLoop.test_recursive', () => {
    const tmpl = fromString(`{% for item in seq recursive -%}
            [{{ item.a }}{% if item.b %}<{{ loop(item.b) }}>{% endif %}]
        {%- endfor %}`);
    expect(tmpl({ seq: RECURSIVE_SEQ })).toBe('[1<[1][2]>][2<[1][2]>][3<[a]>]');
  });

  it('TestForLoop.test_recursive_lookaround', () => {
    const tmpl = fromString(`{% for item in seq recursive -%}
            [{{ loop.previtem.a if loop.previtem is defined else 'x' }}.{{
            item.a }}.{{ loop.nextitem.a if loop.nextitem is defined else 'x'
            }}{% if item.b %}<{{ loop(item.b) }}>{% endif %}]
        {%- endfor %}`);
    expect(tmpl({ seq: RECURSIVE_SEQ })).toBe('[x.1.2<[x.1.2][1.2.x]>][1.2.3<[x.1.2][1.2.x]>][2.3.x<[x.a.x]>]');
  });

  it('TestForLoop.test_recursive_depth0', () => {
    const tmpl = fromString(`{% for item in seq recursive -%}
        [{{ loop.depth0 }}:{{ item.a }}{% if item.b %}<{{ loop(item.b) }}>{% endif %}]
        {%- endfor %}`);
    expect(tmpl({ seq: RECURSIVE_SEQ })).toBe('[0:1<[1:1][1:2]>][0:2<[1:1][1:2]>][0:3<[1:a]>]');
  });

  it('TestForLoop.test_recursive_depth', () => {
    const tmpl = fromString(`{% for item in seq recursive -%}
        [{{ loop.depth }}:{{ item.a }}{% if item.b %}<{{ loop(item.b) }}>{% endif %}]
        {%- endfor %}`);
    expect(tmpl({ seq: RECURSIVE_SEQ })).toBe('[1:1<[2:1][2:2]>][1:2<[2:1][2:2]>][1:3<[2:a]>]');
  });

  it('TestForLoop.test_looploop', () => {
    const tmpl = fromString(`{% for row in table %}
            {%- set rowloop = loop -%}
            {% for cell in row -%}
                [{{ rowloop.index }}|{{ loop.index }}]
            {%- endfor %}
        {%- endfor %}`);
    expect(tmpl({ table: ['ab', 'cd'] })).toBe('[1|1][1|2][2|1][2|2]');
  });

  it('TestForLoop.test_reversed_bug', () => {
    const tmpl = fromString('{% for i in items %}{{ i }}{% if not loop.last %},{% endif %}{% endfor %}');
    // Python's reversed([3, 2, 1]): an iterator.
    expect(tmpl({ items: [3, 2, 1].reverse()[Symbol.iterator]() })).toBe('1,2,3');
  });

  // DIFFERENCE: a loop filter (`{% for … if … %}`) is a syntax error in Flagon (listed in docs/conformance.md);
  // Jinja raises an UndefinedError when rendering (`loop` is undefined in the filter).
  it.fails('TestForLoop.test_loop_errors', () => {
    const tmpl = fromString(`{% for item in [1] if loop.index
                                      == 0 %}...{% endfor %}`);
    expect(() => tmpl()).toThrow(TemplateError);
    expect(() => tmpl()).not.toThrow(TemplateSyntaxError);
  });

  it('TestForLoop.test_loop_errors (loop in else)', () => {
    const tmpl = fromString(`{% for item in [] %}...{% else
            %}{{ loop }}{% endfor %}`);
    expect(tmpl()).toBe('');
  });

  // DIFFERENCE: a loop filter (`{% for … if … %}`) is a syntax error in Flagon (listed in docs/conformance.md).
  it.fails('TestForLoop.test_loop_filter', () => {
    let tmpl = fromString('{% for item in range(10) if item is even %}[{{ item }}]{% endfor %}');
    expect(tmpl()).toBe('[0][2][4][6][8]');
    tmpl = fromString(`
            {%- for item in range(10) if item is even %}[{{
                loop.index }}:{{ item }}]{% endfor %}`);
    expect(tmpl()).toBe('[1:0][2:2][3:4][4:6][5:8]');
  });

  it('TestForLoop.test_loop_unassignable', () => {
    expect(() => fromString('{% for loop in seq %}...{% endfor %}')()).toThrow(TemplateSyntaxError);
  });

  it('TestForLoop.test_scoped_special_var', () => {
    const t = fromString(
      '{% for s in seq %}[{{ loop.first }}{% for c in s %}|{{ loop.first }}{% endfor %}]{% endfor %}',
    );
    expect(t({ seq: ['ab', 'cd'] })).toBe(js('[True|True|False][False|True|False]'));
  });

  it('TestForLoop.test_scoped_loop_var', () => {
    let t = fromString('{% for x in seq %}{{ loop.first }}{% for y in seq %}{% endfor %}{% endfor %}');
    expect(t({ seq: 'ab' })).toBe(js('TrueFalse'));
    t = fromString('{% for x in seq %}{% for y in seq %}{{ loop.first }}{% endfor %}{% endfor %}');
    expect(t({ seq: 'ab' })).toBe(js('TrueFalseTrueFalse'));
  });

  it('TestForLoop.test_recursive_empty_loop_iter', () => {
    const t = fromString(`
        {%- for item in foo recursive -%}{%- endfor -%}
        `);
    expect(t({ foo: [] })).toBe('');
  });

  it('TestForLoop.test_call_in_loop', () => {
    const t = fromString(`
        {%- macro do_something() -%}
            [{{ caller() }}]
        {%- endmacro %}

        {%- for i in [1, 2, 3] %}
            {%- call do_something() -%}
                {{ i }}
            {%- endcall %}
        {%- endfor -%}
        `);
    expect(t()).toBe('[1][2][3]');
  });

  it('TestForLoop.test_scoping_bug', () => {
    const t = fromString(`
        {%- for item in foo %}...{{ item }}...{% endfor %}
        {%- macro item(a) %}...{{ a }}...{% endmacro %}
        {{- item(2) -}}
        `);
    expect(t({ foo: [1] })).toBe('...1......2...');
  });

  it('TestForLoop.test_unpacking', () => {
    const tmpl = fromString('{% for a, b, c in [[1, 2, 3]] %}{{ a }}|{{ b }}|{{ c }}{% endfor %}');
    expect(tmpl()).toBe('1|2|3');
  });

  // DIFFERENCE: a `{% set %}` inside a loop keeps its value into the next iteration (Jinja starts each iteration from
  // the outer value): "011223" for "010203", and "911223" for "919293" (the leak listed in docs/conformance.md).
  it.fails('TestForLoop.test_intended_scoping_with_set', () => {
    let tmpl = fromString('{% for item in seq %}{{ x }}{% set x = item %}{{ x }}{% endfor %}');
    expect(tmpl({ x: 0, seq: [1, 2, 3] })).toBe('010203');
    tmpl = fromString('{% set x = 9 %}{% for item in seq %}{{ x }}{% set x = item %}{{ x }}{% endfor %}');
    expect(tmpl({ x: 0, seq: [1, 2, 3] })).toBe('919293');
  });

  it('TestIfCondition.test_simple', () => {
    const tmpl = fromString('{% if true %}...{% endif %}');
    expect(tmpl()).toBe('...');
  });

  it('TestIfCondition.test_elif', () => {
    const tmpl = fromString(`{% if false %}XXX{% elif true
            %}...{% else %}XXX{% endif %}`);
    expect(tmpl()).toBe('...');
  });

  it('TestIfCondition.test_elif_deep', () => {
    const elifs = range(999)
      .map((i) => `{% elif a == ${i + 1} %}${i + 1}`)
      .join('\n');
    const tmpl = fromString(`{% if a == 0 %}0${elifs}{% else %}x{% endif %}`);
    for (const x of [0, 10, 999]) expect(tmpl({ a: x }).trim()).toBe(String(x));
    expect(tmpl({ a: 1000 }).trim()).toBe('x');
  });

  it('TestIfCondition.test_else', () => {
    const tmpl = fromString('{% if false %}XXX{% else %}...{% endif %}');
    expect(tmpl()).toBe('...');
  });

  it('TestIfCondition.test_empty', () => {
    const tmpl = fromString('[{% if true %}{% else %}{% endif %}]');
    expect(tmpl()).toBe('[]');
  });

  it('TestIfCondition.test_complete', () => {
    const tmpl = fromString('{% if a %}A{% elif b %}B{% elif c == d %}C{% else %}D{% endif %}');
    expect(tmpl({ a: 0, b: false, c: 42, d: 42.0 })).toBe('C');
  });

  it('TestIfCondition.test_no_scope', () => {
    let tmpl = fromString('{% if a %}{% set foo = 1 %}{% endif %}{{ foo }}');
    expect(tmpl({ a: true })).toBe('1');
    tmpl = fromString('{% if true %}{% set foo = 1 %}{% endif %}{{ foo }}');
    expect(tmpl()).toBe('1');
  });

  it('TestMacros.test_simple', () => {
    const tmpl = fromString(
      trimBlocks(`\
{% macro say_hello(name) %}Hello {{ name }}!{% endmacro %}
{{ say_hello('Peter') }}`),
    );
    expect(tmpl()).toBe('Hello Peter!');
  });

  it('TestMacros.test_scoping', () => {
    const tmpl = fromString(
      trimBlocks(`\
{% macro level1(data1) %}
{% macro level2(data2) %}{{ data1 }}|{{ data2 }}{% endmacro %}
{{ level2('bar') }}{% endmacro %}
{{ level1('foo') }}`),
    );
    expect(tmpl()).toBe('foo|bar');
  });

  it('TestMacros.test_arguments', () => {
    const tmpl = fromString(
      trimBlocks(`\
{% macro m(a, b, c='c', d='d') %}{{ a }}|{{ b }}|{{ c }}|{{ d }}{% endmacro %}
{{ m() }}|{{ m('a') }}|{{ m('a', 'b') }}|{{ m(1, 2, 3) }}`),
    );
    expect(tmpl()).toBe('||c|d|a||c|d|a|b|c|d|1|2|3|d');
  });

  // MISSING: a parameter without a default after one with a default is not refused; Flagon renders the template.
  it.fails('TestMacros.test_arguments_defaults_nonsense', () => {
    expect(() =>
      fromString(
        trimBlocks(`\
{% macro m(a, b=1, c) %}a={{ a }}, b={{ b }}, c={{ c }}{% endmacro %}`),
      )(),
    ).toThrow(TemplateSyntaxError);
  });

  // MISSING: a `call` block parameter without a default after one with a default is not refused.
  it.fails('TestMacros.test_caller_defaults_nonsense', () => {
    expect(() =>
      fromString(
        trimBlocks(`\
{% macro a() %}{{ caller() }}{% endmacro %}
{% call(x, y=1, z) a() %}{% endcall %}`),
      )(),
    ).toThrow(TemplateSyntaxError);
  });

  it('TestMacros.test_varargs', () => {
    const tmpl = fromString(
      trimBlocks(`\
{% macro test() %}{{ varargs|join('|') }}{% endmacro %}\
{{ test(1, 2, 3) }}`),
    );
    expect(tmpl()).toBe('1|2|3');
  });

  it('TestMacros.test_simple_call', () => {
    const tmpl = fromString(
      trimBlocks(`\
{% macro test() %}[[{{ caller() }}]]{% endmacro %}\
{% call test() %}data{% endcall %}`),
    );
    expect(tmpl()).toBe('[[data]]');
  });

  it('TestMacros.test_complex_call', () => {
    const tmpl = fromString(
      trimBlocks(`\
{% macro test() %}[[{{ caller('data') }}]]{% endmacro %}\
{% call(data) test() %}{{ data }}{% endcall %}`),
    );
    expect(tmpl()).toBe('[[data]]');
  });

  // MISSING: a macro called without a `call` block has no `caller`: in Flagon it sees the template's `caller` (42).
  it.fails('TestMacros.test_caller_undefined', () => {
    const tmpl = fromString(
      trimBlocks(`\
{% set caller = 42 %}\
{% macro test() %}{{ caller is not defined }}{% endmacro %}\
{{ test() }}`),
    );
    expect(tmpl()).toBe(js('True'));
  });

  it('TestMacros.test_include', () => {
    // DictLoader({"include": ...}): a file named `include` in the templates' folder.
    write('{% macro test(foo) %}[{{ foo }}]{% endmacro %}', 'include');
    const tmpl = fromString('{% from "include" import test %}{{ test("foo") }}');
    expect(tmpl()).toBe('[foo]');
  });

  it.skip('TestMacros.test_macro_api', () => {
    // N/A: a macro's Python attributes (`arguments`, `name`, `caller`, `catch_kwargs`, `catch_varargs`) read through
    // `tmpl.module`; Flagon has no template module API.
  });

  it('TestMacros.test_callself', () => {
    const tmpl = fromString(
      trimBlocks(
        '{% macro foo(x) %}{{ x }}{% if x > 1 %}|' + '{{ foo(x - 1) }}{% endif %}{% endmacro %}' + '{{ foo(5) }}',
      ),
    );
    expect(tmpl()).toBe('5|4|3|2|1');
  });

  // MISSING: a default that names a later parameter (`b=x, x=23`) reads the template's `x` (42) in Flagon; in
  // Jinja the parameter shadows it and is not yet set (undefined). `tmpl.module.m(…)` is called in the template.
  it.fails('TestMacros.test_macro_defaults_self_ref', () => {
    const source = `
            {%- set x = 42 %}
            {%- macro m(a, b=x, x=23) %}{{ a }}|{{ b }}|{{ x }}{% endmacro -%}
        `;
    const call = (args: string): string => fromString(`${source}{{ m(${args}) }}`)();
    expect(call('1')).toBe('1||23');
    expect(call('1, 2')).toBe('1|2|23');
    expect(call('1, 2, 3')).toBe('1|2|3');
    expect(call('1, x=7')).toBe('1|7|7');
  });

  it('TestSet.test_normal', () => {
    const tmpl = fromString(trimBlocks('{% set foo = 1 %}{{ foo }}'));
    expect(tmpl()).toBe('1');
    // `tmpl.module.foo == 1`: no template module API in Flagon.
  });

  it('TestSet.test_block', () => {
    const tmpl = fromString(trimBlocks('{% set foo %}42{% endset %}{{ foo }}'));
    expect(tmpl()).toBe('42');
    // `tmpl.module.foo == "42"`: no template module API in Flagon.
  });

  it('TestSet.test_block_escaping', () => {
    // Environment(autoescape=True): renderString autoescapes.
    const rendered = new NunjucksRenderer([]).renderString(
      '{% set foo %}<em>{{ test }}</em>{% endset %}foo: {{ foo }}',
      { test: '<unsafe>' },
    );
    expect(rendered).toBe('foo: <em>&lt;unsafe&gt;</em>');
  });

  it('TestSet.test_set_invalid', () => {
    expect(() => fromString(trimBlocks("{% set foo['bar'] = 1 %}"))()).toThrow(TemplateSyntaxError);
  });

  it('TestSet.test_set_invalid (non-namespace object)', () => {
    const tmpl = fromString(trimBlocks('{% set foo.bar = 1 %}'));
    // Jinja's message says "non-namespace object"; Flagon's says "not a namespace".
    expect(() => tmpl({ foo: {} })).toThrow(TemplateError);
    expect(() => tmpl({ foo: {} })).toThrow('not a namespace');
  });

  it('TestSet.test_namespace_redefined', () => {
    const tmpl = fromString(trimBlocks("{% set ns = namespace() %}{% set ns.bar = 'hi' %}"));
    // Python's `dict`, called with no arguments: a function returning a plain object.
    const dict = (): Record<string, unknown> => ({});
    expect(() => tmpl({ namespace: dict })).toThrow(TemplateError);
    expect(() => tmpl({ namespace: dict })).toThrow('not a namespace');
  });

  it('TestSet.test_namespace', () => {
    const tmpl = fromString(trimBlocks("{% set ns = namespace() %}{% set ns.bar = '42' %}{{ ns.bar }}"));
    expect(tmpl()).toBe('42');
  });

  it('TestSet.test_namespace_block', () => {
    const tmpl = fromString(trimBlocks('{% set ns = namespace() %}{% set ns.bar %}42{% endset %}{{ ns.bar }}'));
    expect(tmpl()).toBe('42');
  });

  it('TestSet.test_init_namespace', () => {
    const tmpl = fromString(
      trimBlocks('{% set ns = namespace(d, self=37) %}{% set ns.b = 42 %}{{ ns.a }}|{{ ns.self }}|{{ ns.b }}'),
    );
    expect(tmpl({ d: { a: 13 } })).toBe('13|37|42');
  });

  it('TestSet.test_namespace_loop', () => {
    const tmpl = fromString(
      trimBlocks(
        '{% set ns = namespace(found=false) %}' +
          '{% for x in range(4) %}' +
          '{% if x == v %}' +
          '{% set ns.found = true %}' +
          '{% endif %}' +
          '{% endfor %}' +
          '{{ ns.found }}',
      ),
    );
    expect(tmpl({ v: 3 })).toBe(js('True'));
    expect(tmpl({ v: 4 })).toBe(js('False'));
  });

  it('TestSet.test_namespace_macro', () => {
    const tmpl = fromString(
      trimBlocks(
        '{% set ns = namespace() %}' +
          '{% set ns.a = 13 %}' +
          '{% macro magic(x) %}' +
          '{% set x.b = 37 %}' +
          '{% endmacro %}' +
          '{{ magic(ns) }}' +
          '{{ ns.a }}|{{ ns.b }}',
      ),
    );
    expect(tmpl()).toBe('13|37');
  });

  it('TestSet.test_namespace_set_tuple', () => {
    const tmpl = fromString(
      trimBlocks(
        '{% set ns = namespace(a=12, b=36) %}' + '{% set ns.a, ns.b = ns.a + 1, ns.b + 1 %}' + '{{ ns.a }}|{{ ns.b }}',
      ),
    );
    expect(tmpl()).toBe('13|37');
  });

  it('TestSet.test_block_escaping_filtered', () => {
    const rendered = new NunjucksRenderer([]).renderString(
      '{% set foo | trim %}<em>{{ test }}</em>    {% endset %}foo: {{ foo }}',
      { test: '<unsafe>' },
    );
    expect(rendered).toBe('foo: <em>&lt;unsafe&gt;</em>');
  });

  it('TestSet.test_block_filtered', () => {
    const tmpl = fromString(trimBlocks('{% set foo | trim | length | string %} 42    {% endset %}{{ foo }}'));
    expect(tmpl()).toBe('2');
    // `tmpl.module.foo == "2"`: no template module API in Flagon.
  });

  it('TestSet.test_block_filtered_set', () => {
    const env = new NunjucksRenderer([root]);
    const args: unknown[] = [];
    env.addFilter('myfilter', (val: unknown, arg: unknown) => {
      args.push(arg);
      return val;
    });
    const name = write(
      trimBlocks(
        '{% set a = " xxx " %}' +
          '{% set foo | myfilter(a) | trim | length | string %}' +
          ' {% set b = " yy " %} 42 {{ a }}{{ b }}   ' +
          '{% endset %}' +
          '{{ foo }}',
      ),
    );
    expect(env.render(name, {})).toBe('11');
    expect(args).toEqual([' xxx ']);
    // `tmpl.module.foo == "11"`: no template module API in Flagon.
  });

  it('TestWith.test_with', () => {
    const tmpl = fromString(`\
        {% with a=42, b=23 -%}
            {{ a }} = {{ b }}
        {% endwith -%}
            {{ a }} = {{ b }}\
        `);
    expect(
      tmpl({ a: 1, b: 2 })
        .split(/\r?\n/)
        .map((x) => x.trim()),
    ).toEqual(['42 = 23', '1 = 2']);
  });

  it('TestWith.test_with_argument_scoping', () => {
    const tmpl = fromString(`\
        {%- with a=1, b=2, c=b, d=e, e=5 -%}
            {{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}
        {%- endwith -%}
        `);
    expect(tmpl({ b: 3, e: 4 })).toBe('1|2|3|4|5');
  });
});
