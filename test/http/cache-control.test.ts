import { describe, expect, it } from 'vitest';
import { CacheControl, RequestCacheControl, ResponseCacheControl, parseCacheControl } from 'flagon/http';

describe('request Cache-Control', () => {
  it('type the RFC 9111 §5.2.1 directives, names compared without case', () => {
    const cc = parseCacheControl('Max-Age=10, max-stale, min-fresh=5, No-Cache, only-if-cached, no-transform');
    expect(cc).toBeInstanceOf(RequestCacheControl);
    expect(cc).toBeInstanceOf(CacheControl);
    expect([cc.maxAge, cc.maxStale, cc.minFresh, cc.noCache, cc.onlyIfCached, cc.noTransform, cc.noStore]).toEqual([
      10,
      true,
      5,
      true,
      true,
      true,
      false,
    ]);
    expect(parseCacheControl('max-stale=30').maxStale).toBe(30);
    expect(parseCacheControl('').provided).toBe(false);
    expect(parseCacheControl('max-age=1').provided).toBe(true);
  });

  it('read seconds that are not delta-seconds as null, and cap huge ones at 2^31 (RFC 9111 §1.2.2)', () => {
    expect([
      parseCacheControl('max-age=3.5').maxAge,
      parseCacheControl('max-age=-1').maxAge,
      parseCacheControl('max-age').maxAge,
    ]).toEqual([null, null, null]);
    expect(parseCacheControl('max-age=99999999999999999999').maxAge).toBe(2 ** 31);
  });

  it('are read-only', () => {
    const cc = parseCacheControl('max-age=10') as unknown as { maxAge: number };
    expect(() => {
      cc.maxAge = 5;
    }).toThrow(TypeError);
  });
});

describe('response Cache-Control', () => {
  it('write typed directives in order, with extensions by name', () => {
    const cc = new ResponseCacheControl();
    cc.public = true;
    cc.maxAge = 3600;
    cc.staleWhileRevalidate = 60;
    cc.noCache = 'Set-Cookie';
    cc.set('community', 'UCI');
    expect(cc.toString()).toBe('public, max-age=3600, stale-while-revalidate=60, no-cache=Set-Cookie, community=UCI');
    cc.public = false;
    cc.noCache = null;
    expect(cc.delete('community')).toBe(true);
    expect(String(cc)).toBe('max-age=3600, stale-while-revalidate=60');
  });

  it('read no-cache and private as true when bare, or as the field names they list', () => {
    const cc = parseCacheControl('private="Set-Cookie, Authorization", no-cache', 'response');
    expect([cc.private, cc.noCache]).toEqual(['Set-Cookie, Authorization', true]);
    expect(cc.toString()).toBe('private="Set-Cookie, Authorization", no-cache');
  });

  it('refuse seconds that are not a number, naming the fix', () => {
    const cc = new ResponseCacheControl();
    expect(() => {
      cc.maxAge = -5;
    }).toThrow(/max-age|maxAge/);
    expect(() => {
      (cc as unknown as { sMaxage: string }).sMaxage = 'soon';
    }).toThrow(/pass a number, or null to remove it/);
  });

  it('call onUpdate after each change that changes something', () => {
    const headers: string[] = [];
    const cc = parseCacheControl('max-age=60', 'response', (control) => headers.push(String(control)));
    cc.maxAge = 60;
    cc.immutable = true;
    cc.delete('s-maxage');
    cc.maxAge = null;
    expect(headers).toEqual(['max-age=60, immutable', 'immutable']);
  });
});
