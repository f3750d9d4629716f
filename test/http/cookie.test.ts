import { describe, expect, it } from 'vitest';
import { MAX_COOKIE_SIZE, deleteCookieValue, dumpCookie, parseCookie } from 'flagon/http';

describe('cookies', () => {
  it('parse into a null-prototype object, first value winning', () => {
    const cookies = parseCookie('a=1; b=hello%20world; a=2; __proto__=x');
    // biome-ignore lint/suspicious/noPrototypeBuiltins: asks Object.prototype itself, on purpose
    expect(Object.prototype.isPrototypeOf(cookies)).toBe(false); // no Object.prototype in the chain
    expect('toString' in cookies).toBe(false);
    // biome-ignore lint/suspicious/noProto: __proto__ is an ordinary cookie name here, the point of the test
    expect([cookies.a, cookies.b, cookies.__proto__]).toEqual(['1', 'hello world', 'x']);
    expect(parseCookie(undefined)).toEqual(Object.create(null));
  });

  it('serialise with safe defaults: Path=/, HttpOnly, SameSite=Lax', () => {
    expect(dumpCookie('theme', 'dark')).toBe('theme=dark; Path=/; HttpOnly; SameSite=Lax');
    expect(dumpCookie('js', 'ok', { httpOnly: false, sameSite: null, path: null })).toBe('js=ok');
  });

  it('write Max-Age with Expires, Domain and Secure', () => {
    const header = dumpCookie('s', 'v', { maxAge: 60, domain: 'example.com', secure: true });
    expect(header).toMatch(
      /^s=v; Max-Age=60; Domain=example.com; Path=\/; Expires=\w{3}, \d{2} \w{3} \d{4} [\d:]{8} GMT; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('write a fractional Max-Age as whole seconds (a 500 before), and refuse one that is not a number', () => {
    // Werkzeug writes Max-Age=1.9, which RFC 6265 §5.2.2 has browsers ignore; a whole number is what it meant.
    expect(dumpCookie('c', 'v', { maxAge: 1.9 })).toMatch(/^c=v; Max-Age=1; Path=\/; Expires=/);
    expect(() => dumpCookie('c', 'v', { maxAge: Number.NaN })).toThrow(
      "cookie 'c': maxAge must be a number of seconds, not NaN",
    );
  });

  it('accept only Strict, Lax or None for SameSite', () => {
    expect(dumpCookie('a', 'b', { sameSite: 'strict' })).toContain('SameSite=Strict');
    expect(dumpCookie('a', 'b', { sameSite: 'None', secure: true })).toContain('SameSite=None');
    expect(() => dumpCookie('a', 'b', { sameSite: 'sometimes' as never })).toThrow(/'Strict', 'Lax' or 'None'/);
  });

  it('make partitioned cookies Secure', () => {
    expect(dumpCookie('a', 'b', { partitioned: true })).toMatch(/; Secure; Partitioned;/);
  });

  it('warn past 4093 bytes', () => {
    const warnings: string[] = [];
    dumpCookie('small', 'x'.repeat(100), { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    dumpCookie('big', 'x'.repeat(MAX_COOKIE_SIZE), { warn: (m) => warnings.push(m) });
    expect(warnings[0]).toMatch(/'big' cookie is \d+ bytes, more than the limit of 4093/);
    dumpCookie('tiny', 'x'.repeat(50), { maxSize: 20, warn: (m) => warnings.push(m) });
    dumpCookie('off', 'x'.repeat(5000), { maxSize: 0, warn: (m) => warnings.push(m) });
    expect(warnings.slice(1)).toEqual([expect.stringMatching(/'tiny' cookie is \d+ bytes, more than the limit of 20/)]);
  });

  it('delete by expiring', () => {
    expect(deleteCookieValue('session')).toBe(
      'session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
  });

  it('keep escaped quotes and semicolons inside a quoted value', () => {
    expect({ ...parseCookie('a="x\\";y"; b="p;q" ; c="open; d=1') }).toEqual({
      a: 'x";y',
      b: 'p;q',
      c: '"open',
      d: '1',
    });
  });

  it('read a latin-1 header as UTF-8 only when its bytes are UTF-8', () => {
    expect(parseCookie(Buffer.from('name=Jürgen', 'utf8').toString('latin1')).name).toBe('Jürgen');
    expect(parseCookie('name=J\u00fcrgen').name).toBe('Jürgen'); // latin-1 that is not UTF-8 stays as it came
    expect(parseCookie('name=\u2603').name).toBe('\u2603');
  });

  it('write internationalised domains in their IDNA form, and refuse invalid ones naming the fix', () => {
    expect(dumpCookie('a', 'b', { domain: 'bücher.example', path: null, httpOnly: false, sameSite: null })).toBe(
      'a=b; Domain=xn--bcher-kva.example',
    );
    expect(() => dumpCookie('a', 'b', { domain: 'a\u0000ü.example' })).toThrow(/pass a host name/);
  });

  it('reject invalid names and values', () => {
    expect(() => dumpCookie('bad name', 'x')).toThrow(TypeError);
  });
});
