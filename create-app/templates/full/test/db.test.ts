import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect } from 'vitest';
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
    expect(withDb(app, (db) => db.all('SELECT username FROM user ORDER BY id'))).toEqual([{ username: 'test' }, { username: 'other' }]);
  });

  test('says how to create it when the file is missing', () => {
    const app = createApp({ TESTING: true, DATABASE: join(tmpdir(), `missing-${process.pid}`, 'blog.sqlite') });
    expect(() => app.appContext().run(() => getDb())).toThrow("run 'npx flagon init-db' to create it");
  });

  // The command itself, run as you would run it: `npx flagon init-db`, with the database file from the environment.
  test('is created by `npx flagon init-db`', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'blog-init-db-'));
    try {
      const file = join(folder, 'blog.sqlite');
      const { stdout } = await promisify(execFile)('npx', ['flagon', 'init-db'], {
        env: { ...process.env, FLAGON_DATABASE: file },
        shell: process.platform === 'win32',
      });
      expect(stdout).toContain('Initialized the database');
      expect(existsSync(file)).toBe(true);
      const app = createApp({ TESTING: true, DATABASE: file });
      expect(withDb(app, (db) => db.all('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name', ['table']))).toEqual(
        expect.arrayContaining([{ name: 'post' }, { name: 'user' }]),
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 30_000);
});
