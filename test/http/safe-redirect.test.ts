import { describe, expect, it } from 'vitest';
import { redirect } from 'flagon';
import { iriToUri, isSafeRedirect } from 'flagon/http';
import { createEnviron, runApp } from 'flagon/testing';
import { Response } from 'flagon/wrappers';

describe('isSafeRedirect', () => {
  it('accepts paths and relative references on this site', () => {
    for (const target of ['/', '/account?tab=2', '/a/b#c', 'profile', '?page=2', '#top', '', '/%2F%2Fevil.example']) {
      expect(isSafeRedirect(target), target).toBe(true);
    }
  });

  it('refuses what a browser would take off-site, however it is spelled', () => {
    const offSite = [
      '//evil.example',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      '\\/evil.example',
      '/\t/evil.example',
      ' //evil.example',
      '\n//evil.example',
      'https://evil.example',
      'HTTP://evil.example',
      'http:evil.example',
      'https:/evil.example',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'http://flagon.invalid/',
      '//user@evil.example',
      'http://[::1',
      'ftp://example.com/',
    ];
    for (const target of offSite) expect(isSafeRedirect(target), JSON.stringify(target)).toBe(false);
  });

  it('accepts absolute http(s) URLs only for the hosts allowed', () => {
    const options = { allowedHosts: ['example.com', 'example.com:8443'] };
    expect(isSafeRedirect('https://example.com/a', options)).toBe(true);
    expect(isSafeRedirect('//example.com/a', options)).toBe(true);
    expect(isSafeRedirect('https://example.com:8443/', options)).toBe(true);
    expect(isSafeRedirect('https://example.com.evil.example/', options)).toBe(false);
    expect(isSafeRedirect('https://example.com@evil.example/', options)).toBe(false);
    expect(isSafeRedirect('javascript://example.com/%0aalert(1)', options)).toBe(false);
  });
});

describe('iriToUri', () => {
  it("makes a URI as Werkzeug's iri_to_uri does, and Location and Content-Location go out as one", async () => {
    // Werkzeug 3.1.8's answers (python3: werkzeug.urls.iri_to_uri) for the same input.
    const cases: Record<string, string> = {
      '/\\\\evil.example': '/%5C%5Cevil.example',
      'http://☃.net/ü?ä=ö#x y': 'http://xn--n3h.net/%C3%BC?%C3%A4=%C3%B6#x%20y',
      '//evil.example': '//evil.example',
      '/a b': '/a%20b',
      'https://üser:p w@host.example:8080/p': 'https://%C3%BCser:p%20w@host.example:8080/p',
      '/p?a=[1]': '/p?a=%5B1%5D',
      'http://[::1]:80/ä': 'http://[::1]:80/%C3%A4',
      'mailto:ä@x': 'mailto:%C3%A4@x',
      '/%zz%20': '/%zz%20',
      'http://xn--n3h.net/': 'http://xn--n3h.net/',
      '/a|b^c{d}': '/a%7Cb%5Ec%7Bd%7D',
    };
    expect(Object.fromEntries(Object.keys(cases).map((iri) => [iri, iriToUri(iri)]))).toEqual(cases);
    // A hand-set Location from user input was sent as set: `/\\evil.example` is `//evil.example` to a browser.
    const response = new Response('');
    response.headers.set('Location', '/\\\\evil.example');
    response.headers.set('Content-Location', '/ü');
    const sent = await runApp(response.gatewayApp, createEnviron('/'));
    expect([sent.header('Location'), sent.header('Content-Location')]).toEqual(['/%5C%5Cevil.example', '/%C3%BC']);
    expect(redirect('http://☃.example.com/ä').headers.get('Location')).toBe('http://xn--n3h.example.com/%C3%A4');
  });
});

describe('iriToUri and the host a browser reads', () => {
  it('never sends a browser to a host other than the one it reads in the value as given', () => {
    // The review's case: `\` ends the host for a browser; encoded as %5C it joined the user info, and a later `@`
    // made evil.example the host of a value isSafeRedirect had approved (its host was the page's own).
    expect(iriToUri('//a.example\\@evil.example/')).toBe('//a.example/@evil.example/');
    expect(iriToUri('https://good.example\\@evil.example/')).toBe('https://good.example/@evil.example/');
    expect(iriToUri('https:/\\good.example\\@evil.example/')).toBe('https://good.example/@evil.example/');
    // In other schemes a backslash is no slash: it stays in the host's text, encoded (Werkzeug's), and no IDNA.
    expect(iriToUri('myapp://evil.example\\@good.example/')).toBe('myapp://evil.example%5C@good.example/');
    expect(iriToUri('javascript://1\n')).toBe('javascript://1%0A');
    // Every value of up to four pieces: the host a browser reads in what is sent is the one it reads in the value,
    // or the page's own (a value without a scheme has its backslashes encoded before a host is read, as Werkzeug).
    const pieces = ['/', '\\', '@', 'a.example', 'b.example', 'http:', 'https:', 'x:', '%5C', ' ', '\t', '?', 'ü'];
    const base = 'https://page.example/dir/';
    const hostOf = (url: string): string | null => {
      try {
        return new URL(url, base).host;
      } catch {
        return null;
      }
    };
    const bad: string[] = [];
    const walk = (value: string, depth: number): void => {
      // x: has an opaque host, which new URL() keeps as written and a URI percent-encodes: the same host, spelled
      // two ways (x://\\ is x://%5C); the special schemes and relative values are checked.
      if (value !== '' && !value.startsWith('x:')) {
        const sent = hostOf(iriToUri(value));
        if (sent !== null && sent !== hostOf(value) && sent !== 'page.example')
          bad.push(`${value} → ${iriToUri(value)}`);
      }
      if (depth < 4) for (const piece of pieces) walk(value + piece, depth + 1);
    };
    walk('', 0);
    expect(bad).toEqual([]);
  });

  it('lets isSafeRedirect approve only what stays on this site once sent', () => {
    for (const target of [
      '//flagon.invalid\\@evil.example/',
      '//flagon.invalid/',
      'http://flagon.invalid/',
      '/\\flagon.invalid',
      '/a\ud800', // a lone surrogate: false, not a URIError (a 500)
    ])
      expect(isSafeRedirect(target), target).toBe(false);
    expect(isSafeRedirect('https://good.example\\@evil.example/', { allowedHosts: ['good.example'] })).toBe(true);
    expect(new URL(redirect('https://good.example\\@evil.example/').headers.get('Location')!).host).toBe(
      'good.example',
    );
  });
});
