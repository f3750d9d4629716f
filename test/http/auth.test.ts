import { describe, expect, it } from 'vitest';
import { Authorization, WWWAuthenticate } from 'flagon/http';

describe('Authorization', () => {
  it('round-trip Basic credentials as UTF-8, a colon in the password included', () => {
    const header = Authorization.basic('jürgen', 'pa:ss wörd').toString();
    expect(header).toBe(`Basic ${Buffer.from('jürgen:pa:ss wörd').toString('base64')}`);
    const parsed = Authorization.fromHeader(header);
    expect([parsed?.username, parsed?.password]).toEqual(['jürgen', 'pa:ss wörd']);
    expect(Authorization.fromHeader(`basic ${Buffer.from('nopassword').toString('base64')}`)?.password).toBe('');
  });

  it('refuse Basic credentials that are not base64 rather than guess', () => {
    for (const header of ['Basic a=b', 'Basic Zm9v=YmFy', 'Basic !!!!'])
      expect(Authorization.fromHeader(header)).toBeNull();
  });

  it('keep other schemes with their token or parameters, writing the scheme title-cased', () => {
    expect(Authorization.bearer('abc.def-ghi').toString()).toBe('Bearer abc.def-ghi');
    const custom = Authorization.fromHeader('X-CUSTOM key="a b", id=7');
    expect([custom?.type, custom?.get('key'), custom?.get('id'), custom?.has('nope'), custom?.toString()]).toEqual([
      'x-custom',
      'a b',
      '7',
      false,
      'X-Custom key="a b", id=7',
    ]);
  });

  it('freeze its parameters', () => {
    const auth = new Authorization('digest', { username: 'a' });
    expect(Object.isFrozen(auth.parameters)).toBe(true);
    expect(auth.username).toBe('a');
  });
});

describe('WWWAuthenticate', () => {
  it('quote the Digest parameters clients expect quoted', () => {
    const challenge = new WWWAuthenticate('Digest', {
      realm: 'api',
      qop: 'auth',
      nonce: 'abc',
      algorithm: 'SHA-256',
      stale: 'true',
    });
    expect(challenge.toString()).toBe('Digest realm="api", qop="auth", nonce="abc", algorithm=SHA-256, stale=true');
  });

  it('write Bearer errors and report each change', () => {
    const written: string[] = [];
    const challenge = new WWWAuthenticate('bearer', { realm: 'api' }, null, (c) => written.push(String(c)));
    challenge.error = 'invalid_token';
    challenge.set('error_description', 'The token expired');
    challenge.realm = null;
    expect(written.at(-1)).toBe('Bearer error=invalid_token, error_description="The token expired"');
    expect(written).toHaveLength(3);
    expect(challenge.delete('missing')).toBe(false);
  });

  it('hand out a copy of its parameters', () => {
    const challenge = new WWWAuthenticate('basic', { realm: 'a' });
    (challenge.parameters as Record<string, string>).realm = 'changed';
    expect(challenge.realm).toBe('a');
  });
});
