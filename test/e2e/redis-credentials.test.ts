/** What a session store that cannot reach Redis logs: the server and the fix, never the password in its URL. */
import { type AddressInfo, connect, createServer } from 'node:net';
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

describe('RedisSessionStore.close()', () => {
  it('drops a connection begun before it: the waiting command fails, and no client is left connecting', async () => {
    let connections = 0;
    const silent = createServer((socket) => {
      connections++;
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const store = new RedisSessionStore({ url: `redis://127.0.0.1:${port}`, timeout: 300 });
      const pending = Promise.resolve(store.get('x'.repeat(43))).catch((caught: unknown) => caught);
      await store.close(); // before the client library has even loaded
      expect(await pending).toBeInstanceOf(SessionUnavailable);
      // A client made anyway would connect at once; ask the server after a round trip of our own.
      await new Promise<void>((resolve) => {
        const probe = connect(port, '127.0.0.1', () => probe.end(resolve));
      });
      expect(connections).toBe(1); // the probe alone
    } finally {
      silent.close();
    }
  });
});
