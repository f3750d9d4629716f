/**
 * Jinja's loop controls, `{% break %}` and `{% continue %}` (the `jinja2.ext.loopcontrols` extension). Each expected
 * string is what Jinja 3.1 renders from the same template and data (python3, with that extension).
 */
import { describe, expect, it } from 'vitest';
import { NunjucksRenderer } from '../../src/templating/index.js';

const render = (source: string, context: Record<string, unknown> = {}) =>
  new NunjucksRenderer([]).renderString(source, context);

describe('{% break %} and {% continue %}', () => {
  it('leave the loop or its iteration, from inside if, with and autoescape blocks, leaving the scopes as they were', () => {
    const cases = {
      '{% for i in range(10) %}{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %}|{% for i in range(5) %}{% if i is odd %}{% continue %}{% endif %}{{ i }}{% endfor %}':
        '012|024',
      "{% for i in [1,2,3] %}{% with x = i * 2 %}{% if x == 4 %}{% continue %}{% endif %}{{ x }}{% endwith %}{% endfor %}|{% set y = 'out' %}{{ y }}":
        '26|out',
      '{% for i in [1,2,3] %}{% autoescape false %}{% with a = 1 %}{% if i == 2 %}{% break %}{% endif %}{{ i }}{% endwith %}{% endautoescape %}{% endfor %}{% with z = 5 %}{{ z }}{% endwith %}':
        '15',
      '{% for i in [1,2] %}{% for j in [1,2,3] %}{% if j == 2 %}{% break %}{% endif %}{{ i }}{{ j }} {% endfor %}{% endfor %}':
        '11 21 ',
      '{% for i in [] %}x{% else %}none{% endfor %}|{% for i in [1,2] %}{{ loop.index }}{% if loop.first %}{% continue %}{% endif %}!{% endfor %}':
        'none|12!',
      "{% for k, v in d.items() %}{% if k == 'b' %}{% break %}{% endif %}{{ k }}{% endfor %}": 'a',
    };
    const rendered = Object.fromEntries(
      Object.keys(cases).map((source) => [source, render(source, { d: { a: 1, b: 2 } })]),
    );
    expect(rendered).toEqual(cases);
  });

  it("work around includes that are not in their way, and in a nested loop's else for the outer loop", () => {
    const cases = {
      "{% for i in [1,2,3] %}{% if i == 2 %}{% break %}{% endif %}{% include 'x.html' ignore missing %}{{ i }}{% endfor %}":
        '1',
      "{% for i in [1,2,3] %}{% if i == 1 %}{% include 'x.html' ignore missing %}{% endif %}{% if i == 2 %}{% break %}{% endif %}{{ i }}{% endfor %}":
        '1',
      "{% for i in [1,2,3] %}{% include 'x.html' ignore missing %}{% for j in [1,2] %}{% break %}{% endfor %}{{ i }}{% endfor %}":
        '123',
      '{% for i in [1,2] %}{% with a = 1 %}{% for j in [] %}{% else %}{% with b = 2 %}{% if i == 1 %}{% continue %}{% endif %}{% endwith %}{% endfor %}{% endwith %}{{ i }}{% endfor %}{% set z = 3 %}{{ z }}':
        '23',
    };
    expect(Object.fromEntries(Object.keys(cases).map((source) => [source, render(source)]))).toEqual(cases);
  });

  it('work in a recursive loop, each level its own loop', () => {
    const tree = [{ n: 'a', c: [{ n: 'b' }, { n: 'x' }] }, { n: 'c' }];
    const source =
      "{% for item in tree recursive %}{{ item.n }}{% if item.n == 'b' %}{% break %}{% endif %}{% if item.c %}[{{ loop(item.c) }}]{% endif %}{% endfor %}";
    expect(render(source, { tree })).toBe('a[b]c');
  });

  it('are syntax errors outside a loop, in a macro inside one, and in a loop with an include', () => {
    expect(() => render('{% break %}')).toThrow(/\{% break %\} belongs in a \{% for %\} loop's body/);
    expect(() => render('{% for i in [1] %}{% macro m() %}{% continue %}{% endmacro %}{% endfor %}')).toThrow(
      /\{% continue %\} belongs in a \{% for %\} loop's body \(not in a macro, a call, set or filter block\)/,
    );
    // An include, an import, a block or super() writes the code after it as a callback: a loop control there is
    // refused; before it, in a nested loop, or after the if that holds it, it works.
    expect(() => render("{% for i in [1] %}{% include 'x.html' ignore missing %}{% break %}{% endfor %}")).toThrow(
      /\{% break %\} after an \{% include %\}, \{% import %\}, \{% block %\} or super\(\) in the same loop/,
    );
    expect(() => render('{% for i in [1] %}{% block b %}{% endblock %}{% continue %}{% endfor %}')).toThrow(
      /\{% continue %\} after an \{% include %\}/,
    );
  });
});
