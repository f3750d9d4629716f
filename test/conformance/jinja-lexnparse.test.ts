import { describe, expect, it } from 'vitest';
import { NunjucksRenderer, type TemplateSyntax, TemplateSyntaxError } from '../../src/templating/index.js';
import { jinjaEnvironment } from './jinja-support.js';

const { root, render, fromString } = jinjaEnvironment('lexnparse');

/** The TemplateSyntaxError a source raises, or null: Jinja's `env.from_string(source)`, which only compiles. */
function syntaxError(source: string, context: Record<string, unknown> = {}): TemplateSyntaxError | null {
  try {
    render(source, context);
    return null;
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return error;
    return null; // an error while rendering (something undefined called): the template parsed
  }
}

/** Jinja's Environment options; the positional ones (delimiters, line statement prefixes) by their keyword names. */
interface JinjaOptions {
  block_start_string?: string;
  block_end_string?: string;
  variable_start_string?: string;
  variable_end_string?: string;
  comment_start_string?: string;
  comment_end_string?: string;
  line_statement_prefix?: string;
  line_comment_prefix?: string;
  lstrip_blocks?: boolean;
  trim_blocks?: boolean;
  newline_sequence?: string;
  keep_trailing_newline?: boolean;
}

const JINJA_DEFAULTS: Required<JinjaOptions> = {
  block_start_string: '{%',
  block_end_string: '%}',
  variable_start_string: '{{',
  variable_end_string: '}}',
  comment_start_string: '{#',
  comment_end_string: '#}',
  line_statement_prefix: '',
  line_comment_prefix: '',
  lstrip_blocks: false,
  trim_blocks: false,
  newline_sequence: '\n',
  keep_trailing_newline: false,
};

/**
 * `Environment(**options).from_string(source).render(**context)`: the options Flagon has (`trimBlocks`,
 * `lstripBlocks`, `keepTrailingNewline`, `newlineSequence`, the delimiters as `tags`) on a renderer of their own;
 * line statements, which Flagon has not, throw.
 */
function renderWith(options: JinjaOptions, source: string, context: Record<string, unknown> = {}): string {
  const o = { ...JINJA_DEFAULTS, ...options };
  for (const key of ['line_statement_prefix', 'line_comment_prefix'] as const)
    if (o[key] !== JINJA_DEFAULTS[key]) throw new Error(`Flagon has no template option ${key}`);
  const syntax: TemplateSyntax = {
    trimBlocks: o.trim_blocks,
    lstripBlocks: o.lstrip_blocks,
    keepTrailingNewline: o.keep_trailing_newline,
    newlineSequence: o.newline_sequence as TemplateSyntax['newlineSequence'],
    tags: {
      blockStart: o.block_start_string,
      blockEnd: o.block_end_string,
      variableStart: o.variable_start_string,
      variableEnd: o.variable_end_string,
      commentStart: o.comment_start_string,
      commentEnd: o.comment_end_string,
    },
  };
  return fromString(source, syntax)(context);
}

describe('jinja tests/test_lexnparse.py', () => {
  // N/A: Jinja's TokenStream is its lexer's internal API; Flagon's templates are read by nunjucks's lexer.
  it.skip('TestTokenStream.test_simple', () => {});

  // N/A: as above.
  it.skip('TestTokenStream.test_iter', () => {});

  it('TestLexer.test_raw1', () => {
    expect(render('{% raw %}foo{% endraw %}|{%raw%}{{ bar }}|{% baz %}{%       endraw    %}')).toBe(
      'foo|{{ bar }}|{% baz %}',
    );
  });

  it('TestLexer.test_raw2', () => {
    expect(render('1  {%- raw -%}   2   {%- endraw -%}   3')).toBe('123');
  });

  it('TestLexer.test_raw3', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: true },
        `bar
{% raw %}
  {{baz}}2 spaces
{% endraw %}
foo`,
        { baz: 'test' },
      ),
    ).toBe('bar\n\n  {{baz}}2 spaces\nfoo');
  });

  it('TestLexer.test_raw4', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: false },
        'bar\n{%- raw -%}\n\n  \n  2 spaces\n space{%- endraw -%}\nfoo',
      ),
    ).toBe('bar2 spaces\n spacefoo');
  });

  // DIFFERENCE: the template parses (a `}` closes the dict, not the tag); a dict prints as `[object Object]`, Jinja's
  // `{'FOO': 0}`.
  it.fails('TestLexer.test_balancing', () => {
    expect(
      renderWith(
        { block_start_string: '{%', block_end_string: '%}', variable_start_string: '${', variable_end_string: '}' },
        `{% for item in seq
            %}\${{'foo': item}|upper}{% endfor %}`,
        { seq: [0, 1, 2] },
      ),
    ).toBe("{'FOO': 0}{'FOO': 1}{'FOO': 2}");
  });

  // DIFFERENCE: a block end that begins with `-` (`-->`) strips the whitespace after it, as nunjucks reads `-%}`.
  it.fails('TestLexer.test_comments', () => {
    expect(
      renderWith(
        { block_start_string: '<!--', block_end_string: '-->', variable_start_string: '{', variable_end_string: '}' },
        `<ul>
<!--- for item in seq -->
  <li>{item}</li>
<!--- endfor -->
</ul>`,
        { seq: [0, 1, 2] },
      ),
    ).toBe(`<ul>
  <li>0</li>
  <li>1</li>
  <li>2</li>
</ul>`);
  });

  it('TestLexer.test_string_escapes', () => {
    // The templates the upstream loop builds with Python's repr() of each character, but for '\0' (below).
    for (const [template, char] of [
      ["{{ '♨' }}", '♨'],
      ["{{ 'ä' }}", 'ä'],
      ["{{ '\\t' }}", '\t'],
      ["{{ '\\r' }}", '\r'],
      ["{{ '\\n' }}", '\n'],
    ]) {
      expect(render(template!)).toBe(char);
    }
  });

  it("TestLexer.test_string_escapes ('\\x00')", () => {
    expect(render("{{ '\\x00' }}")).toBe('\0');
  });

  // DIFFERENCE: `\N{name}` is Python's escape by Unicode character name; JavaScript has no table of the names.
  it.fails('TestLexer.test_string_escapes (\\N{HOT SPRINGS})', () => {
    expect(render('{{ "\\N{HOT SPRINGS}" }}')).toBe('\u2668');
  });

  // MISSING: the pprint filter (Python's pformat: `'foo'` in quotes).
  it.fails('TestLexer.test_bytefallback', () => {
    expect(render("{{ 'foo'|pprint }}|{{ 'bär'|pprint }}")).toBe("'foo'|'bär'");
  });

  // N/A: `env.lexer.tokenize` and the lexer's operator table are Jinja internals.
  it.skip('TestLexer.test_operators', () => {});

  it('TestLexer.test_normalizing', () => {
    const result = renderWith({ newline_sequence: '\n' }, '1\n2\r\n3\n4\n');
    expect(result.replaceAll('\n', 'X')).toBe('1X2X3X4');
  });

  it("TestLexer.test_normalizing (newline_sequence='\\r', '\\r\\n')", () => {
    for (const seq of ['\r', '\r\n']) {
      const result = renderWith({ newline_sequence: seq }, '1\n2\r\n3\n4\n');
      expect(result.replaceAll(seq, 'X')).toBe('1X2X3X4');
    }
  });

  const trailingNewlineCases: [string, { true?: string; false?: string }][] = [
    ['', {}],
    ['no\nnewline', {}],
    ['with\nnewline\n', { false: 'with\nnewline' }],
    ['with\nseveral\n\n\n', { false: 'with\nseveral\n\n' }],
  ];

  it('TestLexer.test_trailing_newline (keep_trailing_newline=False)', () => {
    for (const [template, expected] of trailingNewlineCases) {
      expect(renderWith({ keep_trailing_newline: false }, template)).toBe(expected.false ?? template);
    }
  });

  it('TestLexer.test_trailing_newline (keep_trailing_newline=True)', () => {
    for (const [template, expected] of trailingNewlineCases) {
      expect(renderWith({ keep_trailing_newline: true }, template)).toBe(expected.true ?? template);
    }
  });

  const names: [string, boolean][] = [
    ['foo', true],
    ['föö', true],
    ['き', true],
    ['_', true],
    ['1a', false], // invalid ascii start
    ['a-', false], // invalid ascii continue
    ['\u{1f40d}a', false], // invalid unicode start
    ['a🐍\u{1f40d}', false], // invalid unicode continue
    // start characters not matched by \w
    ['\u1885', true],
    ['\u1886', true],
    ['\u2118', true],
    ['\u212e', true],
    // continue character not matched by \w
    ['\xb7', false],
    ['a\xb7', true],
  ];
  for (const [name, valid] of names) {
    it(`TestLexer.test_name (${JSON.stringify(name)}, ${valid})`, () => {
      const t = `{{ ${name} }}`;
      if (valid) expect(syntaxError(t)).toBeNull();
      else expect(syntaxError(t)).toBeInstanceOf(TemplateSyntaxError);
    });
  }

  // N/A: `env.lex` (Jinja's token stream with line numbers) is a Jinja internal.
  it.skip('TestLexer.test_lineno_with_strip', () => {});

  // MISSING: delimiters where one begins another (`<%` and `<%=`, `<?` and `<?=`, `<!--` and `<!--#`): nunjucks's
  // lexer takes the block tag where Jinja takes the longest.
  it.fails('TestParser.test_php_syntax', () => {
    expect(
      renderWith(
        {
          block_start_string: '<?',
          block_end_string: '?>',
          variable_start_string: '<?=',
          variable_end_string: '?>',
          comment_start_string: '<!--',
          comment_end_string: '-->',
        },
        `<!-- I'm a comment, I'm not interesting --><? for item in seq -?>
    <?= item ?>
<?- endfor ?>`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe('01234');
  });

  // MISSING: delimiters where one begins another (`<%` and `<%=`, `<?` and `<?=`, `<!--` and `<!--#`): nunjucks's
  // lexer takes the block tag where Jinja takes the longest.
  it.fails('TestParser.test_erb_syntax', () => {
    expect(
      renderWith(
        {
          block_start_string: '<%',
          block_end_string: '%>',
          variable_start_string: '<%=',
          variable_end_string: '%>',
          comment_start_string: '<%#',
          comment_end_string: '%>',
        },
        `<%# I'm a comment, I'm not interesting %><% for item in seq -%>
    <%= item %>
<%- endfor %>`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe('01234');
  });

  // MISSING: delimiters where one begins another (`<%` and `<%=`, `<?` and `<?=`, `<!--` and `<!--#`): nunjucks's
  // lexer takes the block tag where Jinja takes the longest.
  it.fails('TestParser.test_comment_syntax', () => {
    expect(
      renderWith(
        {
          block_start_string: '<!--',
          block_end_string: '-->',
          variable_start_string: '${',
          variable_end_string: '}',
          comment_start_string: '<!--#',
          comment_end_string: '-->',
        },
        `<!--# I'm a comment, I'm not interesting --><!-- for item in seq --->
    \${item}
<!--- endfor -->`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe('01234');
  });

  it('TestParser.test_balancing', () => {
    expect(render("{{{'foo':'bar'}.foo}}")).toBe('bar');
  });

  it('TestParser.test_start_comment', () => {
    const source = `{# foo comment
and bar comment #}
{% macro blub() %}foo{% endmacro %}
{{ blub() }}`;
    expect(render(source).trim()).toBe('foo');
  });

  // MISSING: line statements (`line_statement_prefix`, `line_comment_prefix`): Flagon has no such option.
  it.fails('TestParser.test_line_syntax', () => {
    const delimiters = {
      block_start_string: '<%',
      block_end_string: '%>',
      variable_start_string: '${',
      variable_end_string: '}',
      comment_start_string: '<%#',
      comment_end_string: '%>',
    };
    const numbers = (text: string): number[] => text.split(/\s+/).filter(Boolean).map(Number);
    let out = renderWith(
      { ...delimiters, line_statement_prefix: '%' },
      `<%# regular comment %>
% for item in seq:
    \${item}
% endfor`,
      { seq: [0, 1, 2, 3, 4] },
    );
    expect(numbers(out)).toEqual([0, 1, 2, 3, 4]);
    out = renderWith(
      { ...delimiters, line_statement_prefix: '%', line_comment_prefix: '##' },
      `<%# regular comment %>
% for item in seq:
    \${item} ## the rest of the stuff
% endfor`,
      { seq: [0, 1, 2, 3, 4] },
    );
    expect(numbers(out)).toEqual([0, 1, 2, 3, 4]);
  });

  // MISSING: line statements (`line_statement_prefix`, `line_comment_prefix`): Flagon has no such option.
  it.fails('TestParser.test_line_syntax_priority', () => {
    const delimiters = {
      block_start_string: '{%',
      block_end_string: '%}',
      variable_start_string: '${',
      variable_end_string: '}',
      comment_start_string: '/*',
      comment_end_string: '*/',
    };
    let out = renderWith(
      { ...delimiters, line_statement_prefix: '##', line_comment_prefix: '#' },
      `/* ignore me.
   I'm a multiline comment */
## for item in seq:
* \${item}          # this is just extra stuff
## endfor`,
      { seq: [1, 2] },
    );
    expect(out.trim()).toBe('* 1\n* 2');
    out = renderWith(
      { ...delimiters, line_statement_prefix: '#', line_comment_prefix: '##' },
      `/* ignore me.
   I'm a multiline comment */
# for item in seq:
* \${item}          ## this is just extra stuff
    ## extra stuff i just want to ignore
# endfor`,
      { seq: [1, 2] },
    );
    expect(out.trim()).toBe('* 1\n\n* 2');
  });

  const errorCases: [string, string][] = [
    [
      '{% for item in seq %}...{% endif %}',
      "Encountered unknown tag 'endif'. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.",
    ],
    [
      '{% if foo %}{% for item in seq %}...{% endfor %}{% endfor %}',
      "Encountered unknown tag 'endfor'. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
    ],
    [
      '{% if foo %}',
      "Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
    ],
    [
      '{% for item in seq %}',
      "Unexpected end of template. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.",
    ],
    [
      '{% block foo-bar-baz %}',
      'Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.',
    ],
    ['{% unknown_tag %}', "Encountered unknown tag 'unknown_tag'."],
  ];

  it('TestParser.test_error_messages (TemplateSyntaxError)', () => {
    for (const [code] of errorCases) expect(syntaxError(code)).toBeInstanceOf(TemplateSyntaxError);
  });

  // DIFFERENCE: the messages are nunjucks's ("unknown block tag: endif", "parseIf: expected elif, else, or endif, got
  // end of file", "expected block end in block statement"), with the template and line; not Jinja's wording.
  it.fails('TestParser.test_error_messages (messages)', () => {
    for (const [code, expected] of errorCases) expect(syntaxError(code)?.message).toContain(expected);
  });

  // DIFFERENCE: `*args` and `**kwargs` are read, but a JavaScript function gets keyword arguments as one last object
  // (docs/app.md), not by parameter name: `foo('a', 'b', { c: 'd', e: 'f', g: 'h' })`.
  it.fails('TestSyntax.test_call', () => {
    const env = new NunjucksRenderer([root]);
    env.addGlobal('foo', (a: string, b: string, c: string, e: string, g: string) => a + b + c + e + g);
    expect(env.renderString("{{ foo('a', c='d', e='f', *['b'], **{'g': 'h'}) }}", {})).toBe('abdfh');
  });

  // DIFFERENCE: a list prints as JavaScript's (`1,2,3`), not Python's `[1, 2, 3]`.
  it.fails('TestSyntax.test_slicing', () => {
    expect(render('{{ [1, 2, 3][:] }}|{{ [1, 2, 3][::-1] }}')).toBe('[1, 2, 3]|[3, 2, 1]');
  });

  it('TestSyntax.test_attr', () => {
    expect(render("{{ foo.bar }}|{{ foo['bar'] }}", { foo: { bar: 42 } })).toBe('42|42');
  });

  it('TestSyntax.test_subscript', () => {
    expect(render('{{ foo[0] }}|{{ foo[-1] }}', { foo: [0, 1, 2] })).toBe('0|2');
  });

  // DIFFERENCE: a tuple prints as a JavaScript array: `|1|1,2`.
  it.fails('TestSyntax.test_tuple', () => {
    expect(render('{{ () }}|{{ (1,) }}|{{ (1, 2) }}')).toBe('()|(1,)|(1, 2)');
  });

  it('TestSyntax.test_math', () => {
    expect(render('{{ (1 + 1 * 2) - 3 / 2 }}|{{ 2**3 }}')).toBe('1.5|8');
  });

  it('TestSyntax.test_div', () => {
    expect(render('{{ 3 // 2 }}|{{ 3 / 2 }}|{{ 3 % 2 }}')).toBe('1|1.5|1');
  });

  it('TestSyntax.test_unary', () => {
    expect(render('{{ +3 }}|{{ -3 }}')).toBe('3|-3');
  });

  // DIFFERENCE: a list prints as JavaScript's: `1,2foo`.
  it.fails('TestSyntax.test_concat', () => {
    expect(render("{{ [1, 2] ~ 'foo' }}")).toBe('[1, 2]foo');
  });

  // DIFFERENCE: true prints as JavaScript's `true`, not Python's `True` (each comparison is true in Flagon too).
  it.fails.each([
    [1, '>', 0],
    [1, '>=', 1],
    [2, '<', 3],
    [3, '<=', 4],
    [4, '==', 4],
    [4, '!=', 5],
  ])('TestSyntax.test_compare (%s %s %s)', (a, op, b) => {
    expect(render(`{{ ${a} ${op} ${b} }}`)).toBe('True');
  });

  it('TestSyntax.test_compare_parens', () => {
    expect(render('{{ i * (j < 5) }}', { i: 2, j: 3 })).toBe('2');
  });

  // DIFFERENCE: booleans print as JavaScript's `true`/`false` (the chained comparisons are Jinja's: `false`, `true`).
  it.fails.each([
    ['{{ 4 < 2 < 3 }}', 'False'],
    ['{{ a < b < c }}', 'False'],
    ['{{ 4 > 2 > 3 }}', 'False'],
    ['{{ a > b > c }}', 'False'],
    ['{{ 4 > 2 < 3 }}', 'True'],
    ['{{ a > b < c }}', 'True'],
  ])('TestSyntax.test_compare_compound (%s)', (src, expected) => {
    expect(render(src, { a: 4, b: 2, c: 3 })).toBe(expected);
  });

  // DIFFERENCE: booleans print as JavaScript's: `true|false`.
  it.fails('TestSyntax.test_inop', () => {
    expect(render('{{ 1 in [1, 2, 3] }}|{{ 1 not in [1, 2, 3] }}')).toBe('True|False');
  });

  // DIFFERENCE: `[]` prints as JavaScript's empty string and `{}` as `[object Object]`.
  it.fails.each(['[]', '{}'])('TestSyntax.test_collection_literal (%s)', (value) => {
    expect(render(`{{ ${value} }}`)).toBe(value);
  });

  // DIFFERENCE: the empty tuple prints as an empty JavaScript array: nothing.
  it.fails('TestSyntax.test_collection_literal (())', () => {
    expect(render('{{ () }}')).toBe('()');
  });

  const numericLiterals: [string, string][] = [
    ['1', '1'],
    ['123', '123'],
    ['12_34_56', '123456'],
    ['1.2', '1.2'],
    ['34.56', '34.56'],
    ['3_4.5_6', '34.56'],
    ['1e0', '1.0'],
    ['10e1', '100.0'],
    ['2.5e100', '2.5e+100'],
    ['2.5e+100', '2.5e+100'],
    ['25.6e-10', '2.56e-09'],
    ['1_2.3_4e5_6', '1.234e+57'],
    ['0', '0'],
    ['0_00', '0'],
    ['0b1001_1111', '159'],
    ['0o123', '83'],
    ['0o1_23', '83'],
    ['0x123abc', '1194684'],
    ['0x12_3abc', '1194684'],
  ];
  // JavaScript prints these numbers otherwise: `1`, `100`, `2.56e-9` (one number type, no float's `.0`).
  const printedOtherwise = new Set(['1e0', '10e1', '25.6e-10']);
  for (const [value, expected] of numericLiterals) {
    const check = () => expect(render(`{{ ${value} }}`)).toBe(expected);
    // DIFFERENCE: Python prints an exponent literal as a float (`1.0`, `2.56e-09`), JavaScript as `1`, `2.56e-9`.
    if (printedOtherwise.has(value)) it.fails(`TestSyntax.test_numeric_literal (${value})`, check);
    else it(`TestSyntax.test_numeric_literal (${value})`, check);
  }

  // DIFFERENCE: booleans print as JavaScript's: `false|true|true`.
  it.fails('TestSyntax.test_bool', () => {
    expect(render('{{ true and false }}|{{ false or true }}|{{ not false }}')).toBe('False|True|True');
  });

  // DIFFERENCE: booleans print as JavaScript's: `false`.
  it.fails('TestSyntax.test_grouping', () => {
    expect(render('{{ (true and false) or (false and true) and not false }}')).toBe('False');
  });

  it('TestSyntax.test_django_attr', () => {
    expect(render('{{ [1, 2, 3].0 }}|{{ [[1]].0.0 }}')).toBe('1|1');
  });

  it('TestSyntax.test_conditional_expression', () => {
    expect(render('{{ 0 if true else 1 }}')).toBe('0');
  });

  it('TestSyntax.test_short_conditional_expression', () => {
    expect(render('<{{ 1 if false }}>')).toBe('<>');
  });

  // DIFFERENCE: an attribute of an undefined value is undefined again in nunjucks (`<>`), where Jinja's Undefined
  // raises UndefinedError ("the inline if-expression on line 1 evaluated to false and no else section was defined").
  it.fails('TestSyntax.test_short_conditional_expression (attribute of the undefined else)', () => {
    expect(() => render('<{{ (1 if false).bar }}>')).toThrow();
  });

  it('TestSyntax.test_filter_priority', () => {
    expect(render('{{ "foo"|upper + "bar"|upper }}')).toBe('FOOBAR');
  });

  it('TestSyntax.test_function_calls', () => {
    const tests: [boolean, string][] = [
      [true, '*foo, bar'],
      [true, '*foo, *bar'],
      [true, '**foo, *bar'],
      [true, '**foo, bar'],
      [true, '**foo, **bar'],
      [true, '**foo, bar=42'],
      [false, 'foo, bar'],
      [false, 'foo, bar=42'],
      [false, 'foo, bar=23, *args'],
      [false, 'foo, *args, bar=23'],
      [false, 'a, b=c, *d, **e'],
      [false, '*foo, bar=42'],
      [false, '*foo, **bar'],
      [false, '*foo, bar=42, **baz'],
      [false, 'foo, *args, bar=23, **baz'],
    ];
    for (const [shouldFail, sig] of tests) {
      if (shouldFail) expect(syntaxError(`{{ foo(${sig}) }}`)).toBeInstanceOf(TemplateSyntaxError);
      else expect(syntaxError(`{{ foo(${sig}) }}`)).toBeNull();
    }
  });

  for (const tmpl of ['{{ (1, 2) }}', '{% for foo, bar in seq %}...{% endfor %}', '{{ () }}', '{{ (1, 2,) }}']) {
    it(`TestSyntax.test_tuple_expr (${tmpl})`, () => {
      expect(syntaxError(tmpl)).toBeNull();
    });
  }

  // MISSING: a tuple without parentheses (`{{ 1, 2 }}`, `{% for x in foo, bar %}`) is a syntax error in Flagon.
  for (const tmpl of [
    '{{ 1, }}',
    '{{ 1, 2 }}',
    '{% for x in foo, bar %}...{% endfor %}',
    '{% for x in foo, %}...{% endfor %}',
  ]) {
    it.fails(`TestSyntax.test_tuple_expr (${tmpl})`, () => {
      expect(syntaxError(tmpl)).toBeNull();
    });
  }

  // DIFFERENCE: a number as a dict key (`{1: 2}`) is refused with the fix (a template dict is a JavaScript record,
  // whose keys are text); trailing commas parse, and a tuple and a list print as JavaScript's `1,2`.
  it.fails('TestSyntax.test_trailing_comma', () => {
    expect(render('{{ (1, 2,) }}|{{ [1, 2,] }}|{{ {1: 2,} }}').toLowerCase()).toBe('(1, 2)|[1, 2]|{1: 2}');
  });

  it('TestSyntax.test_block_end_name', () => {
    expect(syntaxError('{% block foo %}...{% endblock foo %}')).toBeNull();
    expect(syntaxError('{% block x %}{% endblock y %}')).toBeInstanceOf(TemplateSyntaxError);
  });

  // DIFFERENCE: `True`/`true` print as JavaScript's `true`, and `None`/`none` print nothing (the upper-case names are
  // undefined in both, printing nothing).
  it.fails('TestSyntax.test_constant_casing', () => {
    for (const value of ['True', 'False', 'None']) {
      const tmpl = `{{ ${value} }}|{{ ${value.toLowerCase()} }}|{{ ${value.toUpperCase()} }}`;
      expect(render(tmpl)).toBe(`${value}|${value}|`);
    }
  });

  it('TestSyntax.test_test_chaining', () => {
    expect(syntaxError('{{ foo is string is sequence }}')).toBeInstanceOf(TemplateSyntaxError);
  });

  // DIFFERENCE: booleans print as JavaScript's: `true`.
  it.fails('TestSyntax.test_test_chaining (42 is string or 42 is number)', () => {
    expect(render('{{ 42 is string or 42 is number }}')).toBe('True');
  });

  // MISSING: adjacent string literals are not joined into one: a syntax error in nunjucks.
  it.fails('TestSyntax.test_string_concatenation', () => {
    expect(render('{{ "foo" "bar" "baz" }}')).toBe('foobarbaz');
  });

  // DIFFERENCE: booleans print as JavaScript's: `false`.
  it.fails('TestSyntax.test_notin', () => {
    const bar = Array.from({ length: 100 }, (_, i) => i);
    expect(render('{{ not 42 in bar }}', { bar })).toBe('False');
  });

  it('TestSyntax.test_operator_precedence', () => {
    expect(render('{{ 2 * 3 + 4 % 2 + 1 - 2 }}')).toBe('5');
  });

  // N/A: a Python class's `__getitem__` receives the tuple `(1, 2)`; JavaScript objects have no such hook.
  it.skip('TestSyntax.test_implicit_subscribed_tuple', () => {});

  it('TestSyntax.test_raw2', () => {
    expect(render('{% raw %}{{ FOO }} and {% BAR %}{% endraw %}')).toBe('{{ FOO }} and {% BAR %}');
  });

  // DIFFERENCE: `true`, `false` print as JavaScript's, and `none` prints nothing: `true|false||true|false`.
  it.fails('TestSyntax.test_const', () => {
    expect(render('{{ true }}|{{ false }}|{{ none }}|{{ none is defined }}|{{ missing is defined }}')).toBe(
      'True|False|None|True|False',
    );
  });

  it('TestSyntax.test_neg_filter_priority', () => {
    // Upstream checks the parse tree (Filter(Neg(1))); here a filter shows what it was given: -1, not 1.
    const env = new NunjucksRenderer([root]);
    env.addFilter('foo', (value: number) => `foo(${value})`);
    expect(env.renderString('{{ -1|foo }}', {})).toBe('foo(-1)');
  });

  it('TestSyntax.test_const_assign', () => {
    const constass1 = '{% set true = 42 %}';
    const constass2 = '{% for none in seq %}{% endfor %}';
    for (const tmpl of [constass1, constass2]) expect(syntaxError(tmpl)).toBeInstanceOf(TemplateSyntaxError);
  });

  // DIFFERENCE: `{% set %}` inside a `for` leaks to a name set before the loop (docs/conformance.md): `1`.
  it.fails('TestSyntax.test_localset', () => {
    const tmpl = '{% set foo = 0 %}{% for item in [1, 2] %}{% set foo = 1 %}{% endfor %}{{ foo }}';
    expect(render(tmpl)).toBe('0');
  });

  it('TestSyntax.test_parse_unary', () => {
    expect(render('{{ -foo["bar"] }}', { foo: { bar: 42 } })).toBe('-42');
    expect(render('{{ -foo["bar"]|abs }}', { foo: { bar: 42 } })).toBe('42');
  });

  it('TestLstripBlocks.test_lstrip', () => {
    expect(renderWith({ lstrip_blocks: true, trim_blocks: false }, '    {% if True %}\n    {% endif %}')).toBe('\n');
  });

  it('TestLstripBlocks.test_lstrip_trim', () => {
    expect(renderWith({ lstrip_blocks: true, trim_blocks: true }, '    {% if True %}\n    {% endif %}')).toBe('');
  });

  it('TestLstripBlocks.test_no_lstrip', () => {
    expect(renderWith({ lstrip_blocks: true, trim_blocks: false }, '    {%+ if True %}\n    {%+ endif %}')).toBe(
      '    \n    ',
    );
  });

  it('TestLstripBlocks.test_lstrip_blocks_false_with_no_lstrip', () => {
    // Test that + is a NOP (but does not cause an error) if lstrip_blocks=False
    const env = { lstrip_blocks: false, trim_blocks: false };
    expect(renderWith(env, '    {% if True %}\n    {% endif %}')).toBe('    \n    ');
  });

  it('TestLstripBlocks.test_lstrip_blocks_false_with_no_lstrip ({%+ if True %})', () => {
    const env = { lstrip_blocks: false, trim_blocks: false };
    expect(renderWith(env, '    {%+ if True %}\n    {%+ endif %}')).toBe('    \n    ');
  });

  it('TestLstripBlocks.test_lstrip_endline', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: false },
        `    hello{% if True %}
    goodbye{% endif %}`,
      ),
    ).toBe('    hello\n    goodbye');
  });

  it('TestLstripBlocks.test_lstrip_inline', () => {
    expect(renderWith({ lstrip_blocks: true, trim_blocks: false }, '    {% if True %}hello    {% endif %}')).toBe(
      'hello    ',
    );
  });

  it('TestLstripBlocks.test_lstrip_nested', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: false },
        '    {% if True %}a {% if True %}b {% endif %}c {% endif %}',
      ),
    ).toBe('a b c ');
  });

  it('TestLstripBlocks.test_lstrip_left_chars', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: false },
        `    abc {% if True %}
        hello{% endif %}`,
      ),
    ).toBe('    abc \n        hello');
  });

  it('TestLstripBlocks.test_lstrip_embeded_strings', () => {
    expect(renderWith({ lstrip_blocks: true, trim_blocks: false }, '    {% set x = " {% str %} " %}{{ x }}')).toBe(
      ' {% str %} ',
    );
  });

  it('TestLstripBlocks.test_lstrip_preserve_leading_newlines', () => {
    expect(renderWith({ lstrip_blocks: true, trim_blocks: false }, '\n\n\n{% set hello = 1 %}')).toBe('\n\n\n');
  });

  it('TestLstripBlocks.test_lstrip_comment', () => {
    expect(renderWith({ lstrip_blocks: true, trim_blocks: false }, '    {# if True #}\nhello\n    {#endif#}')).toBe(
      '\nhello\n',
    );
  });

  // MISSING: line statements (`line_statement_prefix`, `line_comment_prefix`): Flagon has no such option.
  it.fails('TestLstripBlocks.test_lstrip_angle_bracket_simple', () => {
    expect(
      renderWith(
        {
          block_start_string: '<%',
          block_end_string: '%>',
          variable_start_string: '${',
          variable_end_string: '}',
          comment_start_string: '<%#',
          comment_end_string: '%>',
          line_statement_prefix: '%',
          line_comment_prefix: '##',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        '    <% if True %>hello    <% endif %>',
      ),
    ).toBe('hello    ');
  });

  // MISSING: line statements (`line_statement_prefix`, `line_comment_prefix`): Flagon has no such option.
  it.fails('TestLstripBlocks.test_lstrip_angle_bracket_comment', () => {
    expect(
      renderWith(
        {
          block_start_string: '<%',
          block_end_string: '%>',
          variable_start_string: '${',
          variable_end_string: '}',
          comment_start_string: '<%#',
          comment_end_string: '%>',
          line_statement_prefix: '%',
          line_comment_prefix: '##',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        '    <%# if True %>hello    <%# endif %>',
      ),
    ).toBe('hello    ');
  });

  // MISSING: line statements (`line_statement_prefix`, `line_comment_prefix`): Flagon has no such option.
  it.fails('TestLstripBlocks.test_lstrip_angle_bracket', () => {
    expect(
      renderWith(
        {
          block_start_string: '<%',
          block_end_string: '%>',
          variable_start_string: '${',
          variable_end_string: '}',
          comment_start_string: '<%#',
          comment_end_string: '%>',
          line_statement_prefix: '%',
          line_comment_prefix: '##',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        `    <%# regular comment %>
    <% for item in seq %>
\${item} ## the rest of the stuff
   <% endfor %>`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe('0\n1\n2\n3\n4\n');
  });

  // MISSING: line statements (`line_statement_prefix`, `line_comment_prefix`): Flagon has no such option.
  it.fails('TestLstripBlocks.test_lstrip_angle_bracket_compact', () => {
    expect(
      renderWith(
        {
          block_start_string: '<%',
          block_end_string: '%>',
          variable_start_string: '${',
          variable_end_string: '}',
          comment_start_string: '<%#',
          comment_end_string: '%>',
          line_statement_prefix: '%',
          line_comment_prefix: '##',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        `    <%#regular comment%>
    <%for item in seq%>
\${item} ## the rest of the stuff
   <%endfor%>`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe('0\n1\n2\n3\n4\n');
  });

  it('TestLstripBlocks.test_lstrip_blocks_outside_with_new_line', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: false },
        `  {% if kvs %}(
   {% for k, v in kvs %}{{ k }}={{ v }} {% endfor %}
  ){% endif %}`,
        {
          kvs: [
            ['a', 1],
            ['b', 2],
          ],
        },
      ),
    ).toBe('(\na=1 b=2 \n  )');
  });

  it('TestLstripBlocks.test_lstrip_trim_blocks_outside_with_new_line', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: true },
        `  {% if kvs %}(
   {% for k, v in kvs %}{{ k }}={{ v }} {% endfor %}
  ){% endif %}`,
        {
          kvs: [
            ['a', 1],
            ['b', 2],
          ],
        },
      ),
    ).toBe('(\na=1 b=2   )');
  });

  it('TestLstripBlocks.test_lstrip_blocks_inside_with_new_line', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: false },
        `  ({% if kvs %}
   {% for k, v in kvs %}{{ k }}={{ v }} {% endfor %}
  {% endif %})`,
        {
          kvs: [
            ['a', 1],
            ['b', 2],
          ],
        },
      ),
    ).toBe('  (\na=1 b=2 \n)');
  });

  it('TestLstripBlocks.test_lstrip_trim_blocks_inside_with_new_line', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: true },
        `  ({% if kvs %}
   {% for k, v in kvs %}{{ k }}={{ v }} {% endfor %}
  {% endif %})`,
        {
          kvs: [
            ['a', 1],
            ['b', 2],
          ],
        },
      ),
    ).toBe('  (a=1 b=2 )');
  });

  it('TestLstripBlocks.test_lstrip_blocks_without_new_line', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: false },
        '  {% if kvs %}   {% for k, v in kvs %}{{ k }}={{ v }} {% endfor %}  {% endif %}',
        {
          kvs: [
            ['a', 1],
            ['b', 2],
          ],
        },
      ),
    ).toBe('   a=1 b=2   ');
  });

  it('TestLstripBlocks.test_lstrip_trim_blocks_without_new_line', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: true },
        '  {% if kvs %}   {% for k, v in kvs %}{{ k }}={{ v }} {% endfor %}  {% endif %}',
        {
          kvs: [
            ['a', 1],
            ['b', 2],
          ],
        },
      ),
    ).toBe('   a=1 b=2   ');
  });

  it('TestLstripBlocks.test_lstrip_blocks_consume_after_without_new_line', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: false },
        '  {% if kvs -%}   {% for k, v in kvs %}{{ k }}={{ v }} {% endfor -%}  {% endif -%}',
        {
          kvs: [
            ['a', 1],
            ['b', 2],
          ],
        },
      ),
    ).toBe('a=1 b=2 ');
  });

  it('TestLstripBlocks.test_lstrip_trim_blocks_consume_before_without_new_line', () => {
    expect(
      renderWith(
        { lstrip_blocks: false, trim_blocks: false },
        '  {%- if kvs %}   {%- for k, v in kvs %}{{ k }}={{ v }} {% endfor -%}  {%- endif %}',
        {
          kvs: [
            ['a', 1],
            ['b', 2],
          ],
        },
      ),
    ).toBe('a=1 b=2 ');
  });

  it('TestLstripBlocks.test_lstrip_trim_blocks_comment', () => {
    expect(
      renderWith(
        { lstrip_blocks: true, trim_blocks: true },
        ` {# 1 space #}
  {# 2 spaces #}    {# 4 spaces #}`,
      ),
    ).toBe('    ');
  });

  it('TestLstripBlocks.test_lstrip_trim_blocks_raw', () => {
    expect(
      renderWith({ lstrip_blocks: true, trim_blocks: true }, '{{x}}\n{%- raw %} {% endraw -%}\n{{ y }}', {
        x: 1,
        y: 2,
      }),
    ).toBe('1 2');
  });

  // MISSING: delimiters where one begins another (`<%` and `<%=`, `<?` and `<?=`, `<!--` and `<!--#`): nunjucks's
  // lexer takes the block tag where Jinja takes the longest.
  it.fails('TestLstripBlocks.test_php_syntax_with_manual', () => {
    expect(
      renderWith(
        {
          block_start_string: '<?',
          block_end_string: '?>',
          variable_start_string: '<?=',
          variable_end_string: '?>',
          comment_start_string: '<!--',
          comment_end_string: '-->',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        `    <!-- I'm a comment, I'm not interesting -->
    <? for item in seq -?>
        <?= item ?>
    <?- endfor ?>`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe('01234');
  });

  // MISSING: delimiters where one begins another (`<%` and `<%=`, `<?` and `<?=`, `<!--` and `<!--#`): nunjucks's
  // lexer takes the block tag where Jinja takes the longest.
  it.fails('TestLstripBlocks.test_php_syntax', () => {
    expect(
      renderWith(
        {
          block_start_string: '<?',
          block_end_string: '?>',
          variable_start_string: '<?=',
          variable_end_string: '?>',
          comment_start_string: '<!--',
          comment_end_string: '-->',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        `    <!-- I'm a comment, I'm not interesting -->
    <? for item in seq ?>
        <?= item ?>
    <? endfor ?>`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe(`        0
        1
        2
        3
        4
`);
  });

  // MISSING: delimiters where one begins another (`<%` and `<%=`, `<?` and `<?=`, `<!--` and `<!--#`): nunjucks's
  // lexer takes the block tag where Jinja takes the longest.
  it.fails('TestLstripBlocks.test_php_syntax_compact', () => {
    expect(
      renderWith(
        {
          block_start_string: '<?',
          block_end_string: '?>',
          variable_start_string: '<?=',
          variable_end_string: '?>',
          comment_start_string: '<!--',
          comment_end_string: '-->',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        `    <!-- I'm a comment, I'm not interesting -->
    <?for item in seq?>
        <?=item?>
    <?endfor?>`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe(`        0
        1
        2
        3
        4
`);
  });

  // MISSING: delimiters where one begins another (`<%` and `<%=`, `<?` and `<?=`, `<!--` and `<!--#`): nunjucks's
  // lexer takes the block tag where Jinja takes the longest.
  it.fails('TestLstripBlocks.test_erb_syntax', () => {
    expect(
      renderWith(
        {
          block_start_string: '<%',
          block_end_string: '%>',
          variable_start_string: '<%=',
          variable_end_string: '%>',
          comment_start_string: '<%#',
          comment_end_string: '%>',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        `<%# I'm a comment, I'm not interesting %>
    <% for item in seq %>
    <%= item %>
    <% endfor %>
`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe('    0\n    1\n    2\n    3\n    4\n');
  });

  // MISSING: delimiters where one begins another (`<%` and `<%=`, `<?` and `<?=`, `<!--` and `<!--#`): nunjucks's
  // lexer takes the block tag where Jinja takes the longest.
  it.fails('TestLstripBlocks.test_erb_syntax_with_manual', () => {
    expect(
      renderWith(
        {
          block_start_string: '<%',
          block_end_string: '%>',
          variable_start_string: '<%=',
          variable_end_string: '%>',
          comment_start_string: '<%#',
          comment_end_string: '%>',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        `<%# I'm a comment, I'm not interesting %>
    <% for item in seq -%>
        <%= item %>
    <%- endfor %>`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe('01234');
  });

  // MISSING: delimiters where one begins another (`<%` and `<%=`, `<?` and `<?=`, `<!--` and `<!--#`): nunjucks's
  // lexer takes the block tag where Jinja takes the longest.
  it.fails('TestLstripBlocks.test_erb_syntax_no_lstrip', () => {
    expect(
      renderWith(
        {
          block_start_string: '<%',
          block_end_string: '%>',
          variable_start_string: '<%=',
          variable_end_string: '%>',
          comment_start_string: '<%#',
          comment_end_string: '%>',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        `<%# I'm a comment, I'm not interesting %>
    <%+ for item in seq -%>
        <%= item %>
    <%- endfor %>`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe('    01234');
  });

  // MISSING: delimiters where one begins another (`<%` and `<%=`, `<?` and `<?=`, `<!--` and `<!--#`): nunjucks's
  // lexer takes the block tag where Jinja takes the longest.
  it.fails('TestLstripBlocks.test_comment_syntax', () => {
    expect(
      renderWith(
        {
          block_start_string: '<!--',
          block_end_string: '-->',
          variable_start_string: '${',
          variable_end_string: '}',
          comment_start_string: '<!--#',
          comment_end_string: '-->',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        `<!--# I'm a comment, I'm not interesting --><!-- for item in seq --->
    \${item}
<!--- endfor -->`,
        { seq: [0, 1, 2, 3, 4] },
      ),
    ).toBe('01234');
  });

  it('TestTrimBlocks.test_trim', () => {
    expect(renderWith({ trim_blocks: true, lstrip_blocks: false }, '    {% if True %}\n    {% endif %}')).toBe(
      '        ',
    );
  });

  it('TestTrimBlocks.test_no_trim', () => {
    expect(renderWith({ trim_blocks: true, lstrip_blocks: false }, '    {% if True +%}\n    {% endif %}')).toBe(
      '    \n    ',
    );
  });

  it('TestTrimBlocks.test_no_trim_outer', () => {
    expect(renderWith({ trim_blocks: true, lstrip_blocks: false }, '{% if True %}X{% endif +%}\nmore things')).toBe(
      'X\nmore things',
    );
  });

  it('TestTrimBlocks.test_lstrip_no_trim', () => {
    expect(renderWith({ trim_blocks: true, lstrip_blocks: true }, '    {% if True +%}\n    {% endif %}')).toBe('\n');
  });

  it('TestTrimBlocks.test_trim_blocks_false_with_no_trim', () => {
    // Test that + is a NOP (but does not cause an error) if trim_blocks=False
    const env = { trim_blocks: false, lstrip_blocks: false };
    expect(renderWith(env, '    {% if True %}\n    {% endif %}')).toBe('    \n    ');
    expect(renderWith(env, '    {# comment #}\n    ')).toBe('    \n    ');
    expect(renderWith(env, '    {# comment +#}\n    ')).toBe('    \n    ');
    expect(renderWith(env, '    {% raw %}{% endraw %}\n    ')).toBe('    \n    ');
  });

  it('TestTrimBlocks.test_trim_blocks_false_with_no_trim (+%})', () => {
    const env = { trim_blocks: false, lstrip_blocks: false };
    expect(renderWith(env, '    {% if True +%}\n    {% endif %}')).toBe('    \n    ');
    expect(renderWith(env, '    {% raw %}{% endraw +%}\n    ')).toBe('    \n    ');
  });

  it('TestTrimBlocks.test_trim_nested', () => {
    expect(
      renderWith(
        { trim_blocks: true, lstrip_blocks: true },
        `    {% if True %}
a {% if True %}
b {% endif %}
c {% endif %}`,
      ),
    ).toBe('a b c ');
  });

  it('TestTrimBlocks.test_no_trim_nested', () => {
    expect(
      renderWith(
        { trim_blocks: true, lstrip_blocks: true },
        `    {% if True +%}
a {% if True +%}
b {% endif +%}
c {% endif %}`,
      ),
    ).toBe('\na \nb \nc ');
  });

  it('TestTrimBlocks.test_comment_trim', () => {
    expect(renderWith({ trim_blocks: true, lstrip_blocks: true }, '    {# comment #}\n\n  ')).toBe('\n  ');
  });

  it('TestTrimBlocks.test_comment_no_trim', () => {
    expect(renderWith({ trim_blocks: true, lstrip_blocks: true }, '    {# comment +#}\n\n  ')).toBe('\n\n  ');
  });

  it('TestTrimBlocks.test_multiple_comment_trim_lstrip', () => {
    expect(
      renderWith(
        { trim_blocks: true, lstrip_blocks: true },
        '   {# comment #}\n\n{# comment2 #}\n   \n{# comment3 #}\n\n ',
      ),
    ).toBe('\n   \n\n ');
  });

  it('TestTrimBlocks.test_multiple_comment_no_trim_lstrip', () => {
    expect(
      renderWith(
        { trim_blocks: true, lstrip_blocks: true },
        '   {# comment +#}\n\n{# comment2 +#}\n   \n{# comment3 +#}\n\n ',
      ),
    ).toBe('\n\n\n   \n\n\n ');
  });

  it('TestTrimBlocks.test_raw_trim_lstrip', () => {
    expect(
      renderWith(
        { trim_blocks: true, lstrip_blocks: true },
        `{{x}}{% raw %}

    {% endraw %}

{{ y }}`,
        { x: 1, y: 2 },
      ),
    ).toBe('1\n\n\n2');
  });

  // MISSING: `{% raw +%}` (a `+` on the raw tag itself) is not refused; the rest of the test passes.
  it.fails('TestTrimBlocks.test_raw_no_trim_lstrip', () => {
    expect(
      renderWith(
        { trim_blocks: false, lstrip_blocks: true },
        `{{x}}{% raw %}

      {% endraw +%}

{{ y }}`,
        { x: 1, y: 2 },
      ),
    ).toBe('1\n\n\n\n2');
    expect(() =>
      renderWith(
        { trim_blocks: false, lstrip_blocks: true },
        `{{x}}{% raw +%}

  {% endraw +%}

{{ y }}`,
      ),
    ).toThrow(TemplateSyntaxError);
  });

  // MISSING: delimiters where one begins another (`<%` and `<%#`): nunjucks's lexer takes the block tag where Jinja
  // takes the longest.
  it.fails('TestTrimBlocks.test_no_trim_angle_bracket', () => {
    expect(
      renderWith(
        {
          block_start_string: '<%',
          block_end_string: '%>',
          variable_start_string: '${',
          variable_end_string: '}',
          comment_start_string: '<%#',
          comment_end_string: '%>',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        '    <% if True +%>\n\n    <% endif %>',
      ),
    ).toBe('\n\n');
    expect(
      renderWith(
        {
          block_start_string: '<%',
          block_end_string: '%>',
          variable_start_string: '${',
          variable_end_string: '}',
          comment_start_string: '<%#',
          comment_end_string: '%>',
          lstrip_blocks: true,
          trim_blocks: true,
        },
        '    <%# comment +%>\n\n   ',
      ),
    ).toBe('\n\n   ');
  });

  it('TestTrimBlocks.test_no_trim_php_syntax', () => {
    expect(
      renderWith(
        {
          block_start_string: '<?',
          block_end_string: '?>',
          variable_start_string: '<?=',
          variable_end_string: '?>',
          comment_start_string: '<!--',
          comment_end_string: '-->',
          lstrip_blocks: false,
          trim_blocks: true,
        },
        '    <? if True +?>\n\n    <? endif ?>',
      ),
    ).toBe('    \n\n    ');
    expect(
      renderWith(
        {
          block_start_string: '<?',
          block_end_string: '?>',
          variable_start_string: '<?=',
          variable_end_string: '?>',
          comment_start_string: '<!--',
          comment_end_string: '-->',
          lstrip_blocks: false,
          trim_blocks: true,
        },
        '    <!-- comment +-->\n\n    ',
      ),
    ).toBe('    \n\n    ');
  });
});
