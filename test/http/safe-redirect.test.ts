import { describe, expect, it } from 'vitest';
import { isSafeRedirect } from 'flagon/http';

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
