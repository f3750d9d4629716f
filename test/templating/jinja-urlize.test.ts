/**
 * Jinja's `urlize` filter in Flagon's templates (src/templating/jinja-urlize.ts). Each expected string is what Jinja
 * 3.1.6 renders from the same template (python3, `jinja2.Environment(autoescape=True).from_string(...)`, or
 * `Environment()` where the template is a `.txt` file), unless a comment says where Flagon differs on purpose.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NunjucksRenderer } from '../../src/templating/index.js';
import { splitPunctuation, URLIZE_POLICIES, webHref } from '../../src/templating/jinja-urlize.js';

const folder = mkdtempSync(join(tmpdir(), 'flagon-urlize-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const renderer = new NunjucksRenderer([folder]);

const render = (source: string, context: Record<string, unknown> = {}): string =>
  renderer.renderString(source, context);

/** Each template rendered on its own, so one table lists templates beside what Jinja makes of them. */
function renderEach(cases: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(cases).map((source) => [source, render(source)]));
}

describe("Jinja's urlize", () => {
  it('links web addresses, www. and bare .com/.net/.org… domains (with https://) and e-mail addresses', () => {
    const cases = {
      '{{ "foo example.org bar"|urlize }}': 'foo <a href="https://example.org" rel="noopener">example.org</a> bar',
      '{{ "visit www.example.com, or https://example.com/path?q=1&r=2#top!"|urlize }}':
        'visit <a href="https://www.example.com" rel="noopener">www.example.com</a>, or <a href="https://example.com/path?q=1&amp;r=2#top!" rel="noopener">https://example.com/path?q=1&amp;r=2#top!</a>',
      '{{ "write to mailto:me@example.com or me@example.co.uk."|urlize }}':
        'write to <a href="mailto:me@example.com">me@example.com</a> or <a href="mailto:me@example.co.uk">me@example.co.uk</a>.',
      '{{ "http://127.0.0.1:8080/x https://[::1]/ http://[1:2]/ http://example.com:123456"|urlize }}':
        '<a href="http://127.0.0.1:8080/x" rel="noopener">http://127.0.0.1:8080/x</a> <a href="https://[::1]/" rel="noopener">https://[::1]/</a> http://[1:2]/ http://example.com:123456',
      '{{ "example.museum www.example ab.c.com a.example.net xn--p1ai.com http://xn--p1ai"|urlize }}':
        'example.museum <a href="https://www.example" rel="noopener">www.example</a> ab.c.com a.example.net <a href="https://xn--p1ai.com" rel="noopener">xn--p1ai.com</a> <a href="http://xn--p1ai" rel="noopener">http://xn--p1ai</a>',
      '{{ "@a@b.com a:b@c.com a@b@c.com www.a@b.com x@y"|urlize }}':
        '@a@b.com a:b@c.com <a href="mailto:a@b@c.com">a@b@c.com</a> www.a@b.com x@y',
      '{{ "line one\\nwww.x.org\\tend  a@b.io"|urlize }}':
        'line one\n<a href="https://www.x.org" rel="noopener">www.x.org</a>\tend  <a href="mailto:a@b.io">a@b.io</a>',
      '{{ 42|urlize }}': '42',
    };
    expect(renderEach(cases)).toEqual(cases);
  });

  it('keeps wrapping punctuation and brackets outside the link, unless the link opened them', () => {
    const cases = {
      '{{ "(http://example.com). <http://example.com/a_(b)>, [www.example.org]"|urlize }}':
        '(<a href="http://example.com" rel="noopener">http://example.com</a>). &lt;<a href="http://example.com/a_(b)" rel="noopener">http://example.com/a_(b)</a>&gt;, [www.example.org]',
      '{{ "http://example.com/a_(b)). ((www.example.com))"|urlize }}':
        '<a href="http://example.com/a_(b)" rel="noopener">http://example.com/a_(b)</a>). ((<a href="https://www.example.com" rel="noopener">www.example.com</a>))',
    };
    expect(renderEach(cases)).toEqual(cases);
    expect(splitPunctuation('(http://x.com/a_(b)).')).toEqual(['(', 'http://x.com/a_(b)', ').']);
    expect(webHref('example.org/a?b')).toBe('https://example.org/a?b');
  });

  it('escapes the text unless it is safe, and its result is safe text', () => {
    const cases = {
      '{{ "<b>http://x.com/?a=1&b=2</b> \'www.x.com\'"|urlize }}':
        '&lt;b&gt;http://x.com/?a=1&amp;b=2&lt;/b&gt; &#39;www.x.com&#39;',
      '{{ "<em>http://x.com</em> &lt;www.x.com&gt;"|safe|urlize }}':
        '<em>http://x.com</em> &lt;<a href="https://www.x.com" rel="noopener">www.x.com</a>&gt;',
      "{% set y = 'example.com'|urlize %}{{ y }}{{ '<' }}":
        '<a href="https://example.com" rel="noopener">example.com</a>&lt;',
    };
    expect(renderEach(cases)).toEqual(cases);
  });

  it('escapes the text without autoescaping too (a .txt template), and leaves safe text as it is', () => {
    writeFileSync(join(folder, 'a.txt'), '{{ "<b> example.org & a@b.io"|urlize }}|{{ text|safe|urlize(8) }}');
    expect(renderer.render('a.txt', { text: 'see http://x.com/(a)b>c' })).toBe(
      '&lt;b&gt; <a href="https://example.org" rel="noopener">example.org</a> &amp; <a href="mailto:a@b.io">a@b.io</a>' +
        '|see <a href="http://x.com/(a)b>c" rel="noopener">http://x...</a>',
    );
  });

  it('takes trim_url_limit, nofollow, target, rel and extra_schemes, by position or keyword', () => {
    const cases = {
      '{{ "http://www.example.com/very/long/path and x@y.com"|urlize(20) }}':
        '<a href="http://www.example.com/very/long/path" rel="noopener">http://www.example.c...</a> and <a href="mailto:x@y.com">x@y.com</a>',
      '{{ "https://example.com/abcdefghij"|urlize(40, true) }}':
        '<a href="https://example.com/abcdefghij" rel="nofollow noopener">https://example.com/abcdefghij</a>',
      '{{ "https://example.com/abcdefghij"|urlize(10, nofollow=true) }}':
        '<a href="https://example.com/abcdefghij" rel="nofollow noopener">https://ex...</a>',
      '{{ "foo http://www.example.com/ bar"|urlize(target="_blank") }}':
        'foo <a href="http://www.example.com/" rel="noopener" target="_blank">http://www.example.com/</a> bar',
      '{{ "www.example.com"|urlize(rel="me  external", target="<top>") }}':
        '<a href="https://www.example.com" rel="external me noopener" target="&lt;top&gt;">www.example.com</a>',
      '{{ "www.example.com"|urlize(rel="nofollow me", nofollow=true) }}':
        '<a href="https://www.example.com" rel="me nofollow noopener">www.example.com</a>',
      '{{ "ftp://files.example.com/a.txt ftp:// tel:+1-514 mailto:x@y.com"|urlize(extra_schemes=["ftp://", "tel:"]) }}':
        '<a href="ftp://files.example.com/a.txt" rel="noopener">ftp://files.example.com/a.txt</a> ftp:// <a href="tel:+1-514" rel="noopener">tel:+1-514</a> <a href="mailto:x@y.com">x@y.com</a>',
      '{{ "mailto:x@y.com"|urlize(3, target="_blank") }}': '<a href="mailto:x@y.com">x@y.com</a>',
    };
    expect(renderEach(cases)).toEqual(cases);
    expect(URLIZE_POLICIES).toEqual({ rel: 'noopener', target: null, extraSchemes: null });
  });

  it('refuses an invalid scheme, an unknown keyword and too many arguments, as Jinja does', () => {
    expect(() => render('{{ "x"|urlize(extra_schemes=["ftp"]) }}')).toThrow("'ftp' is not a valid URI scheme prefix.");
    expect(() => render('{{ "x"|urlize(foo=1) }}')).toThrow("urlize() got an unexpected keyword argument 'foo'");
    expect(() => render('{{ "x"|urlize(1, 2, 3, 4, 5, 6) }}')).toThrow('urlize() takes at most 6 arguments');
  });

  // DIFFERENCE: Jinja tests the scheme case-insensitively but adds `https://` unless it is lower case, so its link for
  // `Http://x.com` is `https://Http://x.com`; Flagon keeps the address as written.
  it('keeps a scheme written in capitals', () => {
    expect(render('{{ "Http://x.com wWw.x.com X.COM"|urlize }}')).toBe(
      '<a href="Http://x.com" rel="noopener">Http://x.com</a> <a href="https://wWw.x.com" rel="noopener">wWw.x.com</a> X.COM',
    );
  });

  it('stays linear on 200,000 characters of hostile punctuation, dots and @ (no regex backtracking)', () => {
    const n = 200_000;
    const link = (href: string, text: string) => `<a href="${href}" rel="noopener">${text}</a>`;
    const unchanged = [
      '.'.repeat(n),
      '@'.repeat(n),
      '('.repeat(n / 2) + ')'.repeat(n / 2),
      '(.,)'.repeat(n / 4),
      `http://${'a.'.repeat(n / 2)}`,
      `${'a.'.repeat(n / 2)}com`,
      `${`${'.'.repeat(1000)}x`.repeat(200)}.`,
      `http://[${':'.repeat(n)}]`,
    ];
    const started = performance.now();
    for (const text of unchanged) expect(render('{{ text|urlize }}', { text })).toBe(text);
    expect(render('{{ text|urlize }}', { text: '<'.repeat(n) })).toBe('&lt;'.repeat(n));
    const email = `${'a@'.repeat(n / 2)}b.c`;
    expect(render('{{ text|urlize }}', { text: email })).toBe(`<a href="mailto:${email}">${email}</a>`);
    const domain = `${'ab.'.repeat(66_666)}org`;
    expect(render('{{ text|urlize }}', { text: domain })).toBe(link(`https://${domain}`, domain));
    const path = `http://x.com/${'('.repeat(n / 2)}${')'.repeat(n / 2)}`;
    expect(render('{{ text|urlize }}', { text: `${path}.` })).toBe(`${link(path, path)}.`);
    // Jinja itself takes seconds on the dots-and-x input; here all of them take well under a second.
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
