/**
 * Port of Jinja's tests/test_regression.py (github.com/pallets/jinja, tag 3.1.6, commit
 * 15206881c006c79667fe5154fe80c01c65410679) to Flagon. BSD-3-Clause, Copyright 2007 Pallets: see LICENSE-pallets.txt.
 * The `env` fixture (a plain `Environment()`) and `Template(source)` are `fromString`; an `Environment` with its own
 * filters, tests or globals is a NunjucksRenderer of its own over the same folder. `tmpl.module.macro(…)` is called
 * in the template instead; `@pass_context` (a function given the template's context) has no counterpart.
 */
import { describe, expect, it } from 'vitest';
import { NunjucksRenderer, TemplateNotFound, TemplateSyntaxError } from '../../src/templating/index.js';
import { jinjaEnvironment } from './jinja-support.js';

const { root, write, fromString, dictEnv } = jinjaEnvironment('regression');

/** A new `Environment()`, for `env.filters[…]`, `env.tests[…]` and `env.globals[…]` of its own. */
const environment = (): NunjucksRenderer => new NunjucksRenderer([root]);

/** `env.from_string(source).render(**context)` in an environment of the test's own. */
const renderIn = (env: NunjucksRenderer, source: string, context: Record<string, unknown> = {}): string =>
  env.render(write(source), context);

describe('jinja tests/test_regression.py', () => {
  it('TestCorner.test_assigned_scoping', () => {
    let t = fromString(`
        {%- for item in (1, 2, 3, 4) -%}
            [{{ item }}]
        {%- endfor %}
        {{- item -}}
        `);
    expect(t({ item: 42 })).toBe('[1][2][3][4]42');

    t = fromString(`
        {%- for item in (1, 2, 3, 4) -%}
            [{{ item }}]
        {%- endfor %}
        {%- set item = 42 %}
        {{- item -}}
        `);
    expect(t()).toBe('[1][2][3][4]42');

    t = fromString(`
        {%- set item = 42 %}
        {%- for item in (1, 2, 3, 4) -%}
            [{{ item }}]
        {%- endfor %}
        {{- item -}}
        `);
    expect(t()).toBe('[1][2][3][4]42');
  });

  it('TestCorner.test_closure_scoping', () => {
    let t = fromString(`
        {%- set wrapper = "<FOO>" %}
        {%- for item in (1, 2, 3, 4) %}
            {%- macro wrapper() %}[{{ item }}]{% endmacro %}
            {{- wrapper() }}
        {%- endfor %}
        {{- wrapper -}}
        `);
    expect(t()).toBe('[1][2][3][4]<FOO>');

    t = fromString(`
        {%- for item in (1, 2, 3, 4) %}
            {%- macro wrapper() %}[{{ item }}]{% endmacro %}
            {{- wrapper() }}
        {%- endfor %}
        {%- set wrapper = "<FOO>" %}
        {{- wrapper -}}
        `);
    expect(t()).toBe('[1][2][3][4]<FOO>');

    t = fromString(`
        {%- for item in (1, 2, 3, 4) %}
            {%- macro wrapper() %}[{{ item }}]{% endmacro %}
            {{- wrapper() }}
        {%- endfor %}
        {{- wrapper -}}
        `);
    expect(t({ wrapper: 23 })).toBe('[1][2][3][4]23');
  });

  it('TestBug.test_keyword_folding', () => {
    const env = environment();
    // Python's `lambda value, some: value + some`: keyword arguments reach a filter as a last options object.
    env.addFilter('testing', (value: string, { some }: { some: string }) => value + some);
    expect(renderIn(env, "{{ 'test'|testing(some='stuff') }}")).toBe('teststuff');
  });

  it('TestBug.test_extends_output_bugs', () => {
    const env = dictEnv({
      'parent.html': '(({% block title %}{% endblock %}))',
      't.txt':
        '{% if expr %}{% extends "parent.html" %}{% endif %}' +
        '[[{% block title %}title{% endblock %}]]' +
        '{% for item in [1, 2, 3] %}({{ item }}){% endfor %}',
    });
    expect(env.render('t.txt', { expr: false })).toBe('[[title]](1)(2)(3)');
    expect(env.render('t.txt', { expr: true })).toBe('((title))');
  });

  it('TestBug.test_urlize_filter_escaping', () => {
    const tmpl = fromString('{{ "http://www.example.org/<foo"|urlize }}');
    expect(tmpl()).toBe(
      '<a href="http://www.example.org/&lt;foo" rel="noopener">' + 'http://www.example.org/&lt;foo</a>',
    );
  });

  it('TestBug.test_urlize_filter_closing_punctuation', () => {
    const tmpl = fromString('{{ "(see http://www.example.org/?page=subj_<desc.h>)"|urlize }}');
    expect(tmpl()).toBe(
      '(see <a href="http://www.example.org/?page=subj_&lt;desc.h&gt;" ' +
        'rel="noopener">http://www.example.org/?page=subj_&lt;desc.h&gt;</a>)',
    );
  });

  it('TestBug.test_loop_call_loop', () => {
    const tmpl = fromString(`

        {% macro test() %}
            {{ caller() }}
        {% endmacro %}

        {% for num1 in range(5) %}
            {% call test() %}
                {% for num2 in range(10) %}
                    {{ loop.index }}
                {% endfor %}
            {% endcall %}
        {% endfor %}

        `);
    const expected = Array.from({ length: 5 }, () => Array.from({ length: 10 }, (_, x) => String(x + 1))).flat();
    expect(tmpl().split(/\s+/).filter(Boolean)).toEqual(expected);
  });

  // DIFFERENCE: line statements (`line_statement_prefix="%"`) are not read (docs/conformance.md): the source is text,
  // which renders; Jinja refuses the comment inside the line statement with a TemplateSyntaxError.
  it.fails('TestBug.test_weird_inline_comment', () => {
    expect(() => fromString('% for item in seq {# missing #}\n...% endfor')()).toThrow(TemplateSyntaxError);
  });

  it('TestBug.test_old_macro_loop_scoping_bug', () => {
    const tmpl = fromString('{% for i in (1, 2) %}{{ i }}{% endfor %}{% macro i() %}3{% endmacro %}{{ i() }}');
    expect(tmpl()).toBe('123');
  });

  it('TestBug.test_partial_conditional_assignments', () => {
    const tmpl = fromString('{% if b %}{% set a = 42 %}{% endif %}{{ a }}');
    expect(tmpl({ a: 23 })).toBe('23');
    expect(tmpl({ b: true })).toBe('42');
  });

  // DIFFERENCE: line statements (`line_statement_prefix="#"`) are not read (docs/conformance.md): the lines are text.
  it.fails('TestBug.test_stacked_locals_scoping_bug', () => {
    const t = fromString(`\
# for j in [1, 2]:
#   set x = 1
#   for i in [1, 2]:
#     print x
#     if i % 2 == 0:
#       set x = x + 1
#     endif
#   endfor
# endfor
# if a
#   print 'A'
# elif b
#   print 'B'
# elif c == d
#   print 'C'
# else
#   print 'D'
# endif
    `);
    expect(t({ a: 0, b: false, c: 42, d: 42.0 })).toBe('1111C');
  });

  it('TestBug.test_stacked_locals_scoping_bug (written with tags)', () => {
    // The line statements as tags; Jinja renders this source to the same output (checked with jinja2 3.1.6).
    const t = fromString(
      '{% for j in [1, 2] %}{% set x = 1 %}{% for i in [1, 2] %}{{ x }}' +
        '{% if i % 2 == 0 %}{% set x = x + 1 %}{% endif %}{% endfor %}{% endfor %}' +
        "{% if a %}{{ 'A' }}{% elif b %}{{ 'B' }}{% elif c == d %}{{ 'C' }}{% else %}{{ 'D' }}{% endif %}",
    );
    expect(t({ a: 0, b: false, c: 42, d: 42.0 })).toBe('1111C');
  });

  // DIFFERENCE: a `{% set %}` inside a loop leaks out to a name set before the loop (docs/conformance.md): "2", Jinja's
  // "1".
  it.fails('TestBug.test_stacked_locals_scoping_bug_twoframe', () => {
    const t = fromString(`
            {% set x = 1 %}
            {% for item in foo %}
                {% if item == 1 %}
                    {% set x = 2 %}
                {% endif %}
            {% endfor %}
            {{ x }}
        `);
    expect(t({ foo: [1] }).trim()).toBe('1');
  });

  it('TestBug.test_call_with_args', () => {
    const t = fromString(`{% macro dump_users(users) -%}
        <ul>
          {%- for user in users -%}
            <li><p>{{ user.username|e }}</p>{{ caller(user) }}</li>
          {%- endfor -%}
          </ul>
        {%- endmacro -%}

        {% call(user) dump_users(list_of_user) -%}
          <dl>
            <dl>Realname</dl>
            <dd>{{ user.realname|e }}</dd>
            <dl>Description</dl>
            <dd>{{ user.description }}</dd>
          </dl>
        {% endcall %}`);
    const output = t({
      list_of_user: [{ username: 'apo', realname: 'something else', description: 'test' }],
    });
    // Python's str.splitlines() drops the final line break; JavaScript's split keeps an empty last item.
    expect(
      output
        .replace(/\n$/, '')
        .split('\n')
        .map((x) => x.trim()),
    ).toEqual([
      '<ul><li><p>apo</p><dl>',
      '<dl>Realname</dl>',
      '<dd>something else</dd>',
      '<dl>Description</dl>',
      '<dd>test</dd>',
      '</dl>',
      '</li></ul>',
    ]);
  });

  it('TestBug.test_empty_if_condition_fails', () => {
    expect(() => fromString('{% if %}....{% endif %}')()).toThrow(TemplateSyntaxError);
    expect(() => fromString('{% if foo %}...{% elif %}...{% endif %}')()).toThrow(TemplateSyntaxError);
    expect(() => fromString('{% for x in %}..{% endfor %}')()).toThrow(TemplateSyntaxError);
  });

  it('TestBug.test_recursive_loop_compile', () => {
    // Jinja only compiles the templates; Flagon compiles on the first render (`foo` undefined: no iteration).
    fromString(`
            {% for p in foo recursive%}
                {{p.bar}}
                {% for f in p.fields recursive%}
                    {{f.baz}}
                    {{p.bar}}
                    {% if f.rec %}
                        {{ loop(f.sub) }}
                    {% endif %}
                {% endfor %}
            {% endfor %}
            `)();
    fromString(`
            {% for p in foo%}
                {{p.bar}}
                {% for f in p.fields recursive%}
                    {{f.baz}}
                    {{p.bar}}
                    {% if f.rec %}
                        {{ loop(f.sub) }}
                    {% endif %}
                {% endfor %}
            {% endfor %}
            `)();
  });

  it('TestBug.test_else_loop_bug', () => {
    const t = fromString(`
            {% for x in y %}
                {{ loop.index0 }}
            {% else %}
                {% for i in range(3) %}{{ i }}{% endfor %}
            {% endfor %}
        `);
    expect(t({ y: [] }).trim()).toBe('012');
  });

  it('TestBug.test_correct_prefix_loader_name', () => {
    // PrefixLoader({"foo": DictLoader({})}): a folder with nothing under `foo`. The error names the full name asked for.
    const env = dictEnv({});
    let error: unknown;
    try {
      env.render('foo/bar.html', {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TemplateNotFound);
    expect((error as TemplateNotFound).template).toBe('foo/bar.html');
  });

  it.skip('TestBug.test_pass_context_callable_class', () => {
    /* N/A: @pass_context on a callable class's __call__, a Python decorator giving it the template's context. */
  });

  it('TestBug.test_block_set_with_extends', () => {
    const env = dictEnv({
      main: '{% block body %}[{{ x }}]{% endblock %}',
      't.txt': '{% extends "main" %}{% set x %}42{% endset %}',
    });
    expect(env.render('t.txt', {})).toBe('[42]');
  });

  it('TestBug.test_nested_for_else', () => {
    const tmpl = fromString(
      '{% for x in y %}{{ loop.index0 }}{% else %}' + '{% for i in range(3) %}{{ i }}{% endfor %}' + '{% endfor %}',
    );
    expect(tmpl()).toBe('012');
  });

  it('TestBug.test_macro_var_bug', () => {
    const tmpl = fromString(`
        {% set i = 1 %}
        {% macro test() %}
            {% for i in range(0, 10) %}{{ i }}{% endfor %}
        {% endmacro %}{{ test() }}
        `);
    expect(tmpl().trim()).toBe('0123456789');
  });

  it('TestBug.test_macro_var_bug_advanced', () => {
    const tmpl = fromString(`
        {% macro outer() %}
            {% set i = 1 %}
            {% macro test() %}
                {% for i in range(0, 10) %}{{ i }}{% endfor %}
            {% endmacro %}{{ test() }}
        {% endmacro %}{{ outer() }}
        `);
    expect(tmpl().trim()).toBe('0123456789');
  });

  it('TestBug.test_callable_defaults', () => {
    const env = environment();
    env.addGlobal('get_int', () => 42);
    const t = renderIn(
      env,
      `
        {% macro test(a, b, c=get_int()) -%}
             {{ a + b + c }}
        {%- endmacro %}
        {{ test(1, 2) }}|{{ test(1, 2, 3) }}
        `,
    );
    expect(t.trim()).toBe('45|6');
  });

  it('TestBug.test_macro_escaping', () => {
    // Environment(autoescape=lambda x: False): a `.txt` template, not autoescaped.
    let template = '{% macro m() %}<html>{% endmacro %}';
    template += '{% autoescape true %}{{ m() }}{% endautoescape %}';
    expect(fromString(template)()).toBeTruthy();
  });

  it('TestBug.test_macro_scoping', () => {
    const tmpl = fromString(`
        {% set n=[1,2,3,4,5] %}
        {% for n in [[1,2,3], [3,4,5], [5,6,7]] %}

        {% macro x(l) %}
          {{ l.pop() }}
          {% if l %}{{ x(l) }}{% endif %}
        {% endmacro %}

        {{ x(n) }}

        {% endfor %}
        `);
    expect(tmpl().split(/\s+/).filter(Boolean).map(Number)).toEqual([3, 2, 1, 5, 4, 3, 7, 6, 5]);
  });

  it('TestBug.test_scopes_and_blocks', () => {
    const env = dictEnv({
      'a.html': `
                {%- set foo = 'bar' -%}
                {% include 'x.html' -%}
            `,
      'b.html': `
                {%- set foo = 'bar' -%}
                {% block test %}{% include 'x.html' %}{% endblock -%}
                `,
      'c.html': `
                {%- set foo = 'bar' -%}
                {% block test %}{% set foo = foo
                    %}{% include 'x.html' %}{% endblock -%}
            `,
      'x.html': '{{ foo }}|{{ test }}',
    });
    expect(env.render('a.html', { test: 'x' }).trim()).toBe('bar|x');
    expect(env.render('b.html', { test: 'x' }).trim()).toBe('bar|x');
    expect(env.render('c.html', { test: 'x' }).trim()).toBe('bar|x');
  });

  it('TestBug.test_scopes_and_include', () => {
    const env = dictEnv({
      'include.html': '{{ var }}',
      'base.html': '{% include "include.html" %}',
      'child.html': '{% extends "base.html" %}{% set var = 42 %}',
    });
    expect(env.render('child.html', {})).toBe('42');
  });

  it('TestBug.test_caller_scoping', () => {
    // `t.module.link_detail("circle", "Index", "/")`: called at the end of the template, whose text is trimmed.
    const t = fromString(`
        {% macro detail(icon, value) -%}
          {% if value -%}
            <p><span class="fa fa-fw fa-{{ icon }}"></span>
                {%- if caller is undefined -%}
                    {{ value }}
                {%- else -%}
                    {{ caller(value, *varargs) }}
                {%- endif -%}</p>
          {%- endif %}
        {%- endmacro %}


        {% macro link_detail(icon, value, href) -%}
          {% call(value, href) detail(icon, value, href) -%}
            <a href="{{ href }}">{{ value }}</a>
          {%- endcall %}
        {%- endmacro %}
        {{- link_detail("circle", "Index", "/") }}`);
    expect(t().trim()).toBe('<p><span class="fa fa-fw fa-circle"></span><a href="/">Index</a></p>');
  });

  it('TestBug.test_variable_reuse', () => {
    let t = fromString('{% for x in x.y %}{{ x }}{% endfor %}');
    expect(t({ x: { y: [0, 1, 2] } })).toBe('012');

    t = fromString('{% for x in x.y %}{{ loop.index0 }}|{{ x }}{% endfor %}');
    expect(t({ x: { y: [0, 1, 2] } })).toBe('0|01|12|2');

    t = fromString('{% for x in x.y recursive %}{{ x }}{% endfor %}');
    expect(t({ x: { y: [0, 1, 2] } })).toBe('012');
  });

  it('TestBug.test_double_caller', () => {
    const t = fromString(
      '{% macro x(caller=none) %}[{% if caller %}' +
        '{{ caller() }}{% endif %}]{% endmacro %}' +
        '{{ x() }}{% call x() %}aha!{% endcall %}',
    );
    expect(t()).toBe('[][aha!]');
  });

  // The test's second half, `t.module.x(None, caller=lambda: 42)` raising a TypeError, calls a macro from Python: no
  // counterpart.
  it('TestBug.test_double_caller_no_default', () => {
    expect(() =>
      fromString('{% macro x(caller) %}[{% if caller %}' + '{{ caller() }}{% endif %}]{% endmacro %}')(),
    ).toThrow(/"caller" argument must be omitted or be given a default/);
  });

  it('TestBug.test_macro_blocks', () => {
    const t = fromString('{% macro x() %}{% block foo %}x{% endblock %}{% endmacro %}{{ x() }}');
    expect(t()).toBe('x');
  });

  it('TestBug.test_scoped_block', () => {
    const t = fromString('{% set x = 1 %}{% with x = 2 %}{% block y scoped %}' + '{{ x }}{% endblock %}{% endwith %}');
    expect(t()).toBe('2');
  });

  // DIFFERENCE: a loop filter (`{% for … if … %}`) is a syntax error in Flagon (docs/conformance.md): "{% for x in
  // items if … %} (a loop filter) is not read here".
  it.fails('TestBug.test_recursive_loop_filter', () => {
    const t = fromString(`
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          {%- for page in [site.root] if page.url != this recursive %}
          <url><loc>{{ page.url }}</loc></url>
          {{- loop(page.children) }}
          {%- endfor %}
        </urlset>
        `);
    const sm = t({
      this: '/foo',
      site: { root: { url: '/', children: [{ url: '/foo' }, { url: '/bar' }] } },
    });
    const lines = sm
      .split(/\r?\n/)
      .map((x) => x.trim())
      .filter(Boolean);
    expect(lines).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      '<url><loc>/</loc></url>',
      '<url><loc>/bar</loc></url>',
      '</urlset>',
    ]);
  });

  it('TestBug.test_empty_if', () => {
    const t = fromString('{% if foo %}{% else %}42{% endif %}');
    expect(t({ foo: false })).toBe('42');
  });

  it('TestBug.test_subproperty_if', () => {
    const t = fromString('{% if object1.subproperty1 is eq object2.subproperty2 %}42{% endif %}');
    expect(t({ object1: { subproperty1: 'value' }, object2: { subproperty2: 'value' } })).toBe('42');
  });

  it('TestBug.test_set_and_include', () => {
    const env = dictEnv({
      inc: 'bar',
      main: '{% set foo = "foo" %}{{ foo }}{% include "inc" %}',
    });
    expect(env.render('main', {})).toBe('foobar');
  });

  it('TestBug.test_loop_include', () => {
    const env = dictEnv({
      inc: '{{ i }}',
      main: '{% for i in [1, 2, 3] %}{% include "inc" %}{% endfor %}',
    });
    expect(env.render('main', {})).toBe('123');
  });

  it.skip('TestBug.test_grouper_repr', () => {
    /* N/A: jinja2.filters._GroupTuple, its Python repr() and str(). */
  });

  it.skip('TestBug.test_custom_context', () => {
    /* N/A: an Environment subclass with its own `context_class`, Python internals Flagon does not expose. */
  });

  it('TestBug.test_recursive_loop_bug', () => {
    const tmpl = fromString('{%- for value in values recursive %}1{% else %}0{% endfor -%}');
    expect(tmpl({ values: [] })).toBe('0');
  });

  it.skip('TestBug.test_markup_and_chainable_undefined', () => {
    /* N/A: str(Markup(ChainableUndefined())), Python objects with no JavaScript counterpart. */
  });

  it('TestBug.test_scoped_block_loop_vars', () => {
    const tmpl = fromString(`\
Start
{% for i in ["foo", "bar"] -%}
{% block body scoped -%}
{{ loop.index }}) {{ i }}{% if loop.last %} last{% endif -%}
{%- endblock %}
{% endfor -%}
End`);
    expect(tmpl()).toBe('Start\n1) foo\n2) bar last\nEnd');
  });

  it.skip('TestBug.test_pass_context_loop_vars', () => {
    /* N/A: a @pass_context global reading ctx['i']; the row below prints the names instead. */
  });

  // DIFFERENCE: a `{% set %}` inside a loop keeps its value into the next iteration and leaks out to a name set before
  // the loop (docs/conformance.md): "42\n01\n01\n01\n12\n12\n1", Jinja's "42\n01\n01\n42\n12\n12\n42".
  it.fails('TestBug.test_pass_context_loop_vars ({{ test() }} printed as {{ i }}{{ j }})', () => {
    // Jinja renders this source to the same output as the test's (checked with jinja2 3.1.6).
    const tmpl = fromString(`\
{% set i = 42 %}
{%- for idx in range(2) -%}
{{ i }}{{ j }}
{% set i = idx -%}
{%- set j = loop.index -%}
{{ i }}{{ j }}
{{ i }}{{ j }}
{% endfor -%}
{{ i }}{{ j }}`);
    expect(tmpl()).toBe('42\n01\n01\n42\n12\n12\n42');
  });

  it.skip('TestBug.test_pass_context_scoped_loop_vars', () => {
    /* N/A: a @pass_context global reading ctx['i']; the row below prints the name instead. */
  });

  // DIFFERENCE: a `{% set %}` inside a loop keeps its value into the next iteration and leaks out to a name set before
  // the loop (docs/conformance.md): "42\n0\n0\n1\n1", Jinja's "42\n0\n42\n1\n42".
  it.fails('TestBug.test_pass_context_scoped_loop_vars ({{ test() }} printed as {{ i }})', () => {
    // Jinja renders this source to the same output as the test's (checked with jinja2 3.1.6).
    const tmpl = fromString(`\
{% set i = 42 %}
{%- for idx in range(2) -%}
{{ i }}
{%- set i = loop.index0 -%}
{% block body scoped %}
{{ i }}
{% endblock -%}
{% endfor -%}
{{ i }}`);
    expect(tmpl()).toBe('42\n0\n42\n1\n42');
  });

  it.skip('TestBug.test_pass_context_in_blocks', () => {
    /* N/A: a @pass_context global reading ctx['i']; the row below prints the name instead. */
  });

  it('TestBug.test_pass_context_in_blocks ({{ test() }} printed as {{ i }})', () => {
    // Jinja renders this source to the same output as the test's (checked with jinja2 3.1.6).
    const tmpl = fromString(`\
{%- set i = 42 -%}
{{ i }}
{% block body -%}
{% set i = 24 -%}
{{ i }}
{% endblock -%}
{{ i }}`);
    expect(tmpl()).toBe('42\n24\n42');
  });

  it.skip('TestBug.test_pass_context_block_and_loop', () => {
    /* N/A: a @pass_context global reading ctx['i']; the row below prints the name instead. */
  });

  // DIFFERENCE: a `{% set %}` inside a loop keeps its value into the next iteration and leaks out to a name set before
  // the loop (docs/conformance.md): "42\n0\n24\n0\n0\n1\n24\n1\n1", Jinja's "42\n0\n24\n0\n42\n1\n24\n1\n42".
  it.fails('TestBug.test_pass_context_block_and_loop ({{ test() }} printed as {{ i }})', () => {
    // Jinja renders this source to the same output as the test's (checked with jinja2 3.1.6).
    const tmpl = fromString(`\
{%- set i = 42 -%}
{% for idx in range(2) -%}
{{ i }}
{%- set i = idx -%}
{% block body scoped %}
{{ i }}
{% set i = 24 -%}
{{ i }}
{% endblock -%}
{{ i }}
{% endfor -%}
{{ i }}`);

    // values set within a block or loop should not
    // show up outside of it
    expect(tmpl()).toBe('42\n0\n24\n0\n42\n1\n24\n1\n42');
  });

  it.skip('TestBug.test_cached_extends', () => {
    /* N/A: env.get_template(name, globals={…}), template globals over the Environment's, and its template cache. */
  });

  it('TestBug.test_nested_loop_scoping', () => {
    const tmpl = fromString('{% set output %}{% for x in [1,2,3] %}hello{% endfor %}' + '{% endset %}{{ output }}');
    expect(tmpl()).toBe('hellohellohello');
  });

  it('TestBug.test_pass_context_with_select', () => {
    // @pass_context (the context as first argument, asserted not None) has no counterpart: a plain test function.
    const env = environment();
    env.addTest('foo', (s: unknown) => s === 'foo');
    expect(renderIn(env, "{% for x in ['one', 'foo'] | select('foo') %}{{ x }}{% endfor %}")).toBe('foo');
  });

  it('test_load_parameter_when_set_in_all_if_branches', () => {
    const tmpl = fromString(
      '{% if True %}{{ a.b }}{% set a = 1 %}' +
        '{% elif False %}{% set a = 2 %}' +
        '{% else %}{% set a = 3 %}{% endif %}' +
        '{{ a }}',
    );
    expect(tmpl({ a: { b: 0 } })).toBe('01');
  });

  it('test_unicode_whitespace', () => {
    for (const unicodeChar of ['\f', '\x85']) {
      const content = `Lorem ipsum\n${unicodeChar}\nMore text`;
      const tmpl = fromString(content);
      expect(tmpl()).toBe(content);
    }
  });
});
