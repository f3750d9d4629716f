/** NunjucksRenderer itself: per-file autoescaping holds however a template was first reached, and Jinja's constants. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NunjucksRenderer } from '../../src/templating/index.js';

const TEMPLATES = fileURLToPath(new URL('./fixtures/templates/', import.meta.url));

describe('NunjucksRenderer', () => {
  it('renders a .txt template unescaped even after an .html template included it (each environment caches its own)', () => {
    const engine = new NunjucksRenderer([TEMPLATES]);
    // (Inside page.html the included note is escaped: nunjucks escapes per environment, where Jinja decides per file.)
    engine.render('escaping/page.html', { value: '<b>' });
    expect(engine.render('escaping/note.txt', { value: '<b>' })).toBe('note: <b>');
  });

  it("knows Jinja's True, False and None, so ported templates need no edits", () => {
    expect(
      new NunjucksRenderer([]).renderString(
        '{{ True }} {{ False }} {{ None is none }} {% if not False %}ok{% endif %}',
        {},
      ),
    ).toBe('true false true ok');
  });

  it("drops one final newline of a template's source, as Jinja (keep_trailing_newline=False)", () => {
    const engine = new NunjucksRenderer([TEMPLATES]);
    expect(
      ['Hello\n', 'Hello\n\n', 'Hello\r\n', 'Hello\r', 'Hello', '{% if 1 %}x{% endif %}\n'].map((source) =>
        engine.renderString(source, {}),
      ),
    ).toEqual(['Hello', 'Hello\n', 'Hello', 'Hello', 'Hello', 'x']);
    // Each file loses its own, an included one too: what Flask renders from the same two files.
    expect(engine.render('newline/letter.txt', { name: 'Grace' })).toBe('Dear Grace,\nAda!');
  });

  it("has Jinja's {% autoescape %} block, which sets escaping for its body only, even when the body throws", () => {
    const engine = new NunjucksRenderer([TEMPLATES]);
    engine.addFilter('explode', () => {
      throw new Error('boom');
    });
    const x = '<b>';
    expect(engine.renderString('{{ x }}|{% autoescape false %}{{ x }}{% endautoescape %}|{{ x }}', { x })).toBe(
      '&lt;b&gt;|<b>|&lt;b&gt;',
    );
    // Nested blocks, and `True`/`False` as Jinja spells them too.
    expect(
      engine.renderString(
        '{% autoescape False %}{{ x }}{% autoescape true %}{{ x }}{% endautoescape %}{{ x }}{% endautoescape %}',
        { x },
      ),
    ).toBe('<b>&lt;b&gt;<b>');
    // A text template (no autoescaping) can turn it on for a block.
    expect(engine.render('autoescape/note.txt', { x })).toBe('<b> &lt;b&gt; <b>');
    expect(() => engine.renderString('{% autoescape false %}{{ x | explode }}{% endautoescape %}', { x })).toThrow(
      'boom',
    );
    expect(engine.renderString('{{ x }}', { x })).toBe('&lt;b&gt;'); // the failed block put escaping back
  });

  it('{% autoescape false %} leaves a macro defined outside it and an included template escaped, as Jinja', () => {
    const engine = new NunjucksRenderer([TEMPLATES]);
    const source =
      '{% macro m(v) %}<{{ v }}>{% endmacro %}{% autoescape false %}{{ m(x) }}|{% include "autoescape/part.html" %}|{{ x }}{% endautoescape %}';
    // What Flask renders from the same template and part.html (python3, Flask 3.1).
    expect(engine.renderString(source, { x: '<b>' })).toBe('<&lt;b&gt;>|[&lt;b&gt;]|<b>');
    expect(() => engine.renderString('{% autoescape flag %}{% endautoescape %}', { flag: false })).toThrow(
      /autoescape takes true or false/,
    );
  });

  it("has Jinja's {% with %} block: names for its body, seen by includes, put back after it (even after a throw)", () => {
    const engine = new NunjucksRenderer([TEMPLATES]);
    engine.addFilter('explode', () => {
      throw new Error('boom');
    });
    // What Flask renders from the same template and who.html (python3, Flask 3.1).
    const source =
      '{{ who }}|{% with who = "<b>", n = 2 %}{{ who }}{{ n }}{% include "autoescape/who.html" %}{% endwith %}|{{ who }}|{{ n }}';
    expect(engine.renderString(source, { who: 'ada' })).toBe('ada|&lt;b&gt;2<i>&lt;b&gt;</i>|ada|');
    expect(() => engine.renderString('{% with who = 1 %}{{ who | explode }}{% endwith %}', { who: 'ada' })).toThrow(
      'boom',
    );
    expect(() => engine.renderString('{% with who %}{% endwith %}', {})).toThrow(/with takes names and values/);
  });

  it("gives loops Jinja's loop.cycle(…), over lists and over a dict's pairs", () => {
    const engine = new NunjucksRenderer([]);
    // Flask renders the same with `d.items()` for the pairs.
    const source =
      '{% for x in xs %}<tr class={{ loop.cycle("odd", "even") }}>{{ x }}{% endfor %}|{% for k, v in d %}{{ loop.cycle("a", "b", "c") }}{% endfor %}';
    expect(engine.renderString(source, { xs: [1, 2, 3], d: { p: 1, q: 2, r: 3, s: 4 } })).toBe(
      '<tr class=odd>1<tr class=even>2<tr class=odd>3|abca',
    );
  });

  it("gives dicts Python's items(), keys(), values() and get(), and walks a dict's keys in a one-name loop", () => {
    const engine = new NunjucksRenderer([]);
    // Flask renders exactly this from the same template and values (python3, Flask 3.1).
    const source = [
      '{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}',
      '{% for k in d %}{{ k }},{% endfor %}',
      '{{ d.get("a") }}',
      '{{ d.get("zz", "dflt") }}',
      '{{ d.keys()|list|length }}',
      '{% for v in d.values() %}{{ v }}{% endfor %}',
      '{% for name, errors in errs.items() %}{{ name }}: {{ errors|join(", ") }};{% endfor %}',
    ].join('|');
    const values = { d: { a: 1, b: 2 }, errs: { email: ['required', 'invalid'] } };
    expect(engine.renderString(source, values)).toBe('a=1;b=2;|a,b,|1|dflt|2|12|email: required, invalid;');
    // A record's own field of that name, and an object's own method, come first; lists and pairs loop as before.
    expect(
      engine.renderString(
        '{{ r.items }}|{{ s.toUpperCase() }}|{% for x in xs %}{{ x }}{% endfor %}|{% for k, v in d %}{{ k }}{{ v }}{% endfor %}',
        {
          r: { items: 3 },
          s: 'ok',
          xs: [1, 2],
          d: { a: 1 },
        },
      ),
    ).toBe('3|OK|12|a1');
    // Template text that spells the runtime's names is output as it is, inside an autoescape block too.
    const spelled = 'runtime.memberLookup( runtime.fromIterator( env.opts.autoescape';
    expect(
      engine.renderString(
        `${spelled}|{% autoescape false %}${spelled}{% endautoescape %}|{% for x in [1] %}${spelled}{% endfor %}`,
        {},
      ),
    ).toBe(`${spelled}|${spelled}|${spelled}`);
  });
});
