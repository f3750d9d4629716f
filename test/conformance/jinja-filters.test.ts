import { afterEach, describe, expect, it, vi } from 'vitest';
import { TemplateError } from '../../src/templating/index.js';
import { jinjaEnvironment } from './jinja-support.js';

const { renderer, render, write } = jinjaEnvironment('filters');

/** `Environment(autoescape=True).from_string(source).render(**context)`. */
function renderEscaped(source: string, context: Record<string, unknown> = {}): string {
  return renderer.renderString(source, context);
}

const Markup = (text: string): unknown => renderer.markSafe(text);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Python's `str()` for the values these tests hold: a list prints as `[1, 2]`. */
function pyStr(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(pyStr).join(', ')}]` : String(value);
}

class Magic {
  constructor(public value: unknown) {}
  toString(): string {
    return pyStr(this.value);
  }
}

class Magic2 {
  constructor(
    public value1: unknown,
    public value2: unknown,
  ) {}
  toString(): string {
    return `(${pyStr(this.value1)},${pyStr(this.value2)})`;
  }
}

describe('jinja tests/test_filters.py', () => {
  afterEach(() => vi.restoreAllMocks());

  it.skip('TestFilter.test_filter_calling', () => {
    /* N/A: env.call_filter("sum", [1, 2, 3]), calling a filter from Python through the Environment. */
  });

  it('TestFilter.test_capitalize', () => {
    expect(render('{{ "foo bar"|capitalize }}')).toBe('Foo bar');
  });

  it('TestFilter.test_center', () => {
    expect(render('{{ "foo"|center(9) }}')).toBe('   foo   ');
  });

  // DIFFERENCE: `{{ false }}` prints `false`, Jinja's `False` (JavaScript's booleans print in lower case).
  it.fails('TestFilter.test_default', () => {
    const source =
      "{{ missing|default('no') }}|{{ false|default('no') }}|" +
      "{{ false|default('no', true) }}|{{ given|default('no') }}";
    expect(render(source, { given: 'yes' })).toBe('no|False|no|yes');
  });

  it('TestFilter.test_default (false printed with tojson)', () => {
    const source =
      "{{ missing|default('no') }}|{{ false|default('no')|tojson }}|" +
      "{{ false|default('no', true) }}|{{ given|default('no') }}";
    expect(render(source, { given: 'yes' })).toBe('no|false|no|yes');
  });

  const dictsortFoo = { aa: 0, b: 1, c: 2, AB: 3 };

  // DIFFERENCE: a list of tuples prints as `aa,0,AB,3,...`, Jinja's `[('aa', 0), ('AB', 3), ...]` (JavaScript's arrays print joined by commas).
  it.fails('TestFilter.test_dictsort', () => {
    const cases: Record<string, string> = {
      '': "[('aa', 0), ('AB', 3), ('b', 1), ('c', 2)]",
      true: "[('AB', 3), ('aa', 0), ('b', 1), ('c', 2)]",
      'by="value"': "[('aa', 0), ('b', 1), ('c', 2), ('AB', 3)]",
      'reverse=true': "[('c', 2), ('b', 1), ('AB', 3), ('aa', 0)]",
    };
    for (const [args, expected] of Object.entries(cases))
      expect(render(`{{ foo|dictsort(${args}) }}`, { foo: dictsortFoo })).toBe(expected);
  });

  it('TestFilter.test_dictsort (printed with tojson)', () => {
    const cases: Record<string, string> = {
      '': '[["aa",0],["AB",3],["b",1],["c",2]]',
      true: '[["AB",3],["aa",0],["b",1],["c",2]]',
      'by="value"': '[["aa",0],["b",1],["c",2],["AB",3]]',
      'reverse=true': '[["c",2],["b",1],["AB",3],["aa",0]]',
    };
    for (const [args, expected] of Object.entries(cases))
      expect(render(`{{ foo|dictsort(${args})|tojson }}`, { foo: dictsortFoo })).toBe(expected);
  });

  // DIFFERENCE: lists print as `0,1,2,...`, Jinja's `[[0, 1, 2], ...]`.
  it.fails('TestFilter.test_batch', () => {
    const out = render("{{ foo|batch(3)|list }}|{{ foo|batch(3, 'X')|list }}", { foo: range(10) });
    expect(out).toBe("[[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]|[[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 'X', 'X']]");
  });

  it('TestFilter.test_batch (printed with tojson)', () => {
    const out = render("{{ foo|batch(3)|list|tojson }}|{{ foo|batch(3, 'X')|list|tojson }}", { foo: range(10) });
    expect(out).toBe('[[0,1,2],[3,4,5],[6,7,8],[9]]|[[0,1,2],[3,4,5],[6,7,8],[9,"X","X"]]');
  });

  // DIFFERENCE: lists print as `0,1,2,...`, Jinja's `[[0, 1, 2, 3], ...]`.
  it.fails('TestFilter.test_slice', () => {
    const out = render("{{ foo|slice(3)|list }}|{{ foo|slice(3, 'X')|list }}", { foo: range(10) });
    expect(out).toBe("[[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]|[[0, 1, 2, 3], [4, 5, 6, 'X'], [7, 8, 9, 'X']]");
  });

  it('TestFilter.test_slice (printed with tojson)', () => {
    const out = render("{{ foo|slice(3)|list|tojson }}|{{ foo|slice(3, 'X')|list|tojson }}", { foo: range(10) });
    expect(out).toBe('[[0,1,2,3],[4,5,6],[7,8,9]]|[[0,1,2,3],[4,5,6,"X"],[7,8,9,"X"]]');
  });

  // DIFFERENCE: `"` escapes as `&quot;` (nunjucks), Jinja's (MarkupSafe's) `&#34;`: the same character in HTML.
  it.fails('TestFilter.test_escape', () => {
    expect(render(`{{ '<">&'|escape }}`)).toBe('&lt;&#34;&gt;&amp;');
  });

  it('TestFilter.test_trim', () => {
    const cases: Array<[string | null, string]> = [
      [null, '..stays..'],
      ['.', '  ..stays'],
      [' .', 'stays'],
    ];
    for (const [chars, expected] of cases)
      expect(render('{{ foo|trim(chars) }}', { foo: '  ..stays..', chars })).toBe(expected);
  });

  it('TestFilter.test_striptags', () => {
    const out = render('{{ foo|striptags }}', {
      foo:
        '  <p>just a small   \n <a href="#">' +
        'example</a> link</p>\n<p>to a webpage</p> ' +
        '<!-- <p>and some commented stuff</p> -->',
    });
    expect(out).toBe('just a small example link to a webpage');
  });

  it('TestFilter.test_filesizeformat', () => {
    const out = render(
      '{{ 100|filesizeformat }}|' +
        '{{ 1000|filesizeformat }}|' +
        '{{ 1000000|filesizeformat }}|' +
        '{{ 1000000000|filesizeformat }}|' +
        '{{ 1000000000000|filesizeformat }}|' +
        '{{ 100|filesizeformat(true) }}|' +
        '{{ 1000|filesizeformat(true) }}|' +
        '{{ 1000000|filesizeformat(true) }}|' +
        '{{ 1000000000|filesizeformat(true) }}|' +
        '{{ 1000000000000|filesizeformat(true) }}',
    );
    expect(out).toBe('100 Bytes|1.0 kB|1.0 MB|1.0 GB|1.0 TB|100 Bytes|' + '1000 Bytes|976.6 KiB|953.7 MiB|931.3 GiB');
  });

  it('TestFilter.test_filesizeformat_issue59', () => {
    const out = render(
      '{{ 300|filesizeformat }}|' +
        '{{ 3000|filesizeformat }}|' +
        '{{ 3000000|filesizeformat }}|' +
        '{{ 3000000000|filesizeformat }}|' +
        '{{ 3000000000000|filesizeformat }}|' +
        '{{ 300|filesizeformat(true) }}|' +
        '{{ 3000|filesizeformat(true) }}|' +
        '{{ 3000000|filesizeformat(true) }}',
    );
    expect(out).toBe('300 Bytes|3.0 kB|3.0 MB|3.0 GB|3.0 TB|300 Bytes|2.9 KiB|2.9 MiB');
  });

  it('TestFilter.test_first', () => {
    expect(render('{{ foo|first }}', { foo: range(10) })).toBe('0');
  });

  // DIFFERENCE: one number type: `'42'|float` prints `42` and `'abc'|float` `0`, Jinja's `42.0` and `0.0`.
  it.fails('TestFilter.test_float', () => {
    expect(render('{{ value|float }}', { value: '42' })).toBe('42.0');
    expect(render('{{ value|float }}', { value: 'abc' })).toBe('0.0');
  });

  it('TestFilter.test_float (32.32)', () => {
    expect(render('{{ value|float }}', { value: '32.32' })).toBe('32.32');
  });

  // DIFFERENCE: one number type: the default 1.0 prints `1`.
  it.fails('TestFilter.test_float_default', () => {
    expect(render('{{ value|float(default=1.0) }}', { value: 'abc' })).toBe('1.0');
  });

  it('TestFilter.test_format', () => {
    expect(render("{{ '%s|%s'|format('a', 'b') }}")).toBe('a|b');
  });

  function indentMultilineTemplate(markup: boolean): void {
    const plain = ['', 'foo bar', '"baz"', ''].join('\n');
    const text = markup ? Markup(plain) : plain;
    expect(render('{{ foo|indent(2, false, false) }}', { foo: text })).toBe('\n  foo bar\n  "baz"\n');
    expect(render('{{ foo|indent(2, false, true) }}', { foo: text })).toBe('\n  foo bar\n  "baz"\n  ');
    expect(render('{{ foo|indent(2, true, false) }}', { foo: text })).toBe('  \n  foo bar\n  "baz"\n');
    expect(render('{{ foo|indent(2, true, true) }}', { foo: text })).toBe('  \n  foo bar\n  "baz"\n  ');
  }

  it('TestFilter.test_indent', () => {
    indentMultilineTemplate(false);
    expect(render('{{ "jinja"|indent }}')).toBe('jinja');
    expect(render('{{ "jinja"|indent(first=true) }}')).toBe('    jinja');
    expect(render('{{ "jinja"|indent(blank=true) }}')).toBe('jinja');
  });

  it('TestFilter.test_indent_markup_input', () => {
    indentMultilineTemplate(true);
  });

  it('TestFilter.test_indent_width_string', () => {
    expect(render("{{ 'jinja\nflask'|indent(width='>>> ', first=True) }}")).toBe('>>> jinja\n>>> flask');
  });

  it('TestFilter.test_int', () => {
    const cases: Array<[string, string]> = [
      ['42', '42'],
      ['abc', '0'],
      ['32.32', '32'],
      ['1e10000', '0'],
    ];
    for (const [value, expected] of cases) expect(render('{{ value|int }}', { value })).toBe(expected);
  });

  // DIFFERENCE: one number type: 12345678901234567890 is past Number.MAX_SAFE_INTEGER and prints `12345678901234567000` (Python's int has no limit).
  it.fails('TestFilter.test_int (12345678901234567890)', () => {
    expect(render('{{ value|int }}', { value: '12345678901234567890' })).toBe('12345678901234567890');
  });

  it('TestFilter.test_int_base', () => {
    const cases: Array<[string, number, string]> = [
      ['0x4d32', 16, '19762'],
      ['011', 8, '9'],
      ['0x33Z', 16, '0'],
    ];
    for (const [value, base, expected] of cases)
      expect(render('{{ value|int(base=base) }}', { value, base })).toBe(expected);
  });

  it('TestFilter.test_int_default', () => {
    expect(render('{{ value|int(default=1) }}', { value: 'abc' })).toBe('1');
  });

  // MISSING: `int` does not convert an object by its valueOf() (JavaScript's __int__): an IntIsh prints the default 0.
  it.fails('TestFilter.test_int_special_method', () => {
    class IntIsh {
      valueOf(): number {
        return 42;
      }
    }
    expect(render('{{ value|int }}', { value: new IntIsh() })).toBe('42');
  });

  it('TestFilter.test_join', () => {
    expect(render('{{ [1, 2, 3]|join("|") }}')).toBe('1|2|3');
    expect(renderEscaped('{{ ["<foo>", "<span>foo</span>"|safe]|join }}')).toBe('&lt;foo&gt;<span>foo</span>');
  });

  it('TestFilter.test_join_attribute', () => {
    const users = ['foo', 'bar'].map((username) => ({ username }));
    expect(render("{{ users|join(', ', 'username') }}", { users })).toBe('foo, bar');
  });

  it('TestFilter.test_last', () => {
    expect(render('{{ foo|last }}', { foo: range(10) })).toBe('9');
  });

  it('TestFilter.test_length', () => {
    expect(render('{{ "hello world"|length }}')).toBe('11');
  });

  it('TestFilter.test_lower', () => {
    expect(render('{{ "FOO"|lower }}')).toBe('foo');
  });

  // DIFFERENCE: a list of tuples prints as `0,a,1,b,2,c`, Jinja's `[(0, 'a'), (1, 'b'), (2, 'c')]`.
  it.fails('TestFilter.test_items', () => {
    const d = new Map([...'abc'].map((c, i) => [i, c] as const));
    expect(render('{{ d|items|list }}', { d })).toBe("[(0, 'a'), (1, 'b'), (2, 'c')]");
  });

  it('TestFilter.test_items (printed with tojson)', () => {
    // A dict with int keys is a Map (a JavaScript object's keys are strings).
    const d = new Map([...'abc'].map((c, i) => [i, c] as const));
    expect(render('{{ d|items|list|tojson }}', { d })).toBe('[[0,"a"],[1,"b"],[2,"c"]]');
  });

  // DIFFERENCE: an empty list prints as nothing, Jinja's `[]`.
  it.fails('TestFilter.test_items_undefined', () => {
    expect(render('{{ d|items|list }}')).toBe('[]');
  });

  it('TestFilter.test_items_undefined (printed with tojson)', () => {
    expect(render('{{ d|items|list|tojson }}')).toBe('[]');
  });

  // MISSING: the `pprint` filter (docs/conformance.md: `tojson(2)` instead).
  it.fails('TestFilter.test_pprint', () => {
    const data = range(1000);
    // Python's pformat of a list too long for one line: one item a line.
    expect(render('{{ data|pprint }}', { data })).toBe(`[${data.join(',\n ')}]`);
  });

  it('TestFilter.test_random', () => {
    // Python seeds its generator; here Math.random() is replaced by a known sequence, and the template must draw again
    // on every render (the filter's result is not constant-folded).
    const draws = [0.55, 0.05, 0.95, 0.35, 0.15, 0.75, 0.25, 0.65, 0.85, 0.45];
    const expected = draws.map((draw) => '1234567890'[Math.floor(draw * 10)]);
    let next = 0;
    vi.spyOn(Math, 'random').mockImplementation(() => draws[next++ % draws.length]!);
    const name = write('{{ "1234567890"|random }}');
    for (const value of expected) expect(renderer.render(name, {})).toBe(value);
  });

  // DIFFERENCE: a list prints as `3,2,1`, Jinja's `[3, 2, 1]`.
  it.fails('TestFilter.test_reverse', () => {
    expect(render("{{ 'foobar'|reverse|join }}|{{ [1, 2, 3]|reverse|list }}")).toBe('raboof|[3, 2, 1]');
  });

  it('TestFilter.test_reverse (printed with tojson)', () => {
    expect(render("{{ 'foobar'|reverse|join }}|{{ [1, 2, 3]|reverse|list|tojson }}")).toBe('raboof|[3,2,1]');
  });

  // DIFFERENCE: `string` of a list is JavaScript's `1,2,3,4,5`, Jinja's (Python's str) `[1, 2, 3, 4, 5]`.
  it.fails('TestFilter.test_string', () => {
    const x = [1, 2, 3, 4, 5];
    expect(render('{{ obj|string }}', { obj: x })).toBe(pyStr(x));
  });

  it('TestFilter.test_title', () => {
    expect(render('{{ "foo bar"|title }}')).toBe('Foo Bar');
    expect(render(`{{ "foo's bar"|title }}`)).toBe("Foo's Bar");
    expect(render('{{ "foo   bar"|title }}')).toBe('Foo   Bar');
    expect(render('{{ "f bar f"|title }}')).toBe('F Bar F');
    expect(render('{{ "foo-bar"|title }}')).toBe('Foo-Bar');
    expect(render('{{ "foo\tbar"|title }}')).toBe('Foo\tBar');
    expect(render('{{ "FOO\tBAR"|title }}')).toBe('Foo\tBar');
    expect(render('{{ "foo (bar)"|title }}')).toBe('Foo (Bar)');
    expect(render('{{ "foo {bar}"|title }}')).toBe('Foo {Bar}');
    expect(render('{{ "foo [bar]"|title }}')).toBe('Foo [Bar]');
    expect(render('{{ "foo <bar>"|title }}')).toBe('Foo <Bar>');

    class Foo {
      toString(): string {
        return 'foo-bar';
      }
    }
    expect(render('{{ data|title }}', { data: new Foo() })).toBe('Foo-Bar');
  });

  it('TestFilter.test_truncate', () => {
    const out = render(
      '{{ data|truncate(15, true, ">>>") }}|' +
        '{{ data|truncate(15, false, ">>>") }}|' +
        '{{ smalldata|truncate(15) }}',
      { data: 'foobar baz bar'.repeat(1000), smalldata: 'foobar baz bar' },
    );
    expect(out).toBe('foobar baz b>>>|foobar baz>>>|foobar baz bar');
  });

  it('TestFilter.test_truncate_very_short', () => {
    expect(render('{{ "foo bar baz"|truncate(9) }}|{{ "foo bar baz"|truncate(9, true) }}')).toBe(
      'foo bar baz|foo bar baz',
    );
  });

  it('TestFilter.test_truncate_end_length', () => {
    expect(render('{{ "Joel is a slug"|truncate(7, true) }}')).toBe('Joel...');
  });

  it('TestFilter.test_upper', () => {
    expect(render('{{ "foo"|upper }}')).toBe('FOO');
  });

  it('TestFilter.test_urlize', () => {
    expect(render('{{ "foo example.org bar"|urlize }}')).toBe(
      'foo <a href="https://example.org" rel="noopener">' + 'example.org</a> bar',
    );
    expect(render('{{ "foo http://www.example.com/ bar"|urlize }}')).toBe(
      'foo <a href="http://www.example.com/" rel="noopener">' + 'http://www.example.com/</a> bar',
    );
    expect(render('{{ "foo mailto:email@example.com bar"|urlize }}')).toBe(
      'foo <a href="mailto:email@example.com">email@example.com</a> bar',
    );
  });

  it('TestFilter.test_urlize (email address)', () => {
    expect(render('{{ "foo email@example.com bar"|urlize }}')).toBe(
      'foo <a href="mailto:email@example.com">email@example.com</a> bar',
    );
  });

  it.skip('TestFilter.test_urlize_rel_policy', () => {
    /* N/A: env.policies["urlize.rel"], an Environment policy Flagon does not expose. */
  });

  it('TestFilter.test_urlize_target_parameter', () => {
    expect(render('{{ "foo http://www.example.com/ bar"|urlize(target="_blank") }}')).toBe(
      'foo <a href="http://www.example.com/" rel="noopener" target="_blank">' + 'http://www.example.com/</a> bar',
    );
  });

  it('TestFilter.test_urlize_extra_schemes_parameter', () => {
    expect(
      render('{{ "foo tel:+1-514-555-1234 ftp://localhost bar"|' + 'urlize(extra_schemes=["tel:", "ftp:"]) }}'),
    ).toBe(
      'foo <a href="tel:+1-514-555-1234" rel="noopener">' +
        'tel:+1-514-555-1234</a> <a href="ftp://localhost" rel="noopener">' +
        'ftp://localhost</a> bar',
    );
  });

  it('TestFilter.test_wordcount', () => {
    expect(render('{{ "foo bar baz"|wordcount }}')).toBe('3');
  });

  it.skip('TestFilter.test_wordcount (StrictUndefined)', () => {
    /* N/A: Environment(undefined=StrictUndefined), an undefined class Flagon does not offer. */
  });

  it('TestFilter.test_block', () => {
    expect(render('{% filter lower|escape %}<HEHE>{% endfilter %}')).toBe('&lt;hehe&gt;');
  });

  it('TestFilter.test_chaining', () => {
    expect(render("{{ ['<foo>', '<bar>']|first|upper|escape }}")).toBe('&lt;FOO&gt;');
  });

  it('TestFilter.test_sum', () => {
    expect(render('{{ [1, 2, 3, 4, 5, 6]|sum }}')).toBe('21');
  });

  it('TestFilter.test_sum_attributes', () => {
    expect(render("{{ values|sum('value') }}", { values: [{ value: 23 }, { value: 1 }, { value: 18 }] })).toBe('42');
  });

  it('TestFilter.test_sum_attributes_nested', () => {
    const values = [{ real: { value: 23 } }, { real: { value: 1 } }, { real: { value: 18 } }];
    expect(render("{{ values|sum('real.value') }}", { values })).toBe('42');
  });

  it('TestFilter.test_sum_attributes_tuple', () => {
    expect(render("{{ values.items()|sum('1') }}", { values: { foo: 23, bar: 1, baz: 18 } })).toBe('42');
  });

  it('TestFilter.test_abs', () => {
    expect(render('{{ -1|abs }}|{{ 1|abs }}')).toBe('1|1');
  });

  // DIFFERENCE: one number type: `2.7|round` prints `3`, Jinja's `3.0`.
  it.fails('TestFilter.test_round_positive', () => {
    const out = render("{{ 2.7|round }}|{{ 2.1|round }}|{{ 2.1234|round(3, 'floor') }}|{{ 2.1|round(0, 'ceil') }}");
    expect(out).toBe('3.0|2.0|2.123|3.0');
  });

  it('TestFilter.test_round_positive (whole numbers print without .0)', () => {
    const out = render("{{ 2.7|round }}|{{ 2.1|round }}|{{ 2.1234|round(3, 'floor') }}|{{ 2.1|round(0, 'ceil') }}");
    expect(out).toBe('3|2|2.123|3');
  });

  // DIFFERENCE: one number type: `21.3|round(-1)` prints `20`, Jinja's `20.0`.
  it.fails('TestFilter.test_round_negative', () => {
    const out = render("{{ 21.3|round(-1)}}|{{ 21.3|round(-1, 'ceil')}}|{{ 21.3|round(-1, 'floor')}}");
    expect(out).toBe('20.0|30.0|20.0');
  });

  it('TestFilter.test_round_negative (whole numbers print without .0)', () => {
    const out = render("{{ 21.3|round(-1)}}|{{ 21.3|round(-1, 'ceil')}}|{{ 21.3|round(-1, 'floor')}}");
    expect(out).toBe('20|30|20');
  });

  it('TestFilter.test_xmlattr', () => {
    const out = render("{{ {'foo': 42, 'bar': 23, 'fish': none, " + "'spam': missing, 'blub:blub': '<?>'}|xmlattr }}")
      .trim()
      .split(/\s+/);
    expect(out).toHaveLength(3);
    expect(out).toContain('foo="42"');
    expect(out).toContain('bar="23"');
    expect(out).toContain('blub:blub="&lt;?&gt;"');
  });

  const invalidSeparators = ['\t', '\n', '\f', ' ', '/', '>', '='];

  // DIFFERENCE: a bare name as a dict literal's key is the text (`{key: 'my_class'}` is `{'key': 'my_class'}`), as in
  // JavaScript and in Flagon's helpers (`urlFor('static', { filename: 'a.css' })`); Jinja takes the variable's value.
  // xmlattr's own check holds: see the row below, with the dict from the context.
  it.fails('TestFilter.test_xmlattr_key_invalid', () => {
    for (const sep of invalidSeparators)
      expect(() => render("{{ {key: 'my_class'}|xmlattr }}", { key: `class${sep}onclick=alert(1)` })).toThrow(
        /Invalid character/,
      );
  });

  it('TestFilter.test_xmlattr_key_invalid (the dict from the context)', () => {
    for (const sep of invalidSeparators)
      expect(() => render('{{ attrs|xmlattr }}', { attrs: { [`class${sep}onclick=alert(1)`]: 'my_class' } })).toThrow(
        /Invalid character/,
      );
  });

  // DIFFERENCE: lists print as `1,2,3`, Jinja's `[1, 2, 3]`.
  it.fails('TestFilter.test_sort1', () => {
    expect(render('{{ [2, 3, 1]|sort }}|{{ [2, 3, 1]|sort(true) }}')).toBe('[1, 2, 3]|[3, 2, 1]');
  });

  it('TestFilter.test_sort1 (printed with tojson)', () => {
    expect(render('{{ [2, 3, 1]|sort|tojson }}|{{ [2, 3, 1]|sort(true)|tojson }}')).toBe('[1,2,3]|[3,2,1]');
  });

  it('TestFilter.test_sort2', () => {
    expect(render('{{ "".join(["c", "A", "b", "D"]|sort) }}')).toBe('AbcD');
  });

  // DIFFERENCE: a list of strings prints as `Bar,blah,foo`, Jinja's `['Bar', 'blah', 'foo']`.
  it.fails('TestFilter.test_sort3', () => {
    expect(render("{{ ['foo', 'Bar', 'blah']|sort }}")).toBe("['Bar', 'blah', 'foo']");
  });

  it('TestFilter.test_sort3 (printed with tojson)', () => {
    expect(render("{{ ['foo', 'Bar', 'blah']|sort|tojson }}")).toBe('["Bar","blah","foo"]');
  });

  it('TestFilter.test_sort4', () => {
    const items = [3, 2, 4, 1].map((x) => new Magic(x));
    expect(render("{{ items|sort(attribute='value')|join }}", { items })).toBe('1234');
  });

  it('TestFilter.test_sort5', () => {
    const items = [[3], [2], [4], [1]].map((x) => new Magic(x));
    expect(render("{{ items|sort(attribute='value.0')|join }}", { items })).toBe('[1][2][3][4]');
  });

  const magic2 = (pairs: Array<[unknown, unknown]>): Magic2[] => pairs.map(([a, b]) => new Magic2(a, b));

  it('TestFilter.test_sort6', () => {
    const items = magic2([
      [3, 1],
      [2, 2],
      [2, 1],
      [2, 5],
    ]);
    expect(render("{{ items|sort(attribute='value1,value2')|join }}", { items })).toBe('(2,1)(2,2)(2,5)(3,1)');
  });

  it('TestFilter.test_sort7', () => {
    const items = magic2([
      [3, 1],
      [2, 2],
      [2, 1],
      [2, 5],
    ]);
    expect(render("{{ items|sort(attribute='value2,value1')|join }}", { items })).toBe('(2,1)(3,1)(2,2)(2,5)');
  });

  it('TestFilter.test_sort8', () => {
    const items = magic2([
      [[3], [1]],
      [[2], [2]],
      [[2], [1]],
      [[2], [5]],
    ]);
    expect(render("{{ items|sort(attribute='value1.0,value2.0')|join }}", { items })).toBe(
      '([2],[1])([2],[2])([2],[5])([3],[1])',
    );
  });

  it('TestFilter.test_unique', () => {
    expect(render('{{ "".join(["b", "A", "a", "b"]|unique) }}')).toBe('bA');
  });

  it('TestFilter.test_unique_case_sensitive', () => {
    expect(render('{{ "".join(["b", "A", "a", "b"]|unique(true)) }}')).toBe('bAa');
  });

  it('TestFilter.test_unique_attribute', () => {
    const items = [3, 2, 4, 1, 2].map((x) => new Magic(x));
    expect(render("{{ items|unique(attribute='value')|join }}", { items })).toBe('3241');
  });

  it('TestFilter.test_min_max', () => {
    const cases: Array<[string, string]> = [
      ['{{ ["a", "B"]|min }}', 'a'],
      ['{{ ["a", "B"]|min(case_sensitive=true) }}', 'B'],
      ['{{ []|min }}', ''],
      ['{{ ["a", "B"]|max }}', 'B'],
      ['{{ ["a", "B"]|max(case_sensitive=true) }}', 'a'],
      ['{{ []|max }}', ''],
    ];
    for (const [source, expected] of cases) expect(render(source)).toBe(expected);
  });

  it('TestFilter.test_min_max_attribute', () => {
    const items = [5, 1, 9].map((x) => new Magic(x));
    for (const [name, expected] of [
      ['min', '1'],
      ['max', '9'],
    ])
      expect(render(`{{ items|${name}(attribute="value") }}`, { items })).toBe(expected);
  });

  it('TestFilter.test_groupby', () => {
    const out = render(`
        {%- for grouper, list in [{'foo': 1, 'bar': 2},
                                  {'foo': 2, 'bar': 3},
                                  {'foo': 1, 'bar': 1},
                                  {'foo': 3, 'bar': 4}]|groupby('foo') -%}
            {{ grouper }}{% for x in list %}: {{ x.foo }}, {{ x.bar }}{% endfor %}|
        {%- endfor %}`);
    expect(out.split('|')).toEqual(['1: 1, 2: 1, 1', '2: 2, 3', '3: 3, 4', '']);
  });

  it('TestFilter.test_groupby_tuple_index', () => {
    const out = render(`
        {%- for grouper, list in [('a', 1), ('a', 2), ('b', 1)]|groupby(0) -%}
            {{ grouper }}{% for x in list %}:{{ x.1 }}{% endfor %}|
        {%- endfor %}`);
    expect(out).toBe('a:1:2|b:1|');
  });

  it('TestFilter.test_groupby_multidot', () => {
    const date = (day: number, month: number, year: number) => ({ day, month, year });
    const articles = [
      { title: 'aha', date: date(1, 1, 1970) },
      { title: 'interesting', date: date(2, 1, 1970) },
      { title: 'really?', date: date(3, 1, 1970) },
      { title: 'totally not', date: date(1, 1, 1971) },
    ];
    const out = render(
      `
        {%- for year, list in articles|groupby('date.year') -%}
            {{ year }}{% for x in list %}[{{ x.title }}]{% endfor %}|
        {%- endfor %}`,
      { articles },
    );
    expect(out.split('|')).toEqual(['1970[aha][interesting][really?]', '1971[totally not]', '']);
  });

  it('TestFilter.test_groupby_default', () => {
    const out = render(
      "{% for city, items in users|groupby('city', default='NY') %}" +
        "{{ city }}: {{ items|map(attribute='name')|join(', ') }}\n" +
        '{% endfor %}',
      { users: [{ name: 'emma', city: 'NY' }, { name: 'smith', city: 'WA' }, { name: 'john' }] },
    );
    expect(out).toBe('NY: emma, john\nWA: smith\n');
  });

  it('TestFilter.test_groupby_case', () => {
    const cases: Array<[boolean, string]> = [
      [false, 'a: 1, 3\nb: 2\n'],
      [true, 'A: 3\na: 1\nb: 2\n'],
    ];
    for (const [cs, expected] of cases) {
      const out = render(
        "{% for k, vs in data|groupby('k', case_sensitive=cs) %}" +
          "{{ k }}: {{ vs|join(', ', attribute='v') }}\n" +
          '{% endfor %}',
        {
          data: [
            { k: 'a', v: 1 },
            { k: 'b', v: 2 },
            { k: 'A', v: 3 },
          ],
          cs,
        },
      );
      expect(out).toBe(expected);
    }
  });

  it('TestFilter.test_filtertag', () => {
    expect(render("{% filter upper|replace('FOO', 'foo') %}foobar{% endfilter %}")).toBe('fooBAR');
  });

  it('TestFilter.test_replace', () => {
    expect(render('{{ string|replace("o", 42) }}', { string: '<foo>' })).toBe('<f4242>');
    expect(renderEscaped('{{ string|replace("o", 42) }}', { string: '<foo>' })).toBe('&lt;f4242&gt;');
    expect(renderEscaped('{{ string|replace("<", 42) }}', { string: '<foo>' })).toBe('42foo&gt;');
    expect(renderEscaped('{{ string|replace("o", ">x<") }}', { string: Markup('foo') })).toBe('f&gt;x&lt;&gt;x&lt;');
  });

  it('TestFilter.test_forceescape', () => {
    expect(render('{{ x|forceescape }}', { x: Markup('<div />') })).toBe('&lt;div /&gt;');
  });

  it('TestFilter.test_safe', () => {
    expect(renderEscaped('{{ "<div>foo</div>"|safe }}')).toBe('<div>foo</div>');
    expect(renderEscaped('{{ "<div>foo</div>" }}')).toBe('&lt;div&gt;foo&lt;/div&gt;');
  });

  it('TestFilter.test_urlencode', () => {
    const cases: Array<[unknown, string]> = [
      ['Hello, world!', 'Hello%2C%20world%21'],
      ['Hello, world\u203d', 'Hello%2C%20world%E2%80%BD'],
      [{ f: 1 }, 'f=1'],
      [
        [
          ['f', 1],
          ['z', 2],
        ],
        'f=1&amp;z=2',
      ],
      [{ '\u203d': 1 }, '%E2%80%BD=1'],
      [{ 0: 1 }, '0=1'],
      [[['a b/c', 'a b/c']], 'a+b%2Fc=a+b%2Fc'],
      ['a b/c', 'a%20b/c'],
    ];
    for (const [value, expected] of cases) expect(renderEscaped('{{ value|urlencode }}', { value })).toBe(expected);
  });

  it('TestFilter.test_simple_map', () => {
    expect(render('{{ ["1", "2", "3"]|map("int")|sum }}')).toBe('6');
  });

  // DIFFERENCE: a list prints as `3,3,15`, Jinja's `[3, 3, 15]`.
  it.fails('TestFilter.test_map_sum', () => {
    expect(render('{{ [[1,2], [3], [4,5,6]]|map("sum")|list }}')).toBe('[3, 3, 15]');
  });

  it('TestFilter.test_map_sum (printed with tojson)', () => {
    expect(render('{{ [[1,2], [3], [4,5,6]]|map("sum")|list|tojson }}')).toBe('[3,3,15]');
  });

  it('TestFilter.test_attribute_map', () => {
    const users = [{ name: 'john' }, { name: 'jane' }, { name: 'mike' }];
    expect(render('{{ users|map(attribute="name")|join("|") }}', { users })).toBe('john|jane|mike');
  });

  // DIFFERENCE: an empty list prints as nothing, Jinja's `[]`.
  it.fails('TestFilter.test_empty_map', () => {
    expect(render('{{ none|map("upper")|list }}')).toBe('[]');
  });

  it('TestFilter.test_empty_map (printed with tojson)', () => {
    expect(render('{{ none|map("upper")|list|tojson }}')).toBe('[]');
  });

  const mapDefaultUsers = [
    { firstname: 'john', lastname: 'lennon' },
    { firstname: 'jane', lastname: 'edwards' },
    { firstname: 'jon', lastname: null },
    { firstname: 'mike' },
  ];

  // DIFFERENCE: None prints as nothing and a list as `smith,x`, Jinja's `None` and `['smith', 'x']`.
  it.fails('TestFilter.test_map_default', () => {
    const users = mapDefaultUsers;
    expect(render('{{ users|map(attribute="lastname", default="smith")|join(", ") }}', { users })).toBe(
      'lennon, edwards, None, smith',
    );
    expect(render('{{ users|map(attribute="lastname", default=["smith","x"])|join(", ") }}', { users })).toBe(
      "lennon, edwards, None, ['smith', 'x']",
    );
    expect(render('{{ users|map(attribute="lastname", default="")|join(", ") }}', { users })).toBe(
      'lennon, edwards, None, ',
    );
  });

  it('TestFilter.test_map_default (printed with tojson)', () => {
    const users = mapDefaultUsers;
    expect(render('{{ users|map(attribute="lastname", default="smith")|list|tojson }}', { users })).toBe(
      '["lennon","edwards",null,"smith"]',
    );
    expect(render('{{ users|map(attribute="lastname", default=["smith","x"])|list|tojson }}', { users })).toBe(
      '["lennon","edwards",null,["smith","x"]]',
    );
    expect(render('{{ users|map(attribute="lastname", default="")|list|tojson }}', { users })).toBe(
      '["lennon","edwards",null,""]',
    );
  });

  it('TestFilter.test_simple_select', () => {
    expect(render('{{ [1, 2, 3, 4, 5]|select("odd")|join("|") }}')).toBe('1|3|5');
  });

  it('TestFilter.test_bool_select', () => {
    expect(render('{{ [none, false, 0, 1, 2, 3, 4, 5]|select|join("|") }}')).toBe('1|2|3|4|5');
  });

  it('TestFilter.test_simple_reject', () => {
    expect(render('{{ [1, 2, 3, 4, 5]|reject("odd")|join("|") }}')).toBe('2|4');
  });

  // DIFFERENCE: none and false print as nothing and `false`, Jinja's `None` and `False`.
  it.fails('TestFilter.test_bool_reject', () => {
    expect(render('{{ [none, false, 0, 1, 2, 3, 4, 5]|reject|join("|") }}')).toBe('None|False|0');
  });

  it('TestFilter.test_bool_reject (printed with tojson)', () => {
    expect(render('{{ [none, false, 0, 1, 2, 3, 4, 5]|reject|list|tojson }}')).toBe('[null,false,0]');
  });

  const activeUsers = [
    { name: 'john', is_active: true },
    { name: 'jane', is_active: true },
    { name: 'mike', is_active: false },
  ];
  const idUsers = [
    { id: 1, name: 'john' },
    { id: 2, name: 'jane' },
    { id: 3, name: 'mike' },
  ];

  it('TestFilter.test_simple_select_attr', () => {
    expect(render('{{ users|selectattr("is_active")|map(attribute="name")|join("|") }}', { users: activeUsers })).toBe(
      'john|jane',
    );
  });

  it('TestFilter.test_simple_reject_attr', () => {
    expect(render('{{ users|rejectattr("is_active")|map(attribute="name")|join("|") }}', { users: activeUsers })).toBe(
      'mike',
    );
  });

  it('TestFilter.test_func_select_attr', () => {
    expect(render('{{ users|selectattr("id", "odd")|map(attribute="name")|join("|") }}', { users: idUsers })).toBe(
      'john|mike',
    );
  });

  it('TestFilter.test_func_reject_attr', () => {
    expect(render('{{ users|rejectattr("id", "odd")|map(attribute="name")|join("|") }}', { users: idUsers })).toBe(
      'jane',
    );
  });

  // DIFFERENCE: tojson writes compact JSON, `{"foo":"bar"}`; Jinja's (Python's json.dumps) puts a space after `:` and `,`.
  it.fails('TestFilter.test_json_dump', () => {
    expect(renderEscaped('{{ x|tojson }}', { x: { foo: 'bar' } })).toBe('{"foo": "bar"}');
  });

  it('TestFilter.test_json_dump (strings)', () => {
    expect(renderEscaped('{{ x|tojson }}', { x: '"ba&r\'' })).toBe(String.raw`"\"ba\u0026r\u0027"`);
    expect(renderEscaped('{{ x|tojson }}', { x: '<bar>' })).toBe(String.raw`"\u003cbar\u003e"`);
  });

  it.skip('TestFilter.test_json_dump (policies)', () => {
    /* N/A: env.policies["json.dumps_function"] and ["json.dumps_kwargs"], Environment policies Flagon does not expose. */
  });

  it('TestFilter.test_wordwrap', () => {
    // env.newline_sequence = "\n" is Jinja's default, and the only newline Flagon writes.
    const out = render('{{ s|wordwrap(20) }}', { s: 'Hello!\nThis is Jinja saying something.' });
    expect(out).toBe('Hello!\nThis is Jinja saying\nsomething.');
  });

  // Jinja's message is "No filter named 'f'."; Flagon's, "unknown filter 'f': register it with app.templateFilter(…)".
  const noFilterF = /unknown filter 'f'/;

  it('TestFilter.test_filter_undefined', () => {
    // Jinja refuses the template when it compiles; Flagon compiles and renders in one call, which throws.
    expect(() => render('{{ var|f }}')).toThrow(TemplateError);
    expect(() => render('{{ var|f }}')).toThrow(noFilterF);
  });

  it('TestFilter.test_filter_undefined_in_if', () => {
    const source = '{%- if x is defined -%}{{ x|f }}{%- else -%}x{% endif %}';
    expect(render(source)).toBe('x');
    expect(() => render(source, { x: 42 })).toThrow(noFilterF);
  });

  it('TestFilter.test_filter_undefined_in_elif', () => {
    const source = '{%- if x is defined -%}{{ x }}{%- elif y is defined -%}' + '{{ y|f }}{%- else -%}foo{%- endif -%}';
    expect(render(source)).toBe('foo');
    expect(() => render(source, { y: 42 })).toThrow(noFilterF);
  });

  it('TestFilter.test_filter_undefined_in_else', () => {
    const source = '{%- if x is not defined -%}foo{%- else -%}{{ x|f }}{%- endif -%}';
    expect(render(source)).toBe('foo');
    expect(() => render(source, { x: 42 })).toThrow(noFilterF);
  });

  it('TestFilter.test_filter_undefined_in_nested_if', () => {
    const source =
      '{%- if x is not defined -%}foo{%- else -%}{%- if y ' +
      'is defined -%}{{ y|f }}{%- endif -%}{{ x }}{%- endif -%}';
    expect(render(source)).toBe('foo');
    expect(render(source, { x: 42 })).toBe('42');
    expect(() => render(source, { x: 24, y: 42 })).toThrow(noFilterF);
  });

  it('TestFilter.test_filter_undefined_in_condexpr', () => {
    const t1 = "{{ x|f if x is defined else 'foo' }}";
    const t2 = "{{ 'foo' if x is not defined else x|f }}";
    expect(render(t1)).toBe('foo');
    expect(render(t2)).toBe('foo');
    expect(() => render(t1, { x: 42 })).toThrow(noFilterF);
    expect(() => render(t2, { x: 42 })).toThrow(noFilterF);
  });
});
