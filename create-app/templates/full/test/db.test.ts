import { dirname, join } from 'node:path';
import { describe, expect, vi } from 'vitest';
import { createApp } from '../src/app.js';
import { getDb } from '../src/db.js';
import { test, withDb } from './fixtures.js';

describe('the database', () => {
  test('is one connection per app context, closed when the context ends', ({ app }) => {
    const db = app.appContext().run(() => {
      expect(getDb()).toBe(getDb());
      return getDb();
    });
    expect(db.isOpen).toBe(false);
  });

  test('holds what the fixtures put in it', ({ app }) => {
    expect(withDb(app, (db) => db.all('SELECT username FROM user ORDER BY id'))).toEqual([
      { username: 'test' },
      { username: 'other' },
    ]);
  });

  test('says how to create it when the file is missing', ({ app }) => {
    const fresh = createApp({ TESTING: true, DATABASE: join(dirname(app.config.DATABASE), 'missing.sqlite') });
    expect(() => fresh.appContext().run(() => getDb())).toThrow("run 'npx flagon init-db' to create it");
  });

  // Flask's test_cli_runner().invoke: the command runs in process, in an app context, as `npx flagon init-db` runs it.
  test('is started afresh by `flagon init-db`', async ({ app }) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await app.cli.invoke(['init-db']);
      expect(log).toHaveBeenCalledWith(expect.stringContaining('Initialized the database'));
    } finally {
      log.mockRestore();
    }
    expect(withDb(app, (db) => db.all('SELECT * FROM user'))).toEqual([]);
  });
});
