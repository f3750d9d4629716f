import { describe, expect, it } from 'vitest';
import { ContentSecurityPolicy, parseCSP } from 'flagon/http';

describe('Content-Security-Policy', () => {
  it('parse as CSP Level 3: names without case, the first of a repeated directive, valueless directives kept', () => {
    const csp = parseCSP(
      "Default-Src 'self'; ; script-src https://a.example; script-src *; upgrade-insecure-requests; sandbox",
    );
    expect([csp.defaultSrc, csp.scriptSrc, csp.sandbox, csp.get('upgrade-insecure-requests'), csp.styleSrc]).toEqual([
      "'self'",
      'https://a.example',
      '',
      '',
      null,
    ]);
    expect(csp.toString()).toBe("default-src 'self'; script-src https://a.example; upgrade-insecure-requests; sandbox");
    expect(parseCSP(undefined).size).toBe(0);
  });

  it('edit through properties and by name, reporting changes', () => {
    const written: string[] = [];
    const csp = new ContentSecurityPolicy({ 'default-src': "'none'" }, (policy) => written.push(String(policy)));
    csp.imgSrc = "'self' data:";
    csp.frameAncestors = "'none'";
    csp.imgSrc = null;
    csp.delete('report-uri');
    expect(written).toEqual([
      "default-src 'none'; img-src 'self' data:",
      "default-src 'none'; img-src 'self' data:; frame-ancestors 'none'",
      "default-src 'none'; frame-ancestors 'none'",
    ]);
  });

  it('refuse a value that would start another directive, naming the fix', () => {
    expect(() => new ContentSecurityPolicy().set('script-src', "'self'; img-src *")).toThrow(
      /set each directive on its own/,
    );
  });
});
