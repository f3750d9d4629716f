import { describe, expect, it } from 'vitest';
import {
  absoluteTargetAuthority,
  checkRequestHead,
  isValidHost,
  MAX_HEADER_FIELDS,
  type RequestHead,
} from 'flagon/http';

const head = (over: Partial<RequestHead> & { headers?: string[] } = {}): RequestHead => ({
  method: over.method ?? 'GET',
  url: over.url ?? '/',
  httpVersionMajor: over.httpVersionMajor ?? 1,
  httpVersionMinor: over.httpVersionMinor ?? 1,
  rawHeaders: over.headers ?? over.rawHeaders ?? ['Host', 'example.com'],
});
const status = (over: Parameters<typeof head>[0]): number | null => checkRequestHead(head(over))?.status ?? null;

describe('checkRequestHead', () => {
  it('lets an ordinary head through, and HTTP/1.0 without Host', () => {
    expect(checkRequestHead(head())).toBeNull();
    expect(status({ httpVersionMinor: 0, headers: [] })).toBeNull();
    expect(status({ method: 'OPTIONS', url: '*' })).toBeNull();
    expect(
      status({ headers: ['Host', 'example.com', 'Content-Type', 'a/b', 'Transfer-Encoding', 'Chunked'] }),
    ).toBeNull();
  });

  it("answers 431 to more than 100 header fields, before reading any (RFC 6585 §5; gunicorn's limit)", () => {
    const fields = (count: number) => [
      'Host',
      'example.com',
      ...Array.from({ length: count - 1 }, () => ['X', '1']).flat(),
    ];
    expect(MAX_HEADER_FIELDS).toBe(100);
    expect(status({ headers: fields(100) })).toBeNull();
    expect(checkRequestHead(head({ headers: fields(101) }))).toEqual({
      status: 431,
      reason: 'more than 100 header fields',
    });
    // Before any other check: node drops the fields past its 2,000th, so what comes after them is never seen.
    expect(status({ headers: [...fields(2000), 'Transfer-Encoding', 'gzip'] })).toBe(431);
  });

  it('answers 505 to versions other than HTTP/1.0 and 1.1 (RFC 9110 §15.6.6)', () => {
    expect(checkRequestHead(head({ httpVersionMajor: 2, httpVersionMinor: 0 }))).toEqual({
      status: 505,
      reason: 'HTTP/2.0 is not served here; use HTTP/1.1',
    });
    expect(status({ httpVersionMajor: 0, httpVersionMinor: 9 })).toBe(505);
    expect(status({ httpVersionMajor: 1, httpVersionMinor: 2 })).toBe(505);
  });

  it('refuses targets the method cannot have (RFC 9112 §3.2)', () => {
    for (const method of ['GET', 'POST', 'DELETE']) expect(status({ method, url: '*' })).toBe(400);
    expect(status({ url: 'example.com:80' })).toBe(400);
    expect(status({ url: 'http://good@evil.example/' })).toBe(400);
    expect(status({ url: 'ftp://example.com/' })).toBe(400);
    expect(status({ url: 'http:///path' })).toBe(400);
    expect(status({ url: 'http://example.com:99999/' })).toBe(400);
    expect(status({ url: '/a#b' })).toBe(400);
    expect(status({ url: 'http://example.com/a#b' })).toBe(400);
    expect(status({ url: 'http://example.com/a' })).toBeNull();
    expect(status({ url: 'HTTPS://example.com' })).toBeNull();
  });

  it('answers 400 to a missing, repeated or invalid Host (RFC 9112 §3.2)', () => {
    expect(status({ headers: [] })).toBe(400);
    expect(status({ headers: ['Host', 'a', 'host', 'a'] })).toBe(400);
    for (const value of [
      '',
      'a b',
      'evil.example/x',
      'good@evil.example',
      'a:99999999',
      '[::1',
      '::1',
      'a:-1',
      'a\\b',
      'a:1:2',
      'a%zz',
    ]) {
      expect(status({ headers: ['Host', value] }), value).toBe(400);
    }
  });

  it('checks every Host, whatever passed just before it (the gate remembers only the last valid one)', () => {
    for (const bad of ['', 'good@evil.example', 'a b', 'example.com:99999999']) {
      expect(status({ headers: ['Host', 'example.com'] })).toBeNull();
      expect(status({ headers: ['Host', bad] })).toBe(400);
    }
  });

  it('answers 400 to two Content-Type or Content-Length fields', () => {
    expect(status({ headers: ['Host', 'a', 'Content-Type', 'a/b', 'content-type', 'c/d'] })).toBe(400);
    expect(status({ headers: ['Host', 'a', 'Content-Length', '1', 'Content-Length', '1'] })).toBe(400);
  });

  it('accepts only chunked as the final transfer coding: 400 otherwise, 501 for codings before it (RFC 9112 §6)', () => {
    const te = (...values: string[]): number | null =>
      status({ headers: ['Host', 'a', ...values.flatMap((value) => ['Transfer-Encoding', value])] });
    for (const value of [
      'gzip',
      'identity',
      'deflate',
      'compress',
      'xchunked',
      'chunked, gzip',
      ' , ',
      'chunked, chunked',
    ])
      expect(te(value), value).toBe(400);
    expect(te('identity, chunked')).toBe(501);
    expect(te('gzip, chunked')).toBe(501);
    expect(te('gzip', 'chunked')).toBe(501);
    expect(te(' CHUNKED ')).toBeNull();
    expect(status({ httpVersionMinor: 0, headers: ['Transfer-Encoding', 'chunked'] })).toBe(400);
  });
});

describe('isValidHost and absoluteTargetAuthority', () => {
  it('take names, IPv4, bracketed IPv6 and ports up to 65535', () => {
    for (const value of [
      'example.com',
      'a',
      '127.0.0.1:5000',
      '[::1]',
      '[::1]:443',
      'xn--caf-dma.example:65535',
      'a:',
      '[v1.x]',
    ])
      expect(isValidHost(value), value).toBe(true);
    expect(isValidHost('a:65536')).toBe(false);
  });

  it('find the authority of an absolute-form target', () => {
    expect(absoluteTargetAuthority('http://example.com:8080/a?b')).toBe('example.com:8080');
    expect(absoluteTargetAuthority('http://example.com?x')).toBe('example.com');
    expect(absoluteTargetAuthority('/a')).toBe('');
    expect(absoluteTargetAuthority('http://user:pw@example.com/')).toBeNull();
  });
});
