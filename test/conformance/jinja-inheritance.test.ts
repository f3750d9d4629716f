import { describe, expect, it } from 'vitest';
import { type NunjucksRenderer, TemplateError, TemplateSyntaxError } from '../../src/templating/index.js';
import { jinjaEnvironment } from './jinja-support.js';

const LAYOUTTEMPLATE = `\
|{% block block1 %}block 1 from layout{% endblock %}
|{% block block2 %}block 2 from layout{% endblock %}
|{% block block3 %}
{% block block4 %}nested block 4 from layout{% endblock %}
{% endblock %}|`;

const LEVEL1TEMPLATE = `\
{% extends "layout" %}
{% block block1 %}block 1 from level1{% endblock %}`;

const LEVEL2TEMPLATE = `\
{% extends "level1" %}
{% block block2 %}{% block block5 %}nested block 5 from level2{%
endblock %}{% endblock %}`;

const LEVEL3TEMPLATE = `\
{% extends "level2" %}
{% block block5 %}block 5 from level3{% endblock %}
{% block block4 %}block 4 from level3{% endblock %}
`;

const LEVEL4TEMPLATE = `\
{% extends "level3" %}
{% block block3 %}block 3 from level4{% endblock %}
`;

const WORKINGTEMPLATE = `\
{% extends "layout" %}
{% block block1 %}
  {% if false %}
    {% block block2 %}
      this should work
    {% endblock %}
  {% endif %}
{% endblock %}
`;

const DOUBLEEXTENDS = `\
{% extends "layout" %}
{% extends "layout" %}
{% block block1 %}
  {% if false %}
    {% block block2 %}
      this should work
    {% endblock %}
  {% endif %}
{% endblock %}
`;

const { dictEnv } = jinjaEnvironment('inheritance');

/** The module's `env` fixture: Jinja's `trim_blocks=True` applied to the sources (the newline after a tag dropped). */
function fixtureEnv(): NunjucksRenderer {
  const templates = {
    layout: LAYOUTTEMPLATE,
    level1: LEVEL1TEMPLATE,
    level2: LEVEL2TEMPLATE,
    level3: LEVEL3TEMPLATE,
    level4: LEVEL4TEMPLATE,
    working: WORKINGTEMPLATE,
    doublee: DOUBLEEXTENDS,
  };
  return dictEnv(
    Object.fromEntries(Object.entries(templates).map(([name, source]) => [name, source.replace(/%}\n/g, '%}')])),
  );
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('jinja tests/test_inheritance.py', () => {
  it('TestInheritance.test_layout', () => {
    expect(fixtureEnv().render('layout', {})).toBe(
      '|block 1 from layout|block 2 from layout|nested block 4 from layout|',
    );
  });

  it('TestInheritance.test_level1', () => {
    expect(fixtureEnv().render('level1', {})).toBe(
      '|block 1 from level1|block 2 from layout|nested block 4 from layout|',
    );
  });

  it('TestInheritance.test_level2', () => {
    expect(fixtureEnv().render('level2', {})).toBe(
      '|block 1 from level1|nested block 5 from level2|nested block 4 from layout|',
    );
  });

  it('TestInheritance.test_level3', () => {
    expect(fixtureEnv().render('level3', {})).toBe('|block 1 from level1|block 5 from level3|block 4 from level3|');
  });

  it('TestInheritance.test_level4', () => {
    expect(fixtureEnv().render('level4', {})).toBe('|block 1 from level1|block 5 from level3|block 3 from level4|');
  });

  it('TestInheritance.test_super', () => {
    const env = dictEnv({
      a: '{% block intro %}INTRO{% endblock %}|BEFORE|{% block data %}INNER{% endblock %}|AFTER',
      b: '{% extends "a" %}{% block data %}({{ super() }}){% endblock %}',
      c: '{% extends "b" %}{% block intro %}--{{ super() }}--{% endblock %}\n{% block data %}[{{ super() }}]{% endblock %}',
    });
    expect(env.render('c', {})).toBe('--INTRO--|BEFORE|[(INNER)]|AFTER');
  });

  it('TestInheritance.test_working', () => {
    // Jinja only loads the template; Flagon compiles a template when it renders it.
    expect(() => fixtureEnv().render('working', {})).not.toThrow();
  });

  it('TestInheritance.test_reuse_blocks', () => {
    expect(fixtureEnv().renderString('{{ self.foo() }}|{% block foo %}42{% endblock %}|{{ self.foo() }}', {})).toBe(
      '42|42|42',
    );
  });

  it('TestInheritance.test_preserve_blocks', () => {
    const env = dictEnv({
      a: '{% if false %}{% block x %}A{% endblock %}{% endif %}{{ self.x() }}',
      b: '{% extends "a" %}{% block x %}B{{ super() }}{% endblock %}',
    });
    expect(env.render('b', {})).toBe('BA');
  });

  it('TestInheritance.test_dynamic_inheritance', () => {
    const env = dictEnv({
      default1: 'DEFAULT1{% block x %}{% endblock %}',
      default2: 'DEFAULT2{% block x %}{% endblock %}',
      child: '{% extends default %}{% block x %}CHILD{% endblock %}',
    });
    for (const m of [1, 2]) expect(env.render('child', { default: `default${m}` })).toBe(`DEFAULT${m}CHILD`);
  });

  it('TestInheritance.test_multi_inheritance', () => {
    const env = dictEnv({
      default1: 'DEFAULT1{% block x %}{% endblock %}',
      default2: 'DEFAULT2{% block x %}{% endblock %}',
      child:
        "{% if default %}{% extends default %}{% else %}{% extends 'default1' %}{% endif %}{% block x %}CHILD{% endblock %}",
    });
    expect(env.render('child', { default: 'default2' })).toBe('DEFAULT2CHILD');
    expect(env.render('child', { default: 'default1' })).toBe('DEFAULT1CHILD');
    expect(env.render('child', {})).toBe('DEFAULT1CHILD');
  });

  it('TestInheritance.test_scoped_block', () => {
    const env = dictEnv({
      'default.html': '{% for item in seq %}[{% block item scoped %}{% endblock %}]{% endfor %}',
    });
    const t = "{% extends 'default.html' %}{% block item %}{{ item }}{% endblock %}";
    expect(env.renderString(t, { seq: range(5) })).toBe('[0][1][2][3][4]');
  });

  it('TestInheritance.test_super_in_scoped_block', () => {
    const env = dictEnv({
      'default.html': '{% for item in seq %}[{% block item scoped %}{{ item }}{% endblock %}]{% endfor %}',
    });
    const t = '{% extends "default.html" %}{% block item %}{{ super() }}|{{ item * 2 }}{% endblock %}';
    expect(env.renderString(t, { seq: range(5) })).toBe('[0|0][1|2][2|4][3|6][4|8]');
  });

  it('TestInheritance.test_scoped_block_after_inheritance', () => {
    const env = dictEnv({
      'layout.html': `
            {% block useless %}{% endblock %}
            `,
      'index.html': `
            {%- extends 'layout.html' %}
            {% from 'helpers.html' import foo with context %}
            {% block useless %}
                {% for x in [1, 2, 3] %}
                    {% block testing scoped %}
                        {{ foo(x) }}
                    {% endblock %}
                {% endfor %}
            {% endblock %}
            `,
      'helpers.html': `
            {% macro foo(x) %}{{ the_foo + x }}{% endmacro %}
            `,
    });
    expect(env.render('index.html', { the_foo: 42 }).split(/\s+/).filter(Boolean)).toEqual(['43', '44', '45']);
  });

  it('TestInheritance.test_level1_required', () => {
    const env = dictEnv({
      default: '{% block x required %}{# comment #}\n {% endblock %}',
      level1: "{% extends 'default' %}{% block x %}[1]{% endblock %}",
    });
    expect(env.render('level1', {})).toBe('[1]');
  });

  it('TestInheritance.test_level2_required', () => {
    const env = dictEnv({
      default: '{% block x required %}{% endblock %}',
      level1: "{% extends 'default' %}{% block x %}[1]{% endblock %}",
      level2: "{% extends 'default' %}{% block x %}[2]{% endblock %}",
    });
    expect(env.render('level1', {})).toBe('[1]');
    expect(env.render('level2', {})).toBe('[2]');
  });

  it('TestInheritance.test_level3_required', () => {
    const env = dictEnv({
      default: '{% block x required %}{% endblock %}',
      level1: "{% extends 'default' %}",
      level2: "{% extends 'level1' %}{% block x %}[2]{% endblock %}",
      level3: "{% extends 'level2' %}",
    });
    expect(() => env.render('level1', {})).toThrow(/Required block 'x' not found/);
    expect(env.render('level2', {})).toBe('[2]');
    expect(env.render('level3', {})).toBe('[2]');
  });

  it('TestInheritance.test_invalid_required', () => {
    const env = dictEnv({
      empty: '{% block x required %}{% endblock %}',
      blank: '{% block x required %} {# c #}{% endblock %}',
      text: '{% block x required %}data {# c #}{% endblock %}',
      block: '{% block x required %}{% block y %}{% endblock %}{% endblock %}',
      if: '{% block x required %}{% if true %}{% endif %}{% endblock %}',
      top: '{% extends t %}{% block x %}CHILD{% endblock %}',
    });
    expect(env.render('top', { t: 'empty' })).toBe('CHILD');
    expect(env.render('top', { t: 'blank' })).toBe('CHILD');
    for (const t of ['text', 'block', 'if']) {
      expect(() => env.render('top', { t })).toThrow(TemplateSyntaxError);
      expect(() => env.render('top', { t })).toThrow(/Required blocks can only contain comments or whitespace/);
    }
  });

  it('TestInheritance.test_required_with_scope', () => {
    const env = dictEnv({
      default1: '{% for item in seq %}[{% block item scoped required %}{% endblock %}]{% endfor %}',
      child1: "{% extends 'default1' %}{% block item %}{{ item }}{% endblock %}",
      default2: '{% for item in seq %}[{% block item required scoped %}{% endblock %}]{% endfor %}',
      child2: "{% extends 'default2' %}{% block item %}{{ item }}{% endblock %}",
    });
    expect(env.render('child1', { seq: range(3) })).toBe('[0][1][2]');
    // scoped must come before required
    expect(() => env.render('child2', { seq: range(3) })).toThrow(TemplateSyntaxError);
  });

  // Passes because nunjucks reads neither `scoped` nor `required`: any block modifier is a syntax error.
  it('TestInheritance.test_duplicate_required_or_scoped', () => {
    const env = dictEnv({
      default1: '{% for item in seq %}[{% block item scoped scoped %}}{{% endblock %}}]{{% endfor %}}',
      default2: '{% for item in seq %}[{% block item required required %}}{{% endblock %}}]{{% endfor %}}',
      child:
        "{% if default %}{% extends default %}{% else %}{% extends 'default1' %}{% endif %}{%- block x %}CHILD{% endblock %}",
    });
    expect(() => env.render('child', { default: 'default1', seq: range(3) })).toThrow(TemplateSyntaxError);
    expect(() => env.render('child', { default: 'default2', seq: range(3) })).toThrow(TemplateSyntaxError);
  });

  it('TestBugFix.test_fixed_macro_scoping_bug', () => {
    const env = dictEnv({
      'test.html': `\
        {% extends 'details.html' %}

        {% macro my_macro() %}
        my_macro
        {% endmacro %}

        {% block inner_box %}
            {{ my_macro() }}
        {% endblock %}
            `,
      'details.html': `\
        {% extends 'standard.html' %}

        {% macro my_macro() %}
        my_macro
        {% endmacro %}

        {% block content %}
            {% block outer_box %}
                outer_box
                {% block inner_box %}
                    inner_box
                {% endblock %}
            {% endblock %}
        {% endblock %}
        `,
      'standard.html': `
        {% block content %}&nbsp;{% endblock %}
        `,
    });
    expect(env.render('test.html', {}).split(/\s+/).filter(Boolean)).toEqual(['outer_box', 'my_macro']);
  });

  it('TestBugFix.test_double_extends', () => {
    expect(() => fixtureEnv().render('doublee', {})).toThrow(TemplateError);
    expect(() => fixtureEnv().render('doublee', {})).toThrow(/extended multiple times/);
  });
});
