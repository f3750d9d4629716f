import { describe, expect, it } from 'vitest';
import { HeaderSet, parseSetHeader } from 'flagon/http';

describe('HeaderSet', () => {
  it('keep the first spelling of an item and compare without case', () => {
    const vary = parseSetHeader('Accept-Encoding, cookie, ACCEPT-ENCODING');
    expect([...vary]).toEqual(['Accept-Encoding', 'cookie']);
    expect([vary.size, vary.has('COOKIE'), vary.indexOf('cookie'), vary.indexOf('origin')]).toEqual([2, true, 1, -1]);
  });

  it('report each change once through onUpdate, and none for a no-op', () => {
    const seen: string[] = [];
    const allow = parseSetHeader('GET', (set) => seen.push(set.toString()));
    allow.add('get');
    allow.delete('PUT');
    allow.add('HEAD', 'Post');
    allow.delete('get');
    allow.clear();
    allow.clear();
    expect(seen).toEqual(['GET, HEAD, Post', 'HEAD, Post', '']);
  });

  it('quote items that are not tokens when written', () => {
    expect(new HeaderSet(['en', 'a b']).toString()).toBe('en, "a b"');
    expect(parseSetHeader(null).size).toBe(0);
  });
});
