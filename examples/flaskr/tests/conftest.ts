/**
 * What the tests share (Flask's tutorial: tests/conftest.py), as vitest fixtures: a test that names `app`, `client`
 * or `auth` in its first argument gets a fresh one, with its own database file filled from data.sql.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'flagon';
import type { TestClient, TestResponse } from 'flagon/testing';
import type { Database } from 'node-sqlite3-wasm';
import { test as base } from 'vitest';
import { createApp } from '../flaskr/app.js';
import { getDb, initDb } from '../flaskr/db.js';

// The SQL that fills the test database.
const dataSql = readFileSync(new URL('./data.sql', import.meta.url), 'utf8');

/**
 * Runs `fn` with the app's database, in an app context of its own (Flask's `with app.app_context(): get_db()`).
 *
 * @example
 * withDb(app, (db) => db.get('SELECT COUNT(id) AS count FROM post'));
 */
export function withDb<T>(app: App, fn: (db: Database) => T): T {
  return app.appContext().run(() => fn(getDb()));
}

/**
 * Logging in and out through the views, as a user would (Flask's tutorial: AuthActions).
 *
 * @example
 * await auth.login(); // as 'test'
 */
export class AuthActions {
  readonly #client: TestClient;

  constructor(client: TestClient) {
    this.#client = client;
  }

  login(username = 'test', password = 'test'): Promise<TestResponse> {
    return this.#client.post('/auth/login', { form: { username, password } });
  }

  logout(): Promise<TestResponse> {
    return this.#client.get('/auth/logout');
  }
}

/**
 * `test` with the fixtures `app` (a new app with a temporary database), `client` (its test client) and `auth`.
 *
 * @example
 * test('the index', async ({ client }) => expect((await client.get('/')).status).toBe(200));
 */
export const test = base.extend<{ app: App; client: TestClient; auth: AuthActions }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a fixture needs from this pattern
  app: async ({}, use) => {
    // A temporary folder isolates the database of each test.
    const folder = mkdtempSync(join(tmpdir(), 'flaskr-test-'));
    const app = createApp({ TESTING: true, DATABASE: join(folder, 'flaskr.sqlite') });
    // Create the database and load the test data.
    app.appContext().run(() => {
      initDb();
      getDb().exec(dataSql);
    });
    await use(app);
    rmSync(folder, { recursive: true, force: true });
  },
  client: async ({ app }, use) => {
    await use(app.testClient());
  },
  auth: async ({ client }, use) => {
    await use(new AuthActions(client));
  },
});
