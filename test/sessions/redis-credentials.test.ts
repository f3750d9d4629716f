/** What a session store that cannot reach Redis logs: the server and the fix, never the password in its URL. */
import { describe, expect, it } from 'vitest';
import { RedisSessionStore, SessionUnavailable } from 'flagon/sessions';

describe('RedisSessionStore with Redis unreachable', () => {
  it.each([
    ['a plain password', 'redis://admin:s3cr3t@127.0.0.1:1', 's3cr3t'],
    ['a percent-encoded slash and at sign', 'redis://admin:s3%2Fcr%40t@127.0.0.1:1', 's3'],
    ['a literal slash in the password', 'redis://:s3/cr3t@127.0.0.1:1', 's3'],
  ])('names the server without %s', async (_name, url, secret) => {
    const store = new RedisSessionStore({ url, timeout: 300 });
    try {
      const error = await Promise.resolve(store.get('x'.repeat(43))).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SessionUnavailable);
      const detail = (error as SessionUnavailable).detail;
      expect(detail).toMatch(/start Redis/);
      expect(detail).toContain('127.0.0.1');
      expect(detail).not.toContain(secret);
    } finally {
      await store.close();
    }
  });
});
