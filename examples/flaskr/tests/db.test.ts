/** Flask's tutorial: tests/test_db.py. */
import { dirname, join } from 'node:path';
import { expect, vi } from 'vitest';
import { createApp } from '../flaskr/app.js';
import { getDb } from '../flaskr/db.js';
import { test, withDb } from './conftest.js';

test('getDb() is one connection per app context, closed when the context ends', ({ app }) => {
  const db = app.appContext().run(() => {
    const db = getDb();
    expect(getDb()).toBe(db);
    return db;
  });
  expect(() => db.get('SELECT 1')).toThrow('closed');
});

// Not in Flask's tutorial, where SQLite makes an empty file and the first query fails with "no such table".
test('getDb() says how to create a database that does not exist yet', ({ app }) => {
  const fresh = createApp({ TESTING: true, DATABASE: join(dirname(app.config.DATABASE), 'missing.sqlite') });
  expect(() => fresh.appContext().run(() => getDb())).toThrow("run 'flagon --app flaskr init-db' to create it");
});

// Flask's test_cli_runner().invoke(args=['init-db']): the command runs in process, in an app context, as
// `flagon --app flaskr init-db` runs it. Flask's test replaces init_db by a recorder; an ES module's export cannot be
// replaced from outside, so this one lets init-db run and sees that the data are gone.
test('init-db clears the data and says so', async ({ app }) => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await app.cli.invoke(['init-db']);
    expect(log).toHaveBeenCalledWith('Initialized the database.');
  } finally {
    log.mockRestore();
  }
  expect(withDb(app, (db) => [db.all('SELECT * FROM user'), db.all('SELECT * FROM post')])).toEqual([[], []]);
});
