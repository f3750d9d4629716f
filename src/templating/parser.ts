/** @module Template parsing (layer L3): nunjucks's parser, read the way Jinja reads what nunjucks reads otherwise. */
import {
  type AstNode,
  NunjucksTemplateError as TemplateError,
  createParser,
  defineNode,
  nodeClasses,
  type NunjucksParser,
  type Token,
  type Tokenizer,
} from './nunjucks.js';
import { parseFor } from './for-loop-parser.js';

/** `f(*items)` and `f(**options)`: a list spread as positional arguments, a dict as keyword arguments. */
const SplatNode = defineNode('Splat', ['value']);
const KeywordSplatNode = defineNode('KeywordSplat', ['value']);

/** `text[1:3]`, `items[:5]`, `s[::-1]`: Jinja's (Python's) slice, compiled by LocatingCompiler.compileSlice. */
const SliceNode = defineNode('Slice', ['target', 'start', 'stop', 'step'], 'LookupVal');

/** Tokens that begin the one argument of a test written without parentheses (Jinja's `x is divisibleby 3`). */
const TEST_ARGUMENT_STARTS = new Set([
  'symbol',
  'string',
  'int',
  'float',
  'boolean',
  'none',
  'left-paren',
  'left-bracket',
  'left-curly',
]);

/**
 * Parses template source into nunjucks's AST (syntax errors carry 1-based `lineno`/`colno`), with Jinja's syntax where
 * nunjucks reads it otherwise: slices (`body[:200]`), a test's argument without parentheses (`is divisibleby 3`),
 * and a syntax error, not a crash, for `.name` after a filter's arguments.
 *
 * @example
 * const ast = parse('{{ post.body[:200] }}', env.extensionsList, env.opts);
 */
export function parse(
  src: string,
  extensions: unknown[],
  opts: { trimBlocks?: boolean; lstripBlocks?: boolean; newlineSequence?: string },
): AstNode {
  // trim_blocks and lstrip_blocks are Jinja's here (blockWhitespace), not nunjucks's lexer's.
  const parser = createParser(src, { ...opts, trimBlocks: false, lstripBlocks: false });
  blockWhitespace(parser.tokens, opts.trimBlocks === true, opts.lstripBlocks === true, opts.newlineSequence ?? '\n');
  readAsJinja(parser.tokens, (message, token) => parser.fail(message, token.lineno, token.colno));
  parser.extensions = extensions;
  parser.parseFilterArgs = () => parseFilterArgs(parser);
  parser.parseFilter = (node) => parseFilter(parser, node);
  parser.parseIs = () => parseIs(parser);
  parser.parsePostfix = (node) => parsePostfix(parser, node);
  parser.parseMul = () => parseMultiplicative(parser);
  parser.parseSet = () => parseSet(parser);
  parser.parseFilterStatement = () => parseFilterStatement(parser);
  parser.parseInclude = () => parseInclude(parser);
  parser.parseBlock = () => parseBlock(parser);
  parser.parseAggregate = () => parseAggregate(parser);
  parser.parseRaw = (name) =>
    parseRaw(parser, name ?? 'raw', opts.trimBlocks === true, opts.lstripBlocks === true, opts.newlineSequence ?? '\n');
  parser.parseSignature = (tolerant, noParens) => parseSignature(parser, tolerant, noParens);
  const parseWithContext = parser.parseWithContext.bind(parser);
  // `{% from 'forms.html' import field, with context %}`: Jinja takes a comma before `with context`.
  parser.parseWithContext = () => {
    // The comma is the peeked token: the lexer stands right after it.
    const { str, index } = parser.tokens;
    if (parser.peekToken()?.type === 'comma' && /^\s*with(?:out)?\s+context\b/.test(str.slice(index, index + 40)))
      parser.nextToken();
    return parseWithContext();
  };
  const parseNunjucksFor = parser.parseFor.bind(parser);
  parser.parseFor = () => parseFor(parser, parseNunjucksFor);
  return parser.parseAsRoot();
}

/** A name, as Python (and Jinja) reads one; `$` too, which JavaScript names have and nunjucks templates use. */
const NAME = /^[\p{ID_Start}_$][\p{ID_Continue}$]*$/u;

/** Python's number literals: `1_000`, `0x1F`, `0o17`, `0b101`, `1e3`, `2.5e-3` (underscores between digits). */
const PYTHON_NUMBER =
  /0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?/y;

/**
 * Tokens as Jinja's lexer reads them, where nunjucks's reads otherwise:
 * - numbers: nunjucks read `1e3`, `0x10` and `1_000` as names (an undefined variable: nothing printed, no error) and
 *   `1.5e3` as a syntax error; after `.` an index is a number (`items.0.name`), where nunjucks read `0.` as a float;
 * - `}}` (a variable end that begins with `}`) while a `{` is open closes the dict, not the tag
 *   (`{{ "a" in {"a": 1}}}`);
 * - strings with Python's escapes (readPythonString).
 */
function readAsJinja(tokens: Tokenizer, fail: (message: string, at: Token) => never): void {
  tokens._parseString = (quote) => readPythonString(tokens, quote);
  const nextToken = tokens.nextToken.bind(tokens);
  let previous: Token | null = null;
  let openCurlies = 0;
  tokens.nextToken = () => {
    let token = nextToken();
    if (token?.type === 'float' && previous?.type === 'operator' && previous.value === '.') {
      // `items.0.name`: the index, then the `.` again, as its own token.
      const index = token.value.slice(0, token.value.indexOf('.'));
      tokens.backN(token.value.length - index.length);
      token = { ...token, type: 'int', value: index };
    } else if (
      token?.type === 'int' ||
      token?.type === 'float' ||
      (token?.type === 'symbol' && /^\d/.test(token.value))
    ) {
      token = wholeNumber(tokens, token);
      // `img.2x` is an attribute, as nunjucks read it (Jinja refuses it); anywhere else `2x` is Jinja's syntax error.
      const attribute = previous?.type === 'operator' && previous.value === '.';
      if (token.type === 'symbol' && !attribute)
        fail(`'${token.value}' is not a number, and a name cannot start with a digit`, token);
    } else if (token?.type === 'symbol' && !NAME.test(token.value)) {
      // nunjucks took any run of characters up to a delimiter as a name (`a"b`, `x;y`), and wrote it into the code.
      fail(`'${token.value}' is not a name: a name is letters, digits and _ (not starting with a digit)`, token);
    } else if (token?.type === 'variable-end' && openCurlies > 0 && token.value.startsWith('}')) {
      tokens.backN(token.value.length - 1);
      tokens.in_code = true;
      token = { ...token, type: 'right-curly', value: '}' };
    }
    if (token?.type === 'left-curly') openCurlies++;
    else if (token?.type === 'right-curly') openCurlies = Math.max(0, openCurlies - 1);
    else if (token?.type === 'variable-end' || token?.type === 'block-end') openCurlies = 0;
    if (token?.type !== 'whitespace') previous = token;
    return token;
  };
}

/**
 * Jinja's `trim_blocks` (the line break after a block tag or a comment is not output) and `lstrip_blocks` (spaces and
 * tabs from the start of a line to a block tag or a comment are not output), and the `+` that turns them off for one
 * tag: `{%+ if x %}` keeps the indentation before it, `{% if x +%}` (or `+#}`) the line break after it. nunjucks's lexer knew
 * neither comments nor `+` (a syntax error). And Jinja's `newline_sequence` for the line breaks of the text.
 */
function blockWhitespace(tokens: Tokenizer, trim: boolean, lstrip: boolean, newline: string): void {
  const nextToken = tokens.nextToken.bind(tokens);
  const { BLOCK_START, BLOCK_END, COMMENT_START, COMMENT_END } = tokens.tags;
  let keepLineBreak = false;
  const read = (): Token | null => {
    const start = tokens.index;
    const token = nextToken();
    if (token === null) return null;
    if (token.type === 'data' && lstrip) {
      const { str, index } = tokens;
      const beforeTag = str.startsWith(COMMENT_START, index) || str.startsWith(BLOCK_START, index);
      if (beforeTag && !str.startsWith(`${BLOCK_START}+`, index)) {
        const kept = token.value.replace(/[ \t]*$/, '');
        const lineStart = kept === '' ? start === 0 || str[start - 1] === '\n' : kept.endsWith('\n');
        if (lineStart && kept !== token.value) return kept === '' ? read() : { ...token, value: kept };
      }
    } else if (token.type === 'block-start' && tokens.str[tokens.index] === '+') {
      tokens.forwardN(1);
    } else if (token.type === 'operator' && token.value === '+' && tokens.str.startsWith(BLOCK_END, tokens.index)) {
      keepLineBreak = true;
      return read();
    }
    // `{# … +#}` keeps the line break after it too.
    if (token.type === 'comment' && token.value.endsWith(`+${COMMENT_END}`)) keepLineBreak = true;
    const ends = token.type === 'block-end' || token.type === 'comment';
    if (ends && trim && !keepLineBreak && tokens.str[tokens.index] === '\n') {
      tokens.trimmedAt = tokens.index;
      tokens.forwardN(1);
    }
    if (ends) keepLineBreak = false;
    // Jinja's newline_sequence: the template's text writes its line breaks so (the source has `\n` by now).
    if (newline !== '\n' && (token.type === 'data' || token.type === 'string'))
      return { ...token, value: token.value.replaceAll('\n', newline) };
    return token;
  };
  tokens.nextToken = read;
}

/** Python's one-character escapes in a string literal; a backslash before a line break continues the line. */
const ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};
/** The hexadecimal escapes and their digits: a shorter one is Python's (and Jinja's) syntax error. */
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };
const ESCAPE = /\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{1,3})|([\s\S]))/y;

/**
 * A string literal from its opening quote, as Python reads one: `'\x41'`, `'\u00e9'`, `'\101'`, `'\n'`…, and an
 * unknown escape keeps its backslash (`'\d'`); nunjucks knew `\n`, `\t` and `\r` and dropped any other backslash.
 */
function readPythonString(tokens: Tokenizer, quote: string): string {
  const source = tokens.str;
  let at = tokens.index + 1;
  let text = '';
  while (at < source.length && source[at] !== quote) {
    if (source[at] !== '\\') {
      text += source[at++];
      continue;
    }
    ESCAPE.lastIndex = at;
    const match = ESCAPE.exec(source);
    if (match === null) {
      text += source[at++];
      continue;
    }
    const [written, hex2, hex4, hex8, octal, other = ''] = match;
    const code = hex2 ?? hex4 ?? hex8;
    if (code === undefined && HEX_ESCAPE_LENGTH[other] !== undefined) {
      // Python's error: `'C:\Users'` reads `\U` as an escape (write `\\` for a backslash).
      const digits = 'X'.repeat(HEX_ESCAPE_LENGTH[other]);
      throw new TemplateError(
        `truncated \\${other}${digits} escape in a string: write \\\\ for a backslash`,
        tokens.lineno + 1,
        tokens.colno + 1,
      );
    }
    if (code !== undefined && Number.parseInt(code, 16) > 0x10ffff)
      throw new TemplateError(`\\U${code} is not a Unicode character`, tokens.lineno + 1, tokens.colno + 1);
    if (code !== undefined) text += String.fromCodePoint(Number.parseInt(code, 16));
    else if (octal !== undefined) text += String.fromCodePoint(Number.parseInt(octal, 8));
    else text += ESCAPES[other] ?? written;
    at += written.length;
  }
  tokens.forwardN(at + 1 - tokens.index);
  return text;
}

function wholeNumber(tokens: Tokenizer, token: Token): Token {
  const start = tokens.index - token.value.length;
  PYTHON_NUMBER.lastIndex = start;
  const text = PYTHON_NUMBER.exec(tokens.str)?.[0] ?? '';
  // A number is followed by something that is not part of a name (`1abc` stays nunjucks's, an unknown name).
  if (text.length < token.value.length || /\w/.test(tokens.str[start + text.length] ?? '')) return token;
  tokens.forwardN(text.length - token.value.length);
  const digits = text.replaceAll('_', '');
  if (/^0[xob]/i.test(digits)) {
    // Past 1e21 a number's text has an exponent, which nunjucks reads only as a float.
    const value = Number(digits);
    return { ...token, type: value < 1e21 ? 'int' : 'float', value: String(value) };
  }
  return { ...token, type: /[.e]/i.test(digits) ? 'float' : 'int', value: digits };
}

/**
 * `{% set %}` as Jinja reads it: names (`a, b` or `(a, b)`) that unpack the value when there are several
 * (compileSet), and a tuple without parentheses as the value (`{% set a, b = 1, 2 %}`), which nunjucks refused.
 */
function parseSet(parser: NunjucksParser): AstNode {
  const nodes = nodeClasses;
  const tag = parser.peekToken();
  if (!parser.skipSymbol('set')) parser.fail('parseSet: expected set', tag.lineno, tag.colno);
  const node = new nodes.Set(tag.lineno, tag.colno, []);
  const targets = node.targets as AstNode[];
  do {
    const target = parser.parsePrimary();
    for (const name of target.typename === 'Group' ? (target.children ?? []) : [target]) {
      if ((name as { bracket?: boolean }).bracket)
        parser.fail(
          "{% set %} sets names, or a namespace's attribute (ns.found), not an item ([…])",
          tag.lineno,
          tag.colno,
        );
      targets.push(name);
    }
  } while (parser.skip('comma'));
  if (!parser.skipValue('operator', '=')) {
    // `{% set text | trim %}…{% endset %}`: the block's text through filters.
    const filters = parser.skip('pipe') ? parseFilterSteps(parser) : [];
    if (!parser.skip('block-end')) parser.fail('expected = or the end of the set tag', tag.lineno, tag.colno);
    const body = new nodes.Capture(tag.lineno, tag.colno, parser.parseUntilBlocks('endset'));
    node.body = applyFilters(body, filters);
    node.value = null;
    parser.advanceAfterBlockEnd();
    return node;
  }
  const first = parser.parseExpression();
  const items = [first];
  let commas = 0;
  for (; parser.skip('comma'); commas++)
    if (parser.peekToken()?.type !== 'block-end') items.push(parser.parseExpression());
  // `1, 2` and `1,` are tuples, as in Jinja.
  const tuple = new nodes.Group(first.lineno ?? 0, first.colno ?? 0, items);
  node.value = commas > 0 ? Object.assign(tuple, { tuple: true }) : first;
  parser.advanceAfterBlockEnd(tag.value);
  return node;
}

/**
 * `{% include name [ignore missing] [with context | without context] %}`, as Jinja reads it (nunjucks stopped at the
 * context part); `name` may be a list, the first template that exists is included (engine.ts).
 */
function parseInclude(parser: NunjucksParser): AstNode {
  const tag = parser.peekToken();
  if (!parser.skipSymbol('include')) parser.fail('expected include', tag.lineno, tag.colno);
  const node = new nodeClasses.Include(tag.lineno, tag.colno) as AstNode & {
    template?: AstNode;
    ignoreMissing?: boolean;
    withoutContext?: boolean;
  };
  node.template = parser.parseExpression();
  if (parser.skipSymbol('ignore')) {
    if (!parser.skipSymbol('missing')) parser.fail('expected missing after ignore', tag.lineno, tag.colno);
    node.ignoreMissing = true;
  }
  const context = parser.skipSymbol('with') ? 'with' : parser.skipSymbol('without') ? 'without' : null;
  if (context !== null) {
    if (!parser.skipSymbol('context')) parser.fail(`expected context after ${context}`, tag.lineno, tag.colno);
    node.withoutContext = context === 'without';
  }
  parser.advanceAfterBlockEnd(tag.value);
  return node;
}

/**
 * `{% block name [scoped] [required] %}…{% endblock [name] %}`, as Jinja reads it. `scoped` changes nothing here (a
 * block already sees the loop it stands in); a `required` block holds nothing but whitespace and comments, and a
 * child template must fill it (LocatingCompiler.compileBlock).
 */
function parseBlock(parser: NunjucksParser): AstNode {
  const tag = parser.peekToken();
  if (!parser.skipSymbol('block')) parser.fail('expected block', tag.lineno, tag.colno);
  const node = new nodeClasses.Block(tag.lineno, tag.colno) as AstNode & { required?: boolean };
  const name = parser.parsePrimary() as AstNode & { value?: string };
  if (name.typename !== 'Symbol') parser.fail('a block needs a name: {% block content %}', tag.lineno, tag.colno);
  node.name = name;
  parser.skipSymbol('scoped');
  node.required = parser.skipSymbol('required');
  parser.advanceAfterBlockEnd(tag.value);
  node.body = parser.parseUntilBlocks('endblock');
  if (node.required && !(node.body.children ?? []).every(isBlank)) {
    parser.fail('Required blocks can only contain comments or whitespace', tag.lineno, tag.colno);
  }
  parser.skipSymbol('endblock');
  parser.skipSymbol(String(name.value));
  const end = parser.peekToken();
  if (!end) parser.fail('expected endblock, got end of file', tag.lineno, tag.colno);
  parser.advanceAfterBlockEnd(end.value);
  return node;
}

/** Template text that is only whitespace (comments leave none). */
function isBlank(node: AstNode): boolean {
  return (
    node.typename === 'Output' &&
    (node.children ?? []).every((child) => child.typename === 'TemplateData' && /^\s*$/.test(String(child.value)))
  );
}

/**
 * A call's arguments, as Jinja reads them: positional, then keywords, with Python's `*items` (after the positional
 * ones) and `**options` (last). nunjucks read neither. `noParens`: a call block's arguments, up to the tag's end.
 */
function parseSignature(parser: NunjucksParser, tolerant?: boolean, noParens?: boolean): AstNode {
  const { NodeList, KeywordArgs, Pair } = nodeClasses;
  let token = parser.peekToken();
  if (!noParens && token.type !== 'left-paren') {
    if (tolerant) return null as unknown as AstNode; // nunjucks's parseCall asks for no arguments this way
    parser.fail('expected arguments', token.lineno, token.colno);
  }
  if (token.type === 'left-paren') token = parser.nextToken();
  const opening = token;
  const args = new NodeList(token.lineno, token.colno, []);
  const keywords = new KeywordArgs(token.lineno, token.colno);
  let [spread, spreadKeywords] = [false, false];
  // The next token; the template's end inside the call is a syntax error (nunjucks crashed on it).
  const peek = () =>
    parser.peekToken() ?? parser.fail('the template ends inside a call: expected )', opening.lineno, opening.colno);
  for (let first = true; ; first = false) {
    token = peek();
    if (!noParens && token.type === 'right-paren') {
      parser.nextToken();
      break;
    }
    if (noParens && token.type === 'block-end') break;
    if (!first && !parser.skip('comma')) parser.fail('expected a comma between arguments', token.lineno, token.colno);
    token = peek();
    if (spreadKeywords) parser.fail('nothing can follow **options in a call', token.lineno, token.colno);
    if (token.type === 'operator' && token.value === '**') {
      parser.nextToken();
      keywords.children!.push(new KeywordSplatNode(token.lineno, token.colno, parser.parseExpression()));
      spreadKeywords = true;
    } else if (token.type === 'operator' && token.value === '*') {
      if (spread) parser.fail('a call takes one *items', token.lineno, token.colno);
      parser.nextToken();
      args.children!.push(new SplatNode(token.lineno, token.colno, parser.parseExpression()));
      spread = true;
    } else {
      const argument = parser.parseExpression();
      if (parser.skipValue('operator', '=')) {
        keywords.children!.push(
          new Pair(argument.lineno ?? 0, argument.colno ?? 0, argument, parser.parseExpression()),
        );
      } else {
        if (spread) parser.fail('a positional argument cannot follow *items', token.lineno, token.colno);
        args.children!.push(argument);
      }
    }
  }
  if ((keywords.children ?? []).length > 0) args.children!.push(keywords);
  return args;
}

/**
 * `{% raw %}…{% endraw %}` (or `verbatim`), as Jinja reads it: whitespace control on either tag (`{%- raw -%}`,
 * `{%- endraw %}`), trim_blocks and lstrip_blocks around the end tag, the first end tag ending it, the template's own
 * delimiters and line breaks; nunjucks looked for `{% endraw %}` spelled only so.
 */
function parseRaw(parser: NunjucksParser, name: string, trim: boolean, lstrip: boolean, newline: string): AstNode {
  const tokens = parser.tokens;
  const begun = parser.advanceAfterBlockEnd();
  // A `-` on the raw tag strips the start of the raw text, not the text after the block; trim_blocks does not apply
  // after the raw tag (its line break, dropped by blockWhitespace, belongs to the raw text).
  const stripStart = begun.value.startsWith('-');
  parser.dropLeadingWhitespace = false;
  const start = tokens.trimmedAt === tokens.index - 1 ? tokens.index - 1 : tokens.index;
  const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const { BLOCK_START, BLOCK_END } = tokens.tags;
  const tag = new RegExp(
    `${literally(BLOCK_START)}([-+]?)\\s*(${name}|end${name})\\s*([-+]?)${literally(BLOCK_END)}`,
    'g',
  );
  tag.lastIndex = tokens.index;
  // The first end tag ends it, as in Jinja: a raw block shows `{% raw %}` in its text as it is.
  let end: RegExpExecArray | null;
  do end = tag.exec(tokens.str);
  while (end !== null && end[2] === name);
  if (end === null) parser.fail(`expected {% end${name} %}`, begun.lineno, begun.colno);
  const [whole, before, , after] = end!;
  let text = tokens.str.slice(start, end!.index);
  if (stripStart) text = text.replace(/^\s+/, '');
  if (before === '-') text = text.replace(/\s+$/, '');
  else if (lstrip && before !== '+') {
    // Spaces before the end tag at the start of its line (the raw text's own start counts if a line starts there).
    const atLineStart = start === 0 || tokens.str[start - 1] === '\n';
    text = text.replace(atLineStart ? /(^|\n)[ \t]+$/ : /(\n)[ \t]+$/, '$1');
  }
  tokens.forwardN(end!.index + whole.length - tokens.index);
  if (after === '-') parser.dropLeadingWhitespace = true;
  else if (trim && after !== '+' && tokens.str[tokens.index] === '\n') tokens.forwardN(1);
  const { Output, TemplateData } = nodeClasses;
  return new Output(begun.lineno, begun.colno, [
    new TemplateData(begun.lineno, begun.colno, text.replaceAll('\n', newline)),
  ]);
}

const CLOSING = new Set(['right-paren', 'right-bracket', 'right-curly']);

/**
 * `(…)`, `[…]` and `{…}` as Jinja reads them: a trailing comma (`[1, 2,]`, `{'a': 1,}`), the empty tuple `()` and
 * the one-item tuple `(1,)`, which nunjucks called syntax errors (or, for `()`, wrote as JavaScript that did not run).
 */
function parseAggregate(parser: NunjucksParser): AstNode | null {
  const open = parser.nextToken();
  const kind = { 'left-paren': 'Group', 'left-bracket': 'Array', 'left-curly': 'Dict' }[open.type];
  if (kind === undefined) return null;
  const node = new (nodeClasses[kind] as new (lineno: number, colno: number) => AstNode)(open.lineno, open.colno);
  const children = (node.children ??= []);
  let commas = 0;
  while (!CLOSING.has(parser.peekToken()?.type ?? 'right-paren')) {
    if (children.length > 0) {
      if (!parser.skip('comma')) parser.fail('expected a comma between items', open.lineno, open.colno);
      commas++;
      if (CLOSING.has(parser.peekToken()?.type ?? 'right-paren')) break;
    }
    if (kind === 'Dict') {
      const key = parser.parsePrimary();
      if (!parser.skip('colon')) parser.fail('expected a colon after the key', open.lineno, open.colno);
      children.push(new nodeClasses.Pair(key.lineno ?? 0, key.colno ?? 0, key, parser.parseExpression()));
    } else {
      children.push(parser.parseExpression());
    }
  }
  parser.nextToken();
  // `()` and `(1,)` are tuples; `(1)` is a grouping (compileGroup).
  return kind === 'Group' && (children.length === 0 || commas > 0) ? Object.assign(node, { tuple: true }) : node;
}

type FilterStep = [name: AstNode, args: AstNode[]];

/** `name(args)|name(args)…` up to what follows: the filters of a filter block or a set block. */
function parseFilterSteps(parser: NunjucksParser): FilterStep[] {
  const steps: FilterStep[] = [];
  do {
    const name = parser.parseFilterName();
    steps.push([name, parser.parseFilterArgs(name)]);
  } while (parser.skip('pipe'));
  return steps;
}

/** `value` through each filter in turn. */
function applyFilters(value: AstNode, steps: FilterStep[]): AstNode {
  const { Filter, NodeList } = nodeClasses;
  return steps.reduce<AstNode>(
    (node, [name, args]) =>
      new Filter(
        name.lineno ?? 0,
        name.colno ?? 0,
        name,
        new NodeList(name.lineno ?? 0, name.colno ?? 0, [node, ...args]),
      ),
    value,
  );
}

/**
 * `{% filter upper|replace('A', 'a') %}…{% endfilter %}`: the block's text through a chain of filters, as in Jinja
 * (nunjucks took one filter and called the `|` a syntax error).
 */
function parseFilterStatement(parser: NunjucksParser): AstNode {
  const tag = parser.peekToken();
  if (!parser.skipSymbol('filter')) parser.fail('expected filter', tag.lineno, tag.colno);
  const steps = parseFilterSteps(parser);
  parser.advanceAfterBlockEnd(tag.value);
  const body = new nodeClasses.Capture(tag.lineno, tag.colno, parser.parseUntilBlocks('endfilter'));
  parser.advanceAfterBlockEnd();
  return new nodeClasses.Output(tag.lineno, tag.colno, [applyFilters(body, steps)]);
}

/**
 * A filter's arguments. `users|first(…).name` made nunjucks read `.name` as the filter's call and crash ("Cannot
 * read properties of undefined (reading 'children')", no line); Jinja calls it a syntax error, and so does this.
 */
function parseFilterArgs(parser: NunjucksParser): AstNode[] {
  if (parser.peekToken()?.type !== 'left-paren') return [];
  const args = parser.parseSignature().children ?? [];
  const next = parser.peekToken();
  if (next?.type === 'left-bracket' || (next?.type === 'operator' && next.value === '.')) {
    parser.fail(
      "a filter's arguments cannot be followed by `.name` or `[…]`: put the filter in parentheses, as in `(users|first).name`",
      next.lineno,
      next.colno,
    );
  }
  return args;
}

/**
 * `value|name(args)|…`, nunjucks's filters, and as in Jinja a call after a filter calls what it gave:
 * `'a,b'|attr('split')(',')` (nunjucks took the second parentheses as the filter's arguments).
 */
function parseFilter(parser: NunjucksParser, node: AstNode): AstNode {
  const { Filter, NodeList, FunCall } = nodeClasses;
  let current = node;
  while (parser.skip('pipe')) {
    const name = parser.parseFilterName();
    const args = new NodeList(name.lineno ?? 0, name.colno ?? 0, [current, ...parser.parseFilterArgs(current)]);
    current = new Filter(name.lineno ?? 0, name.colno ?? 0, name, args);
    for (let call = parser.peekToken(); call?.type === 'left-paren'; call = parser.peekToken())
      current = new FunCall(call.lineno, call.colno, current, parser.parseSignature());
  }
  return current;
}

/**
 * Calls, `.name` and `[index]` after a value, as nunjucks reads them, and Jinja's slices: `[start:stop:step]`, each
 * part optional.
 */
function parsePostfix(parser: NunjucksParser, node: AstNode): AstNode & { args?: { children: AstNode[] } } {
  const nodes = nodeClasses;
  let current = node;
  for (let token = parser.peekToken(); token; token = parser.peekToken()) {
    if (token.type === 'left-paren') {
      current = new nodes.FunCall(token.lineno, token.colno, current, parser.parseSignature());
    } else if (token.type === 'operator' && token.value === '.') {
      parser.nextToken();
      const name = parser.nextToken();
      // `.name`, or `.0` for an index as in Jinja (`items.0.name`).
      if (name?.type !== 'symbol' && name?.type !== 'int')
        parser.fail(`expected name as lookup value, got ${name?.value}`, name?.lineno, name?.colno);
      const key = name.type === 'int' ? Number(name.value) : name.value;
      current = new nodes.LookupVal(
        token.lineno,
        token.colno,
        current,
        new nodes.Literal(name.lineno, name.colno, key),
      );
    } else if (token.type === 'left-bracket') {
      current = parseSubscript(parser, current);
    } else {
      break;
    }
  }
  return current;
}

/** `[index]` or `[start:stop:step]` after `target`. */
function parseSubscript(parser: NunjucksParser, target: AstNode): AstNode {
  const open = parser.nextToken();
  const part = (): AstNode | null => {
    const next = parser.peekToken()?.type;
    return next === 'colon' || next === 'right-bracket' ? null : parser.parseExpression();
  };
  const start = part();
  if (!parser.skip('colon')) {
    if (start === null || !parser.skip('right-bracket'))
      parser.fail('expected one index in [ ]', open.lineno, open.colno);
    // Marked for parseSet, which sets names and attributes, not items.
    return Object.assign(new nodeClasses.LookupVal(open.lineno, open.colno, target, start), { bracket: true });
  }
  const stop = part();
  const step = parser.skip('colon') ? part() : null;
  if (!parser.skip('right-bracket')) parser.fail('expected ] after a slice', open.lineno, open.colno);
  return new SliceNode(open.lineno, open.colno, target, start, stop, step);
}

const MULTIPLICATIVE: Record<string, string> = { '*': 'Mul', '/': 'Div', '//': 'FloorDiv', '%': 'Mod' };

/**
 * `*`, `/`, `//` and `%` at one precedence, left to right, as in Python: nunjucks nested them (`%` tightest), so
 * `2 * 3 % 4` was `2 * (3 % 4)`, which only JavaScript's own precedence had put right while `%` was written flat.
 */
function parseMultiplicative(parser: NunjucksParser): AstNode {
  let node = parser.parsePow();
  for (
    let token = parser.peekToken();
    token?.type === 'operator' && MULTIPLICATIVE[token.value];
    token = parser.peekToken()
  ) {
    parser.nextToken();
    const right = parser.parsePow();
    const Operator = nodeClasses[MULTIPLICATIVE[token.value]!] as new (
      l: number,
      c: number,
      a: AstNode,
      b: AstNode,
    ) => AstNode;
    node = new Operator(node.lineno ?? 0, node.colno ?? 0, node, right);
  }
  return node;
}

/**
 * Jinja's `x is test`, `x is not test`, and a test's single argument without parentheses (`loop.index is divisibleby
 * 3`, `x is in [1, 2]`, `x is sameas false`), which nunjucks read as a syntax error; `is divisibleby(3)` as before.
 */
function parseIs(parser: NunjucksParser): AstNode {
  const nodes = nodeClasses;
  const left = parser.parseCompare();
  if (!parser.skipSymbol('is')) return left;
  const negated = parser.skipSymbol('not');
  let test: AstNode;
  const name = parser.peekToken();
  if (name?.type === 'symbol') {
    parser.nextToken();
    test = new nodes.Symbol(name.lineno, name.colno, name.value);
    // `divisibleby(3)` is a call; `in [1, 2]` is a test and its argument, not an index.
    if (parser.peekToken()?.type === 'left-paren') test = parser.parsePostfix(test);
    const next = parser.peekToken();
    const argumentFollows =
      test.typename === 'Symbol' &&
      next !== null &&
      TEST_ARGUMENT_STARTS.has(next.type) &&
      !(next.type === 'symbol' && ['else', 'or', 'and'].includes(next.value));
    if (argumentFollows) {
      const argument = parser.parsePrimary();
      test = new nodes.FunCall(name.lineno, name.colno, test, new nodes.NodeList(name.lineno, name.colno, [argument]));
    }
  } else {
    test = parser.parseCompare();
  }
  const is = new nodes.Is(left.lineno ?? 0, left.colno ?? 0, left, test);
  // A filter after the test applies to its result, as in Jinja (`n is odd|string`).
  return parser.parseFilter(negated ? new nodes.Not(is.lineno ?? 0, is.colno ?? 0, is) : is);
}
