/**
 * Python's methods in Flagon's templates: `s.upper()`, `path.startswith('/admin')`, `'{} of {}'.format(a, b)`,
 * `items.append(x)` in `{% do %}`, `d.update(…)`, and the `dict()` global. Each expected string is what Jinja 3.1
 * renders from the same template and data (python3, `Environment(autoescape=True, extensions=['jinja2.ext.do'])`);
 * lists and booleans are joined or tested, where Jinja and JavaScript would print them differently.
 */
import { describe, expect, it } from 'vitest';
import { NunjucksRenderer } from '../../src/templating/index.js';

const data = {
  name: 'aDa lovelace',
  request_path: '/admin/x',
  tags: ['a', 'b'],
  price: 3.14659,
  user: { name: 'Ada' },
  html: '<b>x</b>',
  pairs: [
    [1, 2],
    [3, 4],
  ],
  d: { k: 'v' },
  flags: [
    { name: 'a', on: true },
    { name: 'b', on: false },
    { name: 'c', on: true },
  ],
};
// Safe text, as Markup('<b>x</b>') and Markup('<br>') are in the Jinja run.
const SAFE = "{% set safe = '<b>x</b>'|safe %}{% set sep = '<br>'|safe %}";

/** Each template rendered on its own, so one table lists templates beside what Jinja makes of them. */
function renderEach(cases: Record<string, string>, prefix = '', context: object = data): Record<string, string> {
  const renderer = new NunjucksRenderer([]);
  return Object.fromEntries(
    Object.keys(cases).map((source) => [
      source,
      renderer.renderString(prefix + source, context as Record<string, unknown>),
    ]),
  );
}

describe("Python's methods in templates", () => {
  it("str's methods: case, strip, split, replace, find, join, padding, partition, tests and format", () => {
    const cases = {
      '{{ name.upper() }} {{ name.lower() }} {{ name.title() }} {{ name.capitalize() }} {{ name.swapcase() }}':
        'ADA LOVELACE ada lovelace Ada Lovelace Ada lovelace AdA LOVELACE',
      "{{ \"they're bill's 1st\".title() }}|{{ 'ß'.upper() }}": 'They&#39;Re Bill&#39;S 1St|SS',
      "{{ request_path.startswith('/admin') and 'y' }} {{ request_path.endswith(('.png', '/x')) and 'y' }} {{ request_path.startswith('min', 3) and 'y' }}":
        'y y y',
      "{{ '  pad  '.strip() }}|{{ '  pad  '.lstrip() }}|{{ '  pad  '.rstrip() }}|{{ 'xxpadxy'.strip('xy') }}":
        'pad|pad  |  pad|pad',
      "{{ 'a,b,,c'.split(',')|join('/') }}|{{ '  a  b c '.split()|join('/') }}|{{ '  a  b c '.split(None, 1)|join('/') }}|{{ 'a,b,c'.split(',', 1)|join('/') }}":
        'a/b//c|a/b/c|a/b c |a/b,c',
      "{{ 'a.b.c'.rsplit('.', 1)|join('/') }}|{{ '  a  b c '.rsplit(None, 1)|join('/') }}|{{ 'a b'.rsplit()|join('/') }}|{{ 'k=v=w'.split('=', maxsplit=1)|join('/') }}":
        'a.b/c|  a  b/c|a/b|k/v=w',
      "{{ 'one\\ntwo\\r\\nthree\\n'.splitlines()|join('/') }}|{{ 'x\\ny'.splitlines(true)|join('/') }}|{{ ''.splitlines()|length }}":
        'one/two/three|x\n/y|0',
      "{{ 'a-b-c'.replace('-', '+') }}|{{ 'a-b-c'.replace('-', '+', 1) }}|{{ 'ab'.replace('', '.') }}|{{ 'aaa'.replace('a', 'b', 2) }}":
        'a+b+c|a+b-c|.a.b.|bba',
      "{{ 'hello'.find('l') }} {{ 'hello'.rfind('l') }} {{ 'hello'.find('z') }} {{ 'hello'.index('e') }} {{ 'hello'.count('l') }} {{ 'hello'.count('') }} {{ 'hello'.find('l', 3) }}":
        '2 3 -1 1 2 6 3',
      "{{ ', '.join(tags) }}|{{ '-'.join('abc') }}": 'a, b|a-b-c',
      "{{ 'ab'.center(7, '*') }}|{{ 'ab'.center(6) }}|{{ 'abc'.center(6, '.') }}|{{ 'ab'.ljust(5, '.') }}|{{ 'ab'.rjust(5) }}|{{ '42'.zfill(5) }}|{{ '-42'.zfill(5) }}":
        '***ab**|  ab  |.abc..|ab...|   ab|00042|-0042',
      "{{ 'key=value'.partition('=')|join('/') }}|{{ 'a.b.c'.rpartition('.')|join('/') }}|{{ 'abc'.partition('x')|join('/') }}":
        'key/=/value|a.b/./c|abc//',
      "{{ 'v1.2'.removeprefix('v') }} {{ 'file.txt'.removesuffix('.txt') }} {{ 'abc'.removeprefix('x') }}":
        '1.2 file abc',
      "{% for t in ['123'.isdigit(), '12a'.isdigit(), 'abc'.isalpha(), 'ab1'.isalnum(), '  '.isspace(), ''.isdigit(), 'abc'.islower(), 'ABC'.isupper(), 'Ab Cd'.istitle(), 'aB'.islower()] %}{{ t and 'y' or 'n' }}{% endfor %}":
        'ynyyynyyyn',
      "{{ '{} of {}'.format(1, 3) }}|{{ '{name} is {age}'.format(name='Ada', age=36) }}|{{ '{:.2f}'.format(price) }}|{{ '{0}{1}{0}'.format('a', 'b') }}":
        '1 of 3|Ada is 36|3.15|aba',
      "{{ 'Hello {user[name]}'.format(user=user) }}|{{ '{:>6}|{:<6}|{:^6}'.format('a', 'b', 'c') }}|{{ '{:,}'.format(1234567) }}":
        'Hello Ada|     a|b     |  c   |1,234,567',
      "{{ 'x'.upper() ~ '%s' % 'y'.upper() }}|{{ name[1:].upper() }}|{{ (name ~ '!').lower() }}":
        'XY|DA LOVELACE|ada lovelace!',
    };
    expect(renderEach(cases)).toEqual(cases);
  });

  it('on safe text (Markup) escape the text they insert and return safe text; on plain text their result is escaped', () => {
    const cases = {
      "{{ '<b>{}</b>'.format(html) }}": '&lt;b&gt;&lt;b&gt;x&lt;/b&gt;&lt;/b&gt;',
      "{{ html.upper() }}|{{ html.replace('x', 'y') }}|{{ html.split('>')|join('/') }}":
        '&lt;B&gt;X&lt;/B&gt;|&lt;b&gt;y&lt;/b&gt;|&lt;b/x&lt;/b/',
      "{{ safe.upper() }}|{{ safe.replace('x', '<i>') }}|{{ safe.format(html) }}|{{ safe.startswith('<b') and 'y' or 'n' }}":
        '<B>X</B>|<b>&lt;i&gt;</b>|<b>x</b>|y',
      "{{ sep.join([html, 'a&b']) }}|{{ sep.join([safe]) }}": '&lt;b&gt;x&lt;/b&gt;<br>a&amp;b|<b>x</b>',
      "{{ safe.split('>')|join('/') }}|{{ safe.partition('>')|join('/') }}": '<b/x</b/|<b/>/x</b>',
      "{{ safe.strip('<') }}|{{ safe.rpartition('>')|join('/') }}|{{ safe.center(12, '*') }}|{{ safe.replace('<', '[') }}":
        'b>x</b>|<b>x</b/>/|**<b>x</b>**|[b>x[/b>',
    };
    expect(renderEach(cases, SAFE)).toEqual(cases);
  });

  it("escape on safe text what format()'s specs make ({:c} of 60) and each item join() is given, as MarkupSafe's", () => {
    const context = { a: 60, b: 62, c: 62, s: '<>', i: '<i>', d: { '<a>': 1, b: 2 } };
    const cases = {
      "{{ ('<p>{:c}{:c}script{:c}</p>'|safe).format(a, b, c) }}|{{ ('[{:>5}]'|safe).format('<') }}|{{ ('[{:.2}]'|safe).format(s) }}|{{ ('{}'|safe).format(i|safe) }}":
        '<p>&lt;&gt;script&gt;</p>|[    &lt;]|[&lt;&gt;]|<i>',
      "{{ (', '|safe).join(s) }}|{{ (', '|safe).join(d) }}|{{ ', '.join([i|safe]) }}|{{ 'a'.replace('a', i|safe) }}":
        '&lt;, &gt;|&lt;a&gt;, b|&lt;i&gt;|&lt;i&gt;',
    };
    expect(renderEach(cases, '', context)).toEqual(cases);
    expect(() => new NunjucksRenderer([]).renderString("{{ ('[{:>5}]'|safe).format(i|safe) }}", context)).toThrow(
      /Unsupported format specification for Markup/,
    );
  });

  it('bound find(), count(), startswith() and list.index() as Python does; strip and casefold whole characters', () => {
    const cases = {
      "{% for t in [abab.count('', 5), abab.count('', 9), abab.find('', 9), abab.rfind('', 9), abab.startswith('', 9) and 'y' or 'n', abab.startswith('', 4) and 'y' or 'n', abab.find('b', -1)] %}{{ t }},{% endfor %}":
        '0,0,-1,-1,n,y,3,',
      "{{ [1, 2, 3, 1].index(1, -1) }}|{{ '\u{1F600}a\u{1F600}'.strip('\u{1F600}') }}|{{ 'Straße'.casefold() }}":
        '3|a|strasse',
    };
    expect(renderEach(cases, '', { abab: 'abab' })).toEqual(cases);
  });

  it("list's methods change the list in place: append, sort (Python's order), pop, extend, insert, remove, copy", () => {
    const cases = {
      "{% set l = [3, 1] %}{% do l.append(2) %}{{ l|join(',') }}": '3,1,2',
      "{% set l = [3, 10, 1, 2] %}{% do l.sort() %}{{ l|join(',') }}{% do l.sort(reverse=true) %}{{ l|join(',') }}":
        '1,2,3,1010,3,2,1',
      "{% set l = ['b', 'a', 'C'] %}{% do l.sort() %}{{ l|join(',') }}{% do l.reverse() %}{{ l|join(',') }}":
        'C,a,bb,a,C',
      "{% set l = [1, 2, 3] %}{{ l.pop() }}{{ l|join(',') }}{{ l.pop(0) }}{{ l|join(',') }}": '31,212',
      "{% set l = [1, 2] %}{% do l.extend([3, 4]) %}{% do l.insert(0, 0) %}{% do l.insert(-1, 9) %}{{ l|join(',') }}":
        '0,1,2,3,9,4',
      "{% set l = [1, 2, 1] %}{% do l.remove(1) %}{{ l|join(',') }}{{ l.index(1) }}{{ l.count(1) }}": '2,111',
      "{% set l = [1, 2] %}{% set m = l.copy() %}{% do m.append(3) %}{{ l|join(',') }}{{ m|join(',') }}{% do m.clear() %}{{ m|join(',') }}":
        '1,21,2,3',
      '{{ (1, 2, 1).count(1) }}{{ (1, 2).index(2) }}': '21',
      "{% set classes = [] %}{% for f in flags %}{% if f.on %}{% do classes.append(f.name) %}{% endif %}{% endfor %}{{ classes|join(' ') }}":
        'a c',
    };
    expect(renderEach(cases)).toEqual(cases);
  });

  it("dict's methods: update (a dict, keywords or pairs), pop, setdefault, copy, popitem, and the dict() global", () => {
    const cases = {
      "{% set d = {'a': 1} %}{% do d.update({'b': 2}) %}{% do d.update(c=3) %}{% do d.update([('e', 5)]) %}{{ d|dictsort|map('join', '=')|join(',') }}":
        'a=1,b=2,c=3,e=5',
      "{% set d = {'a': 1, 'b': 2} %}{{ d.pop('a') }}{{ d.pop('z', 'none') }}{{ d|length }}": '1none1',
      "{% set d = {'a': 1} %}{{ d.setdefault('a', 5) }}{{ d.setdefault('b', 7) }}{{ d|dictsort|map('join', '=')|join(',') }}":
        '17a=1,b=7',
      "{% set d = {} %}{% do d.setdefault('k', []).append(1) %}{% do d.setdefault('k', []).append(2) %}{{ d.k|join(',') }}":
        '1,2',
      "{% set d = {'a': 1} %}{% set e = d.copy() %}{% do e.update(a=5) %}{{ d.a }}{{ e.a }}{% do e.clear() %}{{ e|length }}":
        '150',
      "{% set d = {'a': 1, 'b': 2} %}{{ d.popitem()|join('=') }}{{ d|length }}": 'b=21',
      "{{ dict(a=1, b=2)|dictsort|map('join', '=')|join(',') }}|{{ dict({'x': 1}, y=2)|dictsort|map('join', '=')|join(',') }}|{{ dict([('k', 'v')]).k }}|{{ dict()|length }}":
        'a=1,b=2|x=1,y=2|v|0',
    };
    expect(renderEach(cases)).toEqual(cases);
  });

  it('{% do %} runs an expression for what it does and outputs nothing', () => {
    const cases = {
      '{% do 1 + 1 %}x': 'x',
      '{%- set items = [] -%}\n{%- for i in range(3) -%}\n  {%- do items.append(i * 2) -%}\n{%- endfor -%}\n{{ items|sum }}':
        '6',
      "{% set ns = namespace(l=[]) %}{% for x in 'ab' %}{% do ns.l.append(x) %}{% endfor %}{{ ns.l|join }}": 'ab',
    };
    expect(renderEach(cases)).toEqual(cases);
  });

  it("datetime's strftime(), isoformat(), weekday() and attributes on a Date, read in local time (a naive datetime)", () => {
    const dates = {
      created: new Date(2024, 0, 5, 9, 7, 3, 120),
      midnight: new Date(2024, 0, 5),
      newyear: new Date(2021, 0, 3),
      late: new Date(2024, 11, 30, 23, 0, 0),
    };
    const cases = {
      "{{ created.strftime('%Y-%m-%d') }}|{{ created.strftime('%B %-d, %Y at %I:%M %p') }}|{{ created.strftime('%a %d %b %H:%M:%S.%f') }}":
        '2024-01-05|January 5, 2024 at 09:07 AM|Fri 05 Jan 09:07:03.120000',
      "{{ created.strftime('%j %U %W %G-%V-%u %w %y %C %e %k %l %P') }}|{{ created.strftime('%c|%x|%X|%D|%F|%T|%R|%%|%q') }}":
        '005 00 01 2024-01-5 5 24 20  5  9  9 am|Fri Jan  5 09:07:03 2024|01/05/24|09:07:03|01/05/24|2024-01-05|09:07:03|09:07|%|%q',
      "{{ created.isoformat() }}|{{ created.isoformat(' ') }}|{{ created.isoformat(timespec='minutes') }}|{{ midnight.isoformat() }}":
        '2024-01-05T09:07:03.120000|2024-01-05 09:07:03.120000|2024-01-05T09:07|2024-01-05T00:00:00',
      '{{ created.year }}-{{ created.month }}-{{ created.day }} {{ created.hour }}:{{ created.minute }}:{{ created.second }}.{{ created.microsecond }}|{{ created.weekday() }}{{ created.isoweekday() }}':
        '2024-1-5 9:7:3.120000|45',
      "{{ newyear.strftime('%G-%V-%u %U %W %j %I %p %l') }}|{{ late.strftime('%G-%V-%u %U %W %j %I %p') }}":
        '2020-53-7 01 00 003 12 AM 12|2025-01-1 52 53 365 11 PM',
      "{% if created.year == 2024 %}this year{% endif %}|{{ created.strftime('<%H>') }}": 'this year|&lt;09&gt;',
    };
    expect(renderEach(cases, '', dates)).toEqual(cases);
  });

  it("read a Date's attributes in filters' attribute paths and in str.format, as a datetime's", () => {
    const posts = [
      { t: 'a', created: new Date(2023, 4, 1) },
      { t: 'b', created: new Date(2024, 0, 2) },
      { t: 'c', created: new Date(2024, 5, 3) },
    ];
    const context = { posts, d: new Date(2024, 0, 5, 9, 7, 3), old: new Date(2000, 5, 1) };
    context.old.setFullYear(50);
    const cases = {
      "{% for g in posts|groupby('created.year') %}{{ g.grouper }}:{{ g.list|map(attribute='t')|join }};{% endfor %}|{{ posts|map(attribute='created.year')|join(',') }}|{{ posts|sort(attribute='created.month')|map(attribute='t')|join }}|{{ posts|selectattr('created.year', 'equalto', 2024)|map(attribute='t')|join }}|{{ posts|sum(attribute='created.month') }}":
        '2023:a;2024:bc;|2023,2024,2024|bac|bc|12',
      "{{ '{0.year}/{0.month}'.format(d) }}|{{ '{:%Y-%m-%d}'.format(d) }}|{{ '{}'.format(d) }}|{{ old.isoformat() }}":
        '2024/1|2024-01-05|2024-01-05 09:07:03|0050-06-01T00:00:00',
      '{% macro m(a, caller) %}x{{ a }}{% endmacro %}{{ m(1) }}': 'x1',
    };
    expect(renderEach(cases, '', context)).toEqual(cases);
    expect(() => new NunjucksRenderer([]).renderString('{{ d.strftime() }}', context)).toThrow(
      /strftime\(\) takes a format/,
    );
  });

  it("a loop's names may be written in parentheses: {% for (key, value) in pairs %}", () => {
    const cases = {
      '{% for (a, b) in pairs %}{{ a }}={{ b }};{% endfor %}': '1=2;3=4;',
      '{% for (k, v) in d.items() %}{{ k }}{{ v }}{% endfor %}': 'kv',
      '{% for (x) in [1, 2] %}{{ x }}{% endfor %}': '12',
    };
    expect(renderEach(cases)).toEqual(cases);
  });
});
describe('Python methods beside JavaScript values', () => {
  const render = (source: string, context: Record<string, unknown> = {}) =>
    new NunjucksRenderer([]).renderString(source, context);

  it("leave an object's own methods and JavaScript's string methods callable", () => {
    class Price {
      format(currency: string) {
        return `12 ${currency}`;
      }
    }
    const record = { update: () => 'own update', count: 3 };
    expect(
      render("{{ price.format('EUR') }}|{{ record.update() }}|{{ record.count }}", { price: new Price(), record }),
    ).toBe('12 EUR|own update|3');
    expect(render("{{ 'abc'.toUpperCase() }}|{{ 'abc'.includes('b') }}|{{ [1, 2].indexOf(2) }}")).toBe('ABC|true|1');
  });

  it("slice a tuple into a tuple, which % spreads as Python's", () => {
    // Jinja: '1-2' and '[1, 2]'; a list's slice stays one value for %s.
    expect(render("{{ '%s-%s' % (1, 2, 3)[:2] }}|{{ '%s' % [1, 2, 3][:2] }}")).toBe('1-2|1,2');
  });

  it('keep the properties of a function read as a member (helpers.format.date)', () => {
    const format = Object.assign((x: string) => `<${x}>`, { shout: (x: string) => x.toUpperCase(), label: 'L' });
    expect(render("{{ h.format('a') }}|{{ h.format.shout('b') }}|{{ h.format.label }}", { h: { format } })).toBe(
      '&lt;a&gt;|B|L',
    );
  });

  it("keep a key named __proto__ a key: update() and setdefault() do not change the dict's prototype", () => {
    const untrusted = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": 1}');
    const source =
      "{% set d = {} %}{% do d.update(untrusted) %}{% do d.setdefault('__proto__', 2) %}" +
      "{{ d.polluted is defined }}|{{ d|length }}|{{ d.get('__proto__').polluted }}|{{ dict(untrusted).polluted is defined }}";
    expect(render(source, { untrusted })).toBe('false|2|yes|false');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('compile a call on a string literal that holds a backslash or a line break', () => {
    // nunjucks wrote the literal into the code's error name unescaped: the template failed to compile.
    expect(render("{{ 'a\\nb'.splitlines()|length }}|{{ 'a\\\\b'.split('\\\\')|join('/') }}")).toBe('2|a/b');
  });

  it('extend a list by 200,000 items, and print nothing for a dict method a record lacks ({{ post.copy }})', () => {
    const long = 'x'.repeat(200_000);
    expect(
      render('{% set l = [] %}{% do l.extend(s) %}{{ l|length }}|{{ post.copy }}|{{ post.update }}', {
        s: long,
        post: {},
      }),
    ).toBe('200000||');
  });

  it('refuse to change frozen data, and give str.format and size errors a template line', () => {
    const frozen = { items: Object.freeze([1]), record: Object.freeze({ a: 1 }) };
    expect(() => render('{% do items.append(2) %}', frozen)).toThrow(/append\(\) changes the list, which is read-only/);
    expect(() => render('{% do record.update(a=2) %}', frozen)).toThrow(
      /update\(\) changes the dict, which is read-only/,
    );
    expect(render('{% set e = record.copy() %}{% do e.update(a=2) %}{{ e.a }}{{ record.a }}', frozen)).toBe('21');
    expect(() => render("{{ '{x}'.format() }}")).toThrow(/KeyError: 'x'.*line 1/);
    expect(() => render("{{ 'x'.center(2000000000) }}")).toThrow(/RangeError: Invalid string length.*line 1/);
  });

  it("report Python's errors for a missing item, key or substring", () => {
    expect(() => render('{% set l = [1] %}{% do l.remove(9) %}')).toThrow(/9 is not in list/);
    expect(() => render("{% set d = {} %}{{ d.pop('z') }}")).toThrow(/KeyError: "z"/);
    expect(() => render("{{ 'abc'.index('z') }}")).toThrow(/substring not found/);
    expect(() => render('{{ [].pop() }}')).toThrow(/pop from empty list/);
    expect(() => render("{{ 'a'.split('') }}")).toThrow(/empty separator/);
  });

  it('give a syntax error, not a crash, for nested names in a loop and for a do without an expression', () => {
    expect(() => render('{% for a, (b, c) in x %}{% endfor %}')).toThrow(/a loop unpacks each item into names/);
    expect(() => render('{% for (a, (b, c)) in x %}{% endfor %}')).toThrow(/a loop unpacks each item into names/);
    expect(() => render('{% for (k, v), w in x %}{% endfor %}')).toThrow(/nested parentheses are not supported/);
    expect(() => render('{% for (k,) in x %}{% endfor %}')).toThrow(/two or more, \(key, value\)/);
    expect(() => render('{{ [1, 2, 3, 1].index(3, 0, 1) }}')).toThrow(/3 is not in list/);
    expect(() => render('{% do %}')).toThrow(/unexpected token/);
  });
});
