/**
 * What the tests share (Flask's tutorial: tests/conftest.py), as vitest fixtures: a test that names `app`, `client`
 * or `auth` in its first argument gets a fresh one, with its own database file holding two users, 'test' and
 * 'other' (passwords 'test' and 'other'), and one post by 'test'.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'flagon';
import { generatePasswordHash } from 'flagon/app';
import type { TestClient, TestResponse } from 'flagon/testing';
import type { Database } from 'node-sqlite3-wasm';
import { test as base } from 'vitest';
import { createApp } from '../src/app.js';
import { getDb, initDb } from '../src/db.js';

// Password hashing is slow on purpose (that is what makes it safe), so each test file hashes once.
let hashes: Promise<string[]> | undefined;

async function seed(app: App): Promise<void> {
  hashes ??= Promise.all([generatePasswordHash('test'), generatePasswordHash('other')]);
  const [test, other] = await hashes;
  await app.appContext().run(async () => {
    initDb();
    getDb().run('INSERT INTO user (username, password) VALUES (?, ?), (?, ?)', ['test', test!, 'other', other!]);
    getDb().run(
      "INSERT INTO post (title, body, author_id, created) VALUES ('test title', 'test body', 1, '2018-01-01 00:00:00')",
    );
  });
}

/** Runs `fn` with the app's database, in an app context of its own (closed when `fn` returns). */
export function withDb<T>(app: App, fn: (db: Database) => T): T {
  return app.appContext().run(() => fn(getDb()));
}

/** The CSRF token in the form on `page`, as a browser has it after loading the page. */
export async function formToken(client: TestClient, page = '/auth/login'): Promise<string> {
  const response = await client.get(page);
  const token = /name="csrf_token" value="([^"]+)"/.exec(response.text)?.[1];
  if (token === undefined) throw new Error(`GET ${page} (${response.status}) has no form with a csrf_token field`);
  return token;
}

/** Logging in and out through the forms, as a user would (Flask's tutorial: AuthActions). */
export class AuthActions {
  readonly #client: TestClient;

  constructor(client: TestClient) {
    this.#client = client;
  }

  async login(username = 'test', password = 'test'): Promise<TestResponse> {
    const token = await formToken(this.#client);
    return this.#client.post('/auth/login', { form: { csrf_token: token, username, password } });
  }

  async logout(): Promise<TestResponse> {
    const token = await formToken(this.#client, '/'); // the Log Out button's form
    return this.#client.post('/auth/logout', { form: { csrf_token: token } });
  }
}

export const test = base.extend<{ app: App; client: TestClient; auth: AuthActions }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a fixture needs from this pattern
  app: async ({}, use) => {
    const folder = mkdtempSync(join(tmpdir(), 'blog-test-'));
    const app = createApp({ TESTING: true, DATABASE: join(folder, 'blog.sqlite') });
    await seed(app);
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
