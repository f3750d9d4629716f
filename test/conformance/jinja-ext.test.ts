/**
 * Port of Jinja's tests/test_ext.py (github.com/pallets/jinja, tag 3.1.6, commit
 * 15206881c006c79667fe5154fe80c01c65410679) to Flagon. BSD-3-Clause, Copyright 2007 Pallets: see LICENSE-pallets.txt.
 * A plain `Environment()` is `fromString`; `Environment(autoescape=True)` is `renderer.renderString`. Flagon has no
 * extensions API (Extension classes, preprocessors, stream filters, custom nodes) and no i18n (`{% trans %}`,
 * gettext): those rows are skipped. `{% do %}` (jinja2.ext.do) is always on in Flagon; `{% break %}`/`{% continue %}`
 * (jinja2.ext.loopcontrols) and `{% debug %}` (jinja2.ext.debug) are missing.
 */
import { describe, expect, it } from 'vitest';
import { jinjaEnvironment } from './jinja-support.js';

const { renderer, fromString, render } = jinjaEnvironment('ext');

/** `Environment(autoescape=True).from_string(source).render(**context)`. */
const renderEscaped = (source: string, context: Record<string, unknown> = {}): string =>
  renderer.renderString(source, context);

describe('jinja tests/test_ext.py', () => {
  it('TestExtensions.test_extend_late', () => {
    expect(render('{% autoescape true %}{{ "<test>" }}{% endautoescape %}')).toBe('&lt;test&gt;');
  });

  it('TestExtensions.test_loop_controls', () => {
    let tmpl = fromString(`
            {%- for item in [1, 2, 3, 4] %}
                {%- if item % 2 == 0 %}{% continue %}{% endif -%}
                {{ item }}
            {%- endfor %}`);
    expect(tmpl()).toBe('13');

    tmpl = fromString(`
            {%- for item in [1, 2, 3, 4] %}
                {%- if item > 2 %}{% break %}{% endif -%}
                {{ item }}
            {%- endfor %}`);
    expect(tmpl()).toBe('12');
  });

  it('TestExtensions.test_do', () => {
    // Environment(extensions=["jinja2.ext.do"]): `{% do %}` is always on in Flagon.
    const tmpl = fromString(`
            {%- set items = [] %}
            {%- for char in "foo" %}
                {%- do items.append(loop.index0 ~ char) %}
            {%- endfor %}{{ items|join(', ') }}`);
    expect(tmpl()).toBe('0f, 1o, 2o');
  });

  it.skip('TestExtensions.test_extension_nodes', () => {
    /* N/A: an Extension class with its own tag and AST nodes; Flagon has no extensions API. */
  });

  it.skip('TestExtensions.test_contextreference_node_passes_context', () => {
    /* N/A: an Extension class and nodes.ContextReference. */
  });

  it.skip('TestExtensions.test_contextreference_node_can_pass_locals', () => {
    /* N/A: an Extension class and nodes.DerivedContextReference. */
  });

  it.skip('TestExtensions.test_identifier', () => {
    /* N/A: Extension.identifier, a Python class's import path. */
  });

  it.skip('TestExtensions.test_rebinding', () => {
    /* N/A: env.overlay() and the extensions bound to each environment. */
  });

  it.skip('TestExtensions.test_preprocessor_extension', () => {
    /* N/A: Extension.preprocess, a hook on the template source. */
  });

  it.skip('TestExtensions.test_streamfilter_extension', () => {
    /* N/A: Extension.filter_stream, a hook on the lexer's token stream. */
  });

  it.skip('TestExtensions.test_extension_ordering', () => {
    /* N/A: Extension.priority and env.iter_extensions(). */
  });

  // MISSING: the `{% debug %}` tag (jinja2.ext.debug, which prints the context, filters and tests with pprint):
  // "unknown block tag: debug".
  it.fails('TestExtensions.test_debug', () => {
    const out = fromString('Hello\n{% debug %}\nGoodbye')();
    for (const value of ['context', 'cycler', 'filters', 'abs', 'tests', '!=']) expect(out).toContain(`'${value}'`);
  });

  // N/A: jinja2.ext.i18n (`{% trans %}`, `{% pluralize %}`, the trimmed policy, install_gettext_callables) and
  // babel_extract; Flagon has no i18n extension.
  for (const name of [
    'test_trans',
    'test_trans_plural',
    'test_trans_plural_with_functions',
    'test_complex_plural',
    'test_trans_stringformatting',
    'test_trimmed',
    'test_trimmed_policy',
    'test_trimmed_policy_override',
    'test_trimmed_vars',
    'test_trimmed_varname_trimmed',
    'test_extract',
    'test_extract_trimmed',
    'test_extract_trimmed_option',
    'test_comment_extract',
    'test_extract_context',
    'test_nested_trans_error',
    'test_trans_block_error',
  ])
    it.skip(`TestInternationalization.${name}`, () => {});

  it.skip('TestScope.test_basic_scope_behavior', () => {
    /* N/A: an Extension class with its own `{% scope %}` tag built from nodes.Scope. */
  });

  // N/A: jinja2.ext.i18n with newstyle gettext (install_gettext_callables(…, newstyle=True)), and the Python source
  // Jinja compiles a `{% trans %}` to; Flagon has no i18n extension.
  for (const name of [
    'test_trans',
    'test_trans_plural',
    'test_complex_plural',
    'test_trans_stringformatting',
    'test_newstyle_plural',
    'test_autoescape_support',
  ])
    it.skip(`TestNewstyleInternationalization.${name}`, () => {});

  it('TestNewstyleInternationalization.test_autoescape_macros', () => {
    // Environment(autoescape=False).
    const template = '{% macro m() %}<html>{% endmacro %}{% autoescape true %}{{ m() }}{% endautoescape %}';
    expect(render(template)).toBe('<html>');
  });

  for (const name of [
    'test_num_used_twice',
    'test_num_called_num',
    'test_trans_vars',
    'test_novars_vars_escaping',
    'test_context',
    'test_context_plural',
    'test_context_block',
    'test_context_plural_block',
  ])
    it.skip(`TestNewstyleInternationalization.${name}`, () => {});

  it('TestAutoEscape.test_scoped_setting', () => {
    let output = renderEscaped(`
            {{ "<HelloWorld>" }}
            {% autoescape false %}
                {{ "<HelloWorld>" }}
            {% endautoescape %}
            {{ "<HelloWorld>" }}
        `);
    expect(output.split(/\s+/).filter(Boolean)).toEqual(['&lt;HelloWorld&gt;', '<HelloWorld>', '&lt;HelloWorld&gt;']);

    output = render(`
            {{ "<HelloWorld>" }}
            {% autoescape true %}
                {{ "<HelloWorld>" }}
            {% endautoescape %}
            {{ "<HelloWorld>" }}
        `);
    expect(output.split(/\s+/).filter(Boolean)).toEqual(['<HelloWorld>', '&lt;HelloWorld&gt;', '<HelloWorld>']);
  });

  it('TestAutoEscape.test_nonvolatile (autoescape on)', () => {
    expect(renderEscaped('{{ {"foo": "<test>"}|xmlattr|escape }}')).toBe(' foo="&lt;test&gt;"');
  });

  // DIFFERENCE: `"` is escaped as `&quot;` (docs/conformance.md): ' foo=&quot;&amp;lt;test&amp;gt;&quot;', Jinja's
  // ' foo=&#34;&amp;lt;test&amp;gt;&#34;'.
  it.fails('TestAutoEscape.test_nonvolatile (in {% autoescape false %})', () => {
    const tmpl = '{% autoescape false %}{{ {"foo": "<test>"}|xmlattr|escape }}{% endautoescape %}';
    expect(renderEscaped(tmpl)).toBe(' foo=&#34;&amp;lt;test&amp;gt;&#34;');
  });

  // MISSING: `{% autoescape %}` with an expression decided when rendering (`{% autoescape foo %}`): a
  // TemplateSyntaxError in Flagon ("autoescape takes true or false"). (Were it read, the first assertion would still
  // differ by `&quot;`.)
  it.fails('TestAutoEscape.test_volatile', () => {
    const tmpl = '{% autoescape foo %}{{ {"foo": "<test>"}|xmlattr|escape }}{% endautoescape %}';
    expect(renderEscaped(tmpl, { foo: false })).toBe(' foo=&#34;&amp;lt;test&amp;gt;&#34;');
    expect(renderEscaped(tmpl, { foo: true })).toBe(' foo="&lt;test&gt;"');
  });

  it('TestAutoEscape.test_scoping', () => {
    const tmpl = fromString('{% autoescape true %}{% set x = "<x>" %}{{ x }}{% endautoescape %}{{ x }}{{ "<y>" }}');
    expect(tmpl({ x: 1 })).toBe('&lt;x&gt;1<y>');
  });

  it.skip('TestAutoEscape.test_volatile_scoping', () => {
    /* N/A: `foo().__class__.__name__` (Markup or str, Python class names) and env.compile(…, raw=True), the Python
     * source Jinja generates. (`{% autoescape val %}` itself is test_volatile's.) */
  });

  it.skip('TestAutoEscape.test_overlay_scopes', () => {
    /* N/A: an Extension class with its own `{% overlay %}` tag built from nodes.OverlayScope. */
  });
});
