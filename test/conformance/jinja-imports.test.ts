import { describe, expect, it } from 'vitest';
import {
  type NunjucksRenderer,
  TemplateError,
  TemplateNotFound,
  TemplateSyntaxError,
} from '../../src/templating/index.js';
import { jinjaEnvironment } from './jinja-support.js';

const { dictEnv } = jinjaEnvironment('imports');

/** The module's `test_env` fixture (plus "foo", which the syntax tests import from). */
function testEnv(): NunjucksRenderer {
  const env = dictEnv({
    module: '{% macro test() %}[{{ foo }}|{{ bar }}]{% endmacro %}',
    header: '[{{ foo }}|{{ 23 }}]',
    o_printer: '({{ o }})',
    foo: '{% macro bar() %}{% endmacro %}{% macro baz() %}{% endmacro %}',
  });
  env.addGlobal('bar', 23);
  return env;
}

/** Whether Jinja's `from_string(source)` would succeed: rendering it raises no syntax error. */
function parses(env: NunjucksRenderer, source: string): boolean {
  try {
    env.renderString(source, {});
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return false;
  }
  return true;
}

describe('jinja tests/test_imports.py', () => {
  it('TestImports.test_context_imports', () => {
    const env = testEnv();
    expect(env.renderString('{% import "module" as m %}{{ m.test() }}', { foo: 42 })).toBe('[|23]');
    expect(env.renderString('{% import "module" as m without context %}{{ m.test() }}', { foo: 42 })).toBe('[|23]');
    expect(env.renderString('{% import "module" as m with context %}{{ m.test() }}', { foo: 42 })).toBe('[42|23]');
    expect(env.renderString('{% from "module" import test %}{{ test() }}', { foo: 42 })).toBe('[|23]');
    expect(env.renderString('{% from "module" import test without context %}{{ test() }}', { foo: 42 })).toBe('[|23]');
    expect(env.renderString('{% from "module" import test with context %}{{ test() }}', { foo: 42 })).toBe('[42|23]');
  });

  it('TestImports.test_import_needs_name', () => {
    const env = testEnv();
    expect(parses(env, '{% from "foo" import bar %}')).toBe(true);
    expect(parses(env, '{% from "foo" import bar, baz %}')).toBe(true);
    expect(parses(env, '{% from "foo" import %}')).toBe(false);
  });

  it('TestImports.test_no_trailing_comma', () => {
    const env = testEnv();
    expect(parses(env, '{% from "foo" import bar, %}')).toBe(false);
    expect(parses(env, '{% from "foo" import bar,, %}')).toBe(false);
    expect(parses(env, '{% from "foo" import, %}')).toBe(false);
  });

  it('TestImports.test_trailing_comma_with_context', () => {
    const env = testEnv();
    expect(parses(env, '{% from "foo" import bar, baz with context %}')).toBe(true);
    expect(parses(env, '{% from "foo" import bar, with, context %}')).toBe(true);
    expect(parses(env, '{% from "foo" import bar, with with context %}')).toBe(true);
    expect(parses(env, '{% from "foo" import bar,, with context %}')).toBe(false);
    expect(parses(env, '{% from "foo" import bar with context, %}')).toBe(false);
  });

  it('TestImports.test_trailing_comma_with_context (a comma before `with context`)', () => {
    const env = testEnv();
    expect(parses(env, '{% from "foo" import bar, baz, with context %}')).toBe(true);
    expect(parses(env, '{% from "foo" import bar, with context %}')).toBe(true);
  });

  it('TestImports.test_exports', () => {
    // Jinja's `Template.module` is the template imported by another: `m.x is defined` stands for `hasattr(m, "x")`.
    const env = dictEnv({
      exports: `
            {% macro toplevel() %}...{% endmacro %}
            {% macro __private() %}...{% endmacro %}
            {% set variable = 42 %}
            {% for item in [1] %}
                {% macro notthere() %}{% endmacro %}
            {% endfor %}
        `,
    });
    expect(
      env.renderString(
        "{% import 'exports' as m %}{{ m.toplevel() }}|{% if m.__missing is not defined %}no __missing{% endif %}" +
          '|{{ m.variable }}|{% if m.notthere is not defined %}no notthere{% endif %}',
        {},
      ),
    ).toBe('...|no __missing|42|no notthere');
  });

  it('TestImports.test_not_exported', () => {
    const env = testEnv();
    expect(() => env.renderString("{% from 'module' import nothing %}{{ nothing() }}", {})).toThrow(TemplateError);
  });

  // DIFFERENCE: Flagon fails at the import ("cannot import 'nothing'"), even when the name is never used, where Jinja
  // fails where the name is used, saying the template "does not export the requested name".
  it.fails('TestImports.test_not_exported (the message)', () => {
    const env = testEnv();
    expect(() => env.renderString("{% from 'module' import nothing %}{{ nothing() }}", {})).toThrow(
      /does not export the requested name/,
    );
  });

  it('TestImports.test_import_with_globals', () => {
    const env = testEnv();
    env.addGlobal('foo', 42);
    expect(env.renderString('{% import "module" as m %}{{ m.test() }}', {})).toBe('[42|23]');

    expect(testEnv().renderString('{% import "module" as m %}{{ m.test() }}', {})).toBe('[|23]');
  });

  it('TestImports.test_import_with_globals_override', () => {
    const env = testEnv();
    env.addGlobal('foo', 42);
    expect(env.renderString('{% set foo = 41 %}{% import "module" as m %}{{ m.test() }}', {})).toBe('[42|23]');
  });

  it('TestImports.test_from_import_with_globals', () => {
    const env = testEnv();
    env.addGlobal('foo', 42);
    expect(env.renderString('{% from "module" import test %}{{ test() }}', {})).toBe('[42|23]');
  });

  it('TestIncludes.test_context_include', () => {
    expect(testEnv().renderString('{% include "header" %}', { foo: 42 })).toBe('[42|23]');
  });

  it('TestIncludes.test_context_include (with context, without context)', () => {
    const env = testEnv();
    expect(env.renderString('{% include "header" with context %}', { foo: 42 })).toBe('[42|23]');
    expect(env.renderString('{% include "header" without context %}', { foo: 42 })).toBe('[|23]');
  });

  it('TestIncludes.test_choice_includes (a name in a variable)', () => {
    expect(testEnv().renderString('{% include x %}', { x: 'header', foo: 42 })).toBe('[42|23]');
  });

  it('TestIncludes.test_choice_includes', () => {
    const env = testEnv();
    expect(env.renderString('{% include ["missing", "header"] %}', { foo: 42 })).toBe('[42|23]');
    expect(env.renderString('{% include ["missing", "missing2"] ignore missing %}', { foo: 42 })).toBe('');
    expect(() => env.renderString('{% include ["missing", "missing2"] %}', {})).toThrow(TemplateNotFound);
    expect(() => env.renderString('{% include ["missing", "missing2"] %}', {})).toThrow(/missing, missing2/);

    const testIncludes = (t: string, ctx: Record<string, unknown> = {}): void => {
      expect(env.renderString(t, { ...ctx, foo: 42 })).toBe('[42|23]');
    };
    testIncludes('{% include ["missing", "header"] %}');
    testIncludes('{% include x %}', { x: ['missing', 'header'] });
    testIncludes('{% include [x, "header"] %}', { x: 'missing' });
    testIncludes('{% include x %}', { x: 'header' });
    testIncludes('{% include [x] %}', { x: 'header' });
  });

  it('TestIncludes.test_include_ignoring_missing', () => {
    const env = testEnv();
    expect(() => env.renderString('{% include "missing" %}', {})).toThrow(TemplateNotFound);
    expect(env.renderString('{% include "missing" ignore missing %}', {})).toBe('');
  });

  it('TestIncludes.test_include_ignoring_missing (with context, without context)', () => {
    const env = testEnv();
    for (const extra of ['with context', 'without context']) {
      expect(env.renderString(`{% include "missing" ignore missing ${extra} %}`, {})).toBe('');
    }
  });

  it('TestIncludes.test_context_include_with_overrides', () => {
    const env = dictEnv({
      main: "{% for item in [1, 2, 3] %}{% include 'item' %}{% endfor %}",
      item: '{{ item }}',
    });
    expect(env.render('main', {})).toBe('123');
  });

  it('TestIncludes.test_unoptimized_scopes', () => {
    const t = `
            {% macro outer(o) %}
            {% macro inner() %}
            {% include "o_printer" %}
            {% endmacro %}
            {{ inner() }}
            {% endmacro %}
            {{ outer("FOO") }}
        `;
    expect(testEnv().renderString(t, {}).trim()).toBe('(FOO)');
  });

  it('TestIncludes.test_import_from_with_context', () => {
    const env = dictEnv({ a: '{% macro x() %}{{ foobar }}{% endmacro %}' });
    expect(env.renderString("{% set foobar = 42 %}{% from 'a' import x with context %}{{ x() }}", {})).toBe('42');
  });
});
