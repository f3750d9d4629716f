/**
 * Python's str.format() for templates. Every expected string and error below is CPython 3's output for the same call,
 * `template.format(*positional, **keywords)` (python3.11, generated once and pasted here; the test runs no Python), with
 * the arguments written as the JavaScript values that stand for them (an integer float such as 3.0 is left out: in
 * JavaScript it is the int 3). The escaped rows are MarkupSafe 3's `Markup(template).format(...)`.
 * The tests after the tables pin what has no Python counterpart, where the module documents its own way (null prints
 * '', other objects print String(value)), and that a huge width does not hang.
 */
import { describe, expect, it } from 'vitest';
import { makeTuple } from '../../src/templating/python-tuple.js';
import { pythonStrFormat } from '../../src/templating/str-format.js';

type Case = [template: string, positional: unknown[], keywords: Record<string, unknown>, expected: string];
type ErrorCase = [
  template: string,
  positional: unknown[],
  keywords: Record<string, unknown>,
  name: string,
  message: string,
];

const CASES: Case[] = [
  ['plain text', [], {}, 'plain text'],
  ['{{}}', [], {}, '{}'],
  ['{{{}}}', [5], {}, '{5}'],
  ['}}{{', [], {}, '}{'],
  ['a{{b}}c', [], {}, 'a{b}c'],
  ['{} items', [3], {}, '3 items'],
  ['{}, {}, {}', ['a', 'b', 'c'], {}, 'a, b, c'],
  ['{1} {0} {1}', ['a', 'b'], {}, 'b a b'],
  ['{00}', ['z'], {}, 'z'],
  ['{name} is {age}', [], { name: 'Ada', age: 36 }, 'Ada is 36'],
  ['{0} and {x}', [1], { x: 2 }, '1 and 2'],
  ['{} and {x}', [1], { x: 2 }, '1 and 2'],
  ['{} items, {:.2f} \u20ac', [3, 2.675], {}, '3 items, 2.67 \u20ac'],
  ['', [], {}, ''],
  ['{}', [''], {}, ''],
  ['{0.name}', [{ name: 'ada', tags: ['x', 'y'], address: { city: 'Paris', zip: ['75', '001'] } }], {}, 'ada'],
  ['{u.tags[1]}', [], { u: { name: 'ada', tags: ['x', 'y'], address: { city: 'Paris', zip: ['75', '001'] } } }, 'y'],
  ['{0[1]}', [[10, 20]], {}, '20'],
  ['{0[a]}', [{ a: 'A' }], {}, 'A'],
  [
    '{a.address[city]}',
    [],
    { a: { name: 'ada', tags: ['x', 'y'], address: { city: 'Paris', zip: ['75', '001'] } } },
    'Paris',
  ],
  [
    '{a.address[zip][1]}',
    [],
    { a: { name: 'ada', tags: ['x', 'y'], address: { city: 'Paris', zip: ['75', '001'] } } },
    '001',
  ],
  ['{[0]}{[1]}', [[7], [1, 8]], {}, '78'],
  ['{0[a b]} {0[a.b]} {0[{]} {0[:]} {0[!]}', [{ 'a b': 1, 'a.b': 2, '{': 3, ':': 4, '!': 5 }], {}, '1 2 3 4 5'],
  ['{0[0]}{0[2]}', ['abc'], {}, 'ac'],
  ['{0[0]}', ['\ud83d\ude00x'], {}, '\ud83d\ude00'],
  ['{.name:>6}', [{ name: 'ada', tags: ['x', 'y'], address: { city: 'Paris', zip: ['75', '001'] } }], {}, '   ada'],
  ['{!s}', ['x'], {}, 'x'],
  ['{!r}', ['x'], {}, "'x'"],
  ['{!r}', ["it's"], {}, '"it\'s"'],
  ['{!r}', ['a"b\'c'], {}, "'a\"b\\'c'"],
  ['{!r}', ['"'], {}, "'\"'"],
  [
    '{!r}',
    ['a\\b\n\t\r\u0000\u001b\u007f\u0080\u00e9\u2028\u00a0 \ud83d\ude00'],
    {},
    "'a\\\\b\\n\\t\\r\\x00\\x1b\\x7f\\x80\u00e9\\u2028\\xa0 \ud83d\ude00'",
  ],
  ['{!a}', ['a\\b\n\t\u00e9\u2028\u00a0 \ud83d\ude00\uffff'], {}, "'a\\\\b\\n\\t\\xe9\\u2028\\xa0 \\U0001f600\\uffff'"],
  ['{!r}', [true], {}, 'True'],
  ['{!r}', [null], {}, 'None'],
  ['{!r}', [12], {}, '12'],
  ['{!r}', [1.5], {}, '1.5'],
  ['{!r}', [[1, 'a', null, true, 1.5, [2]]], {}, "[1, 'a', None, True, 1.5, [2]]"],
  ['{!r}', [{ a: 1, b: 'x', c: [null] }], {}, "{'a': 1, 'b': 'x', 'c': [None]}"],
  ['{!r}', [[]], {}, '[]'],
  ['{!r}', [{}], {}, '{}'],
  ['{0!r:>8}', ['ab'], {}, "    'ab'"],
  ['{!s:^9}', ['ab'], {}, '   ab    '],
  ['{!r:.3}', ['abcdef'], {}, "'ab"],
  ['{!a}', ['ab'], {}, "'ab'"],
  ['{}', [true], {}, 'True'],
  ['{}', [false], {}, 'False'],
  ['{}', [-7], {}, '-7'],
  ['{}', [1.5], {}, '1.5'],
  ['{}', [0.30000000000000004], {}, '0.30000000000000004'],
  ['{}', [1e16], {}, '1e+16'],
  ['{}', [1.5e16], {}, '1.5e+16'],
  ['{}', [1e22], {}, '1e+22'],
  ['{}', [1e-5], {}, '1e-05'],
  ['{}', [0.0001], {}, '0.0001'],
  ['{}', [1.5e300], {}, '1.5e+300'],
  ['{}', [5e-324], {}, '5e-324'],
  ['{}', [-2.5e-7], {}, '-2.5e-07'],
  ['{}', [123456789012345.6], {}, '123456789012345.6'],
  ['{}', [Number.POSITIVE_INFINITY], {}, 'inf'],
  ['{}', [Number.NEGATIVE_INFINITY], {}, '-inf'],
  ['{}', [Number.NaN], {}, 'nan'],
  ['{:5}|', ['ab'], {}, 'ab   |'],
  ['{:>5}', ['ab'], {}, '   ab'],
  ['{:^9}', ['abc'], {}, '   abc   '],
  ['{:^8}', ['abc'], {}, '  abc   '],
  ['{:*^8}', ['abc'], {}, '**abc***'],
  ['{:.3}', ['abcdef'], {}, 'abc'],
  ['{:.0s}', ['abc'], {}, ''],
  ['{:>8.2s}', ['abc'], {}, '      ab'],
  ['{:05}', ['ab'], {}, 'ab000'],
  ['{:0s}', ['a'], {}, 'a'],
  ['{:\ud83d\ude00^5}', ['a'], {}, '\ud83d\ude00\ud83d\ude00a\ud83d\ude00\ud83d\ude00'],
  ['{:5}|', ['\ud83d\ude00'], {}, '\ud83d\ude00    |'],
  ['{:.1}', ['\ud83d\ude00x'], {}, '\ud83d\ude00'],
  ['{:<<5}', ['a'], {}, 'a<<<<'],
  ['{:=^5}', ['a'], {}, '==a=='],
  ['{:\u0000<3}', ['a'], {}, 'a\u0000\u0000'],
  ['{:d}', [42], {}, '42'],
  ['{:5d}|', [42], {}, '   42|'],
  ['{:<5d}|', [42], {}, '42   |'],
  ['{:^6}', [42], {}, '  42  '],
  ['{:+d} {:+d}', [42, -42], {}, '+42 -42'],
  ['{: d} {: d}', [42, -42], {}, ' 42 -42'],
  ['{:-d}', [42], {}, '42'],
  ['{:=+8d}', [42], {}, '+     42'],
  ['{:0=+8d}', [42], {}, '+0000042'],
  ['{:08d}', [-42], {}, '-0000042'],
  ['{:010}', [-5], {}, '-000000005'],
  ['{:<010}', [-5], {}, '-500000000'],
  ['{:x<010}', [-5], {}, '-5xxxxxxxx'],
  ['{:,}', [1234567], {}, '1,234,567'],
  ['{:,}', [-1234], {}, '-1,234'],
  ['{:,}', [123], {}, '123'],
  ['{:,}', [0], {}, '0'],
  ['{:_}', [1000000], {}, '1_000_000'],
  ['{:_d}', [-1000000], {}, '-1_000_000'],
  ['{:08,}', [1234], {}, '0,001,234'],
  ['{:09,}', [1234], {}, '0,001,234'],
  ['{:010,}', [1234], {}, '00,001,234'],
  ['{:0=10,}', [1234], {}, '00,001,234'],
  ['{:x}', [255], {}, 'ff'],
  ['{:X}', [255], {}, 'FF'],
  ['{:x}', [-255], {}, '-ff'],
  ['{:#x}', [-255], {}, '-0xff'],
  ['{:#X}', [-255], {}, '-0XFF'],
  ['{:#o}', [8], {}, '0o10'],
  ['{:o}', [-8], {}, '-10'],
  ['{:b}', [-5], {}, '-101'],
  ['{:#b}', [5], {}, '0b101'],
  ['{:_b}', [1000], {}, '11_1110_1000'],
  ['{:#_b}', [5], {}, '0b101'],
  ['{:#012_b}', [5], {}, '0b0_0000_0101'],
  ['{:_o}', [100000], {}, '30_3240'],
  ['{:_x}', [123456], {}, '1_e240'],
  ['{:#_x}', [2882400018], {}, '0xabcd_ef12'],
  ['{:#010x}', [255], {}, '0x000000ff'],
  ['{:#010_x}', [255], {}, '0x000_00ff'],
  ['{:x^#10x}', [255], {}, 'xxx0xffxxx'],
  ['{:=#10x}', [255], {}, '0x      ff'],
  ['{:+#x}', [255], {}, '+0xff'],
  ['{:#x}', [0], {}, '0x0'],
  ['{:#010b}', [-5], {}, '-0b0000101'],
  ['{:A>#10X}', [48879], {}, 'AAAA0XBEEF'],
  ['{:c}', [65], {}, 'A'],
  ['{:c}', [9731], {}, '\u2603'],
  ['{:5c}|', [65], {}, '    A|'],
  ['{:05c}', [65], {}, '0000A'],
  ['{:<3c}|', [128512], {}, '\ud83d\ude00  |'],
  ['{:n}', [1234567], {}, '1234567'],
  ['{:n}', [-1234], {}, '-1234'],
  ['{}', [9007199254740991], {}, '9007199254740991'],
  ['{:,}', [9007199254740991], {}, '9,007,199,254,740,991'],
  ['{:d}', [true], {}, '1'],
  ['{:>5}', [true], {}, '    1'],
  ['{:%}', [true], {}, '100.000000%'],
  ['{:f}', [false], {}, '0.000000'],
  ['{:,}', [true], {}, '1'],
  ['{:x}', [true], {}, '1'],
  ['{:c}', [true], {}, '\u0001'],
  ['{:f}', [1], {}, '1.000000'],
  ['{:.2f}', [1000000000000000], {}, '1000000000000000.00'],
  ['{:e}', [10], {}, '1.000000e+01'],
  ['{:%}', [1], {}, '100.000000%'],
  ['{:g}', [10], {}, '10'],
  ['{:g}', [100000], {}, '100000'],
  ['{:g}', [1000000], {}, '1e+06'],
  ['{:.0e}', [12345], {}, '1e+04'],
  ['{:e}', [0], {}, '0.000000e+00'],
  ['{:.1%}', [-3], {}, '-300.0%'],
  ['{:f}', [12.34567], {}, '12.345670'],
  ['{:.2f}', [12.34567], {}, '12.35'],
  ['{:.1f}', [0.25], {}, '0.2'],
  ['{:.2f}', [2.675], {}, '2.67'],
  ['{:.1f}', [0.35], {}, '0.3'],
  ['{:.0f}', [2.5], {}, '2'],
  ['{:.0f}', [3.5], {}, '4'],
  ['{:.0f}', [-0.5], {}, '-0'],
  ['{:.2f}', [1.005], {}, '1.00'],
  ['{:.3f}', [1.0005], {}, '1.000'],
  ['{:.1f}', [-0.05], {}, '-0.1'],
  ['{:.1f}', [-0.04], {}, '-0.0'],
  ['{:z.1f}', [-0.04], {}, '0.0'],
  ['{:+z.1f}', [-0.0001], {}, '+0.0'],
  ['{: z.1f}', [-0.0001], {}, ' 0.0'],
  ['{:08.3f}', [-12.34567], {}, '-012.346'],
  ['{:+.1f}', [2.25], {}, '+2.2'],
  ['{: .1f}', [2.25], {}, ' 2.2'],
  ['{:,.2f}', [1234567.891], {}, '1,234,567.89'],
  ['{:_.2f}', [1234567.891], {}, '1_234_567.89'],
  ['{:011,.2f}', [-1234.5], {}, '-001,234.50'],
  ['{:#.0f}', [1.5], {}, '2.'],
  ['{:.20f}', [0.1], {}, '0.10000000000000000555'],
  [
    '{:.100f}',
    [0.1],
    {},
    '0.1000000000000000055511151231257827021181583404541015625000000000000000000000000000000000000000000000',
  ],
  [
    '{:.110f}',
    [0.1],
    {},
    '0.10000000000000000555111512312578270211815834045410156250000000000000000000000000000000000000000000000000000000',
  ],
  ['{:f}', [1e22], {}, '10000000000000000000000.000000'],
  ['{:,.0f}', [1e20], {}, '100,000,000,000,000,000,000'],
  [
    '{:F}',
    [1.5e300],
    {},
    '1500000000000000078757140382806630373056702871662238732373781173267703686983362293679557062620671796065556665749325817265413784853040645863467188277180060474272580801389863705606745350692182135089053429852456199917621678558451461320111979114170213741868888183230085264257173504208294580298189100810240.000000',
  ],
  ['{:.2f}', [9.995], {}, '9.99'],
  ['{:.1f}', [9.96], {}, '10.0'],
  ['{:.2f}', [0.006], {}, '0.01'],
  ['{:.2f}', [0.001], {}, '0.00'],
  ['{:.1f}', [Number.POSITIVE_INFINITY], {}, 'inf'],
  ['{:F}', [Number.POSITIVE_INFINITY], {}, 'INF'],
  ['{:.3F}', [Number.NaN], {}, 'NAN'],
  ['{:010.2f}', [Number.NEGATIVE_INFINITY], {}, '-000000inf'],
  ['{:<8f}|', [Number.NaN], {}, 'nan     |'],
  [
    '{:.1074f}',
    [5e-324],
    {},
    '0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625',
  ],
  ['{:e}', [123456.5], {}, '1.234565e+05'],
  ['{:E}', [1e-10], {}, '1.000000E-10'],
  ['{:.0e}', [2.5], {}, '2e+00'],
  ['{:.0e}', [3.5], {}, '4e+00'],
  ['{:.1e}', [1.25], {}, '1.2e+00'],
  ['{:.2e}', [1.125], {}, '1.12e+00'],
  ['{:.3e}', [2.5e-5], {}, '2.500e-05'],
  ['{:e}', [1.5e300], {}, '1.500000e+300'],
  ['{:e}', [5e-324], {}, '4.940656e-324'],
  ['{:.17e}', [0.1], {}, '1.00000000000000006e-01'],
  ['{:.30e}', [0.1], {}, '1.000000000000000055511151231258e-01'],
  ['{:#.0e}', [1.5], {}, '2.e+00'],
  ['{:,e}', [1234567.891], {}, '1.234568e+06'],
  ['{:e}', [Number.NaN], {}, 'nan'],
  ['{:.2e}', [9.999], {}, '1.00e+01'],
  ['{:+e}', [-0.5], {}, '-5.000000e-01'],
  ['{:g}', [1234567.891], {}, '1.23457e+06'],
  ['{:,g}', [1234567.891], {}, '1.23457e+06'],
  ['{:g}', [0.0001], {}, '0.0001'],
  ['{:g}', [1e-5], {}, '1e-05'],
  ['{:G}', [1e-10], {}, '1E-10'],
  ['{:g}', [1e100], {}, '1e+100'],
  ['{:.1g}', [9.5], {}, '1e+01'],
  ['{:.2g}', [9.95], {}, '9.9'],
  ['{:.0g}', [0.5], {}, '0.5'],
  ['{:.1g}', [0.25], {}, '0.2'],
  ['{:#g}', [1.5], {}, '1.50000'],
  ['{:#.3g}', [10000000000], {}, '1.00e+10'],
  ['{:.3G}', [1e16], {}, '1E+16'],
  ['{:G}', [Number.POSITIVE_INFINITY], {}, 'INF'],
  ['{:g}', [123456.5], {}, '123456'],
  ['{:.17g}', [0.1], {}, '0.10000000000000001'],
  ['{:n}', [1234.5], {}, '1234.5'],
  ['{:n}', [1e-5], {}, '1e-05'],
  ['{:.2n}', [1234.5], {}, '1.2e+03'],
  ['{:.3g}', [0.0001234], {}, '0.000123'],
  ['{:.3}', [1234.5], {}, '1.23e+03'],
  ['{:.3}', [0.0001234], {}, '0.000123'],
  ['{:.3}', [1.234e-5], {}, '1.23e-05'],
  ['{:.3}', [100.5], {}, '1e+02'],
  ['{:.2}', [0.125], {}, '0.12'],
  ['{:.0}', [1.5], {}, '2e+00'],
  ['{:.1}', [0.05], {}, '0.05'],
  ['{:.1}', [0.15], {}, '0.1'],
  ['{:.12}', [123456789.5], {}, '123456789.5'],
  ['{:.9}', [123456789.5], {}, '1.2345679e+08'],
  ['{:.16}', [0.1], {}, '0.1'],
  ['{:.17}', [0.1], {}, '0.10000000000000001'],
  ['{:.20}', [0.1], {}, '0.10000000000000000555'],
  ['{:.3}', [1e16], {}, '1e+16'],
  ['{:#}', [1.5], {}, '1.5'],
  ['{:#}', [1e20], {}, '1.e+20'],
  ['{:#.3}', [1.5], {}, '1.50'],
  ['{:#.0}', [5.5], {}, '6.e+00'],
  ['{:,}', [1234567.891], {}, '1,234,567.891'],
  ['{:,}', [1.5e16], {}, '1.5e+16'],
  ['{:_}', [12345678.123456], {}, '12_345_678.123456'],
  ['{:,.3}', [1234567.5], {}, '1.23e+06'],
  ['{:,.10}', [1234567.5], {}, '1,234,567.5'],
  ['{:+}', [1.5], {}, '+1.5'],
  ['{:z}', [-0.0001], {}, '-0.0001'],
  ['{:010}', [Number.POSITIVE_INFINITY], {}, '0000000inf'],
  ['{:010,}', [Number.POSITIVE_INFINITY], {}, '0000000inf'],
  ['{:+}', [Number.NaN], {}, '+nan'],
  ['{:>10}', [-1.5], {}, '      -1.5'],
  ['{:.3}', [Number.POSITIVE_INFINITY], {}, 'inf'],
  ['{:%}', [0.5], {}, '50.000000%'],
  ['{:.2%}', [0.12345], {}, '12.35%'],
  ['{:.0%}', [0.125], {}, '12%'],
  ['{:.0%}', [0.005], {}, '0%'],
  ['{:.0%}', [0.015], {}, '2%'],
  ['{:#.0%}', [1.5], {}, '150.%'],
  ['{:_%}', [12345.5], {}, '1_234_550.000000%'],
  ['{:,.2%}', [12345.5], {}, '1,234,550.00%'],
  ['{:.1%}', [1e-5], {}, '0.0%'],
  ['{:%}', [Number.POSITIVE_INFINITY], {}, 'inf%'],
  ['{:z.1%}', [-0.0001], {}, '0.0%'],
  ['{:>+10.1%}', [0.25], {}, '    +25.0%'],
  ['{:{}}', [1, 5], {}, '    1'],
  ['{:{}.{}f}', [12.34567, 10, 2], {}, '     12.35'],
  ['{0:{1}}', ['ab', '>6'], {}, '    ab'],
  ['{x:{w}.{p}f}', [], { x: 2.5, w: 8, p: 3 }, '   2.500'],
  ['{:>{w}}', ['a'], { w: 7 }, '      a'],
  ['{0:{1}{2}}', [5, '*', '^7'], {}, '***5***'],
  ['{0:{1}<5}', [1, '{'], {}, '1{{{{'],
  ['{:{}}{}', ['a', '>3', 'b'], {}, '  ab'],
  ['{0:{1}}', [1, ''], {}, '1'],
  ['{:{}{}{}}', [255, '#', 'x', ''], {}, '0xff'],
];

const ERRORS: ErrorCase[] = [
  ['{}', [], {}, 'IndexError', 'Replacement index 0 out of range for positional args tuple'],
  ['{2}', ['a', 'b'], {}, 'IndexError', 'Replacement index 2 out of range for positional args tuple'],
  ['{}{}', [1], {}, 'IndexError', 'Replacement index 1 out of range for positional args tuple'],
  ['{name}', [], {}, 'KeyError', "'name'"],
  ["{it's}", [], {}, 'KeyError', '"it\'s"'],
  ['{}{1}', [1, 2], {}, 'ValueError', 'cannot switch from automatic field numbering to manual field specification'],
  ['{1}{}', [1, 2], {}, 'ValueError', 'cannot switch from manual field specification to automatic field numbering'],
  ['{0:{}}', [1, 5], {}, 'ValueError', 'cannot switch from manual field specification to automatic field numbering'],
  ['}', [], {}, 'ValueError', "Single '}' encountered in format string"],
  ['a}b', [], {}, 'ValueError', "Single '}' encountered in format string"],
  ['{', [], {}, 'ValueError', "Single '{' encountered in format string"],
  ['ab{', [], {}, 'ValueError', "Single '{' encountered in format string"],
  ['{0:}}', [1], {}, 'ValueError', "Single '}' encountered in format string"],
  ['{0', [1], {}, 'ValueError', "expected '}' before end of string"],
  ['{0[}', [[1]], {}, 'ValueError', "expected '}' before end of string"],
  ['{0!', [1], {}, 'ValueError', 'end of string while looking for conversion specifier'],
  ['{!r', [1], {}, 'ValueError', "unmatched '{' in format spec"],
  ['{0!x}', [1], {}, 'ValueError', 'Unknown conversion specifier x'],
  ['{0!rr}', [1], {}, 'ValueError', "expected ':' after conversion specifier"],
  ['{0:', [1], {}, 'ValueError', "unmatched '{' in format spec"],
  ['{0:{}', [1, 2], {}, 'ValueError', "unmatched '{' in format spec"],
  ['{a{}', [], {}, 'ValueError', "unexpected '{' in field name"],
  ['{0[0]x}', [[1]], {}, 'ValueError', "Only '.' or '[' may follow ']' in format field specifier"],
  ['{0.}', [1], {}, 'ValueError', 'Empty attribute in format string'],
  ['{0[]}', [[1]], {}, 'ValueError', 'Empty attribute in format string'],
  ['{0:{1:{2}}}', [1, 2, 3], {}, 'ValueError', 'Max string recursion exceeded'],
  ['{99999999999999999999}', [1], {}, 'ValueError', 'Too many decimal digits in format string'],
  ['{:10000000000000000000}', [1], {}, 'ValueError', 'Too many decimal digits in format string'],
  ['{:d}', ['a'], {}, 'ValueError', "Unknown format code 'd' for object of type 'str'"],
  ['{:f}', ['a'], {}, 'ValueError', "Unknown format code 'f' for object of type 'str'"],
  ['{:c}', ['a'], {}, 'ValueError', "Unknown format code 'c' for object of type 'str'"],
  ['{:d}', [1.5], {}, 'ValueError', "Unknown format code 'd' for object of type 'float'"],
  ['{:x}', [1.5], {}, 'ValueError', "Unknown format code 'x' for object of type 'float'"],
  ['{:s}', [1], {}, 'ValueError', "Unknown format code 's' for object of type 'int'"],
  ['{:s}', [true], {}, 'ValueError', "Unknown format code 's' for object of type 'bool'"],
  ['{:xx}', [1], {}, 'ValueError', "Invalid format specifier 'xx' for object of type 'int'"],
  ['{:>>>5}', ['a'], {}, 'ValueError', "Invalid format specifier '>>>5' for object of type 'str'"],
  ['{:.}', [1.5], {}, 'ValueError', 'Format specifier missing precision'],
  ['{:.f}', [1.5], {}, 'ValueError', 'Format specifier missing precision'],
  ['{:,_}', [1], {}, 'ValueError', "Cannot specify both ',' and '_'."],
  ['{:_,}', [1], {}, 'ValueError', "Cannot specify both ',' and '_'."],
  ['{:,s}', ['a'], {}, 'ValueError', "Cannot specify ',' with 's'."],
  ['{:,}', ['a'], {}, 'ValueError', "Cannot specify ',' with 's'."],
  ['{:_c}', [65], {}, 'ValueError', "Cannot specify '_' with 'c'."],
  ['{:,x}', [1], {}, 'ValueError', "Cannot specify ',' with 'x'."],
  ['{:,n}', [1], {}, 'ValueError', "Cannot specify ',' with 'n'."],
  ['{:_n}', [1.5], {}, 'ValueError', "Cannot specify '_' with 'n'."],
  ['{:=}', ['a'], {}, 'ValueError', "'=' alignment not allowed in string format specifier"],
  ['{:+}', ['a'], {}, 'ValueError', 'Sign not allowed in string format specifier'],
  ['{: }', ['a'], {}, 'ValueError', 'Space not allowed in string format specifier'],
  ['{:#}', ['a'], {}, 'ValueError', 'Alternate form (#) not allowed in string format specifier'],
  ['{:z}', ['a'], {}, 'ValueError', 'Negative zero coercion (z) not allowed in string format specifier'],
  ['{:z}', [1], {}, 'ValueError', 'Negative zero coercion (z) not allowed in integer format specifier'],
  ['{:.2d}', [1], {}, 'ValueError', 'Precision not allowed in integer format specifier'],
  ['{:.3}', [2], {}, 'ValueError', 'Precision not allowed in integer format specifier'],
  ['{:+c}', [65], {}, 'ValueError', "Sign not allowed with integer format specifier 'c'"],
  ['{:#c}', [65], {}, 'ValueError', "Alternate form (#) not allowed with integer format specifier 'c'"],
  ['{:c}', [-1], {}, 'OverflowError', '%c arg not in range(0x110000)'],
  ['{:c}', [1114112], {}, 'OverflowError', '%c arg not in range(0x110000)'],
  ['{0[5]}', [[1]], {}, 'IndexError', 'list index out of range'],
  ['{0[a]}', [[1]], {}, 'TypeError', 'list indices must be integers or slices, not str'],
  ['{0[a]}', ['abc'], {}, 'TypeError', "string indices must be integers, not 'str'"],
  ['{0[5]}', ['ab'], {}, 'IndexError', 'string index out of range'],
  ['{0[b]}', [{ a: 1 }], {}, 'KeyError', "'b'"],
  ['{0.foo}', [1], {}, 'AttributeError', "'int' object has no attribute 'foo'"],
  ['{0.x}', [null], {}, 'AttributeError', "'NoneType' object has no attribute 'x'"],
  ['{0[0]}', [5], {}, 'TypeError', "'int' object is not subscriptable"],
  ['{0[0]}', [null], {}, 'TypeError', "'NoneType' object is not subscriptable"],
  ['{0:{1}}', [1, '>{'], {}, 'ValueError', "Unknown format code '{' for object of type 'int'"],
];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** MarkupSafe's escaping, for a formatter that escapes what `format` returns, as a safe template's `.format()` does. */
const escapeAfter = (value: unknown, spec: string, format: (value: unknown, spec: string) => string): string =>
  format(value, spec).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

// `str(Markup(template).format(*positional, **keywords))`: the spec applies first, the escaping to what it made.
const ESCAPED: Case[] = [
  ['{} & {!r}', ['<b>', '<i>'], {}, '&lt;b&gt; & &#39;&lt;i&gt;&#39;'],
  ['{:>6}|{:.2f}', ['<', 1.5], {}, '     &lt;|1.50'],
  ['{0[0]}', [['<x>']], {}, '&lt;x&gt;'],
  ['{n:<{w}}|', [], { n: '<', w: 3 }, '&lt;  |'],
  ['{}{}', ['<', 7], {}, '&lt;7'],
  ['<p>{:c}{:c}</p>', [60, 62], {}, '<p>&lt;&gt;</p>'],
  ['[{:>5}]', ['<'], {}, '[    &lt;]'],
  ['[{:.2}]', ['<>'], {}, '[&lt;&gt;]'],
  ['{0:"^5}', ['x'], {}, '&#34;&#34;x&#34;&#34;'],
];

/** The name and message `run` throws with. */
function thrown(run: () => unknown): { name: string; message: string } {
  try {
    run();
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('nothing thrown');
}

describe("Python's str.format()", () => {
  it.each(CASES)('%j with %j %j', (template, positional, keywords, expected) => {
    expect(pythonStrFormat(template, positional, keywords)).toBe(expected);
  });

  it.each(ERRORS)('%j with %j %j raises %s', (template, positional, keywords, name, message) => {
    expect(thrown(() => pythonStrFormat(template, positional, keywords))).toEqual({ name, message });
  });

  it("raises Python's errors for numbering, lookups and specs", () => {
    expect(() => pythonStrFormat('{2}', ['a'], {})).toThrow(/Replacement index 2 out of range/);
    expect(() => pythonStrFormat('{}{0}', ['a'], {})).toThrow(/cannot switch from automatic field numbering/);
    expect(() => pythonStrFormat('{name}', [], {})).toThrow("'name'");
    expect(() => pythonStrFormat('{:d}', ['a'], {})).toThrow("Unknown format code 'd' for object of type 'str'");
    expect(() => pythonStrFormat('{:.f}', [1.5], {})).toThrow('Format specifier missing precision');
  });

  it.each(ESCAPED)(
    'gives formatField what the spec made of each field, to escape: %j',
    (template, positional, keywords, expected) => {
      expect(pythonStrFormat(template, positional, keywords, escapeAfter)).toBe(expected);
    },
  );

  it('calls formatField once per field, nested fields included, after the conversion', () => {
    const seen: unknown[] = [];
    const record = (value: unknown, spec: string, format: (value: unknown, spec: string) => string): string => {
      seen.push([value, spec]);
      return format(value, spec);
    };
    expect(pythonStrFormat('{0}{0!r}|{1:{2}}', ['a', 1, '>3'], {}, record)).toBe("a'a'|  1");
    expect(seen).toEqual([
      ['a', ''],
      ["'a'", ''],
      ['>3', ''],
      [1, '>3'],
    ]);
  });

  it('prints null and undefined as empty text (as the % formatter does), None under !r', () => {
    expect(pythonStrFormat('[{}|{!s}|{:>3}|{x}]', [null, undefined, null], { x: undefined })).toBe('[||   |]');
    expect(pythonStrFormat('{!r} {!r}', [null, [undefined]], {})).toBe('None [None]');
  });

  it("prints other objects as String(value), with a string's spec", () => {
    const money = { toString: () => '12 €' };
    expect(pythonStrFormat('{}|{:>6}|{!s:.2}', [money, money, money], {})).toBe('12 €|  12 €|12');
    expect(pythonStrFormat('{}', [[1, 'a']], {})).toBe('1,a');
  });

  it('reads an integer-valued number as an int and a tuple as a tuple', () => {
    expect(pythonStrFormat('{} {} {:.1f}', [3.0, -0, -0], {})).toBe('3 0 0.0');
    expect(pythonStrFormat('{!r} {!r}', [makeTuple(1), makeTuple(1, 'a')], {})).toBe("(1,) (1, 'a')");
  });

  it('pads to a large width without hanging', () => {
    expect(pythonStrFormat('{:>100000}', ['x'], {})).toBe(`${' '.repeat(99999)}x`);
    expect(pythonStrFormat('{:0100000,}', [1], {})).toMatch(/^0(,000){24999},001$/);
  });
});
