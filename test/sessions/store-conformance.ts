/**
 * The SessionStore conformance suite: what every store behind ServerSideSessionInterface must do, sync or async.
 * Each store's test file calls `describeSessionStore` with a way to get a store (ARCHITECTURE.md rule 10).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SessionStore } from 'flagon/sessions';

/** A session id as ServerSideSessionInterface makes them: 43 characters of base64url. */
export const newId = (): string => randomBytes(32).toString('base64url');

/** Polls `check` until it returns true, or fails after `deadlineMs`: waits on the store, not on a guessed sleep. */
export async function waitFor(check: () => Promise<boolean>, deadlineMs: number, what: string): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Defines the shared cases for the store `store()` returns (called inside each test, after any beforeAll). */
export function describeSessionStore(name: string, store: () => SessionStore): void {
  describe(`${name} (SessionStore conformance)`, () => {
    it('reads a missing id as null', async () => {
      expect(await store().get(newId())).toBeNull();
    });

    it('round-trips nested JSON data', async () => {
      const id = newId();
      const data = {
        user: { id: 7, name: 'Ada Lovelace', roles: ['admin', 'editor'] },
        cart: [{ sku: 'a-1', qty: 2, price: 9.5 }],
        flags: { beta: true, banned: false, note: null },
        _permanent: true,
        text: 'naïve ☕ "quoted" \\ back\nslash',
      };
      await store().set(id, data, 60);
      expect(await store().get(id)).toEqual(data);
    });

    it('replaces what was stored under an id', async () => {
      const id = newId();
      await store().set(id, { step: 1, old: 'gone' }, 60);
      await store().set(id, { step: 2 }, 60);
      expect(await store().get(id)).toEqual({ step: 2 });
    });

    it('deletes an id, and deleting a missing id is no error', async () => {
      const id = newId();
      const other = newId();
      await store().set(id, { user: 'ada' }, 60);
      await store().set(other, { user: 'grace' }, 60);
      await store().delete(id);
      expect(await store().get(id)).toBeNull();
      expect(await store().get(other)).toEqual({ user: 'grace' });
      await expect(Promise.resolve(store().delete(newId()))).resolves.toBeUndefined();
    });

    it('forgets a session once its TTL has passed', async () => {
      const id = newId();
      const lasting = newId();
      const started = Date.now();
      await store().set(id, { user: 'ada' }, 1);
      await store().set(lasting, { user: 'grace' }, 60);
      expect(await store().get(id)).toEqual({ user: 'ada' });
      await waitFor(async () => (await store().get(id)) === null, 5000, 'the 1 s session expires');
      expect(Date.now() - started).toBeGreaterThanOrEqual(900); // not before its time (timers may round a little)
      expect(await store().get(lasting)).toEqual({ user: 'grace' });
    });

    it('keeps its data apart from the objects given to set and returned by get', async () => {
      const id = newId();
      const given = { user: { name: 'ada' }, tags: ['a'] };
      await store().set(id, given, 60);
      given.user.name = 'changed after set';
      given.tags.push('b');
      const read = (await store().get(id)) as { user: { name: string }; tags: string[]; extra?: number };
      expect(read).toEqual({ user: { name: 'ada' }, tags: ['a'] });
      read.user.name = 'changed after get';
      read.tags.push('c');
      read.extra = 1;
      expect(await store().get(id)).toEqual({ user: { name: 'ada' }, tags: ['a'] });
    });

    it('keeps ids of the whole base64url alphabet apart, case included', async () => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const first = alphabet.slice(0, 43);
      const second = alphabet.slice(21, 64);
      const upper = `${'A'.repeat(42)}Z`;
      const lower = `${'a'.repeat(42)}z`;
      for (const id of [first, second, upper, lower]) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await store().set(first, { n: 1 }, 60);
      await store().set(second, { n: 2 }, 60);
      await store().set(upper, { n: 3 }, 60);
      await store().set(lower, { n: 4 }, 60);
      expect([
        await store().get(first),
        await store().get(second),
        await store().get(upper),
        await store().get(lower),
      ]).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
      for (const id of [first, second, upper, lower]) await store().delete(id);
    });
  });
}
