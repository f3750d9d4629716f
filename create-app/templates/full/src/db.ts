/**
 * The database (Flask's tutorial: flaskr/db.py). Each request, or command, opens the SQLite file the first time it
 * needs it, keeps the connection on `g`, and closes it when its app context ends. `npx flagon init-db` creates the
 * tables.
 *
 * SQLite comes from node-sqlite3-wasm, SQLite compiled to WebAssembly. It installs as plain files: npm 11 runs no
 * install scripts, so native addons that download or compile a binary at install time fail, and node:sqlite is not
 * in Node 20. It works offline, on Node 20 and 24, and reads and writes an ordinary SQLite file on disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { currentApp, g, type App } from 'flagon';
import sqlite, { type Database } from 'node-sqlite3-wasm';

declare module 'flagon' {
  interface AppConfig {
    /** The SQLite file. */
    DATABASE: string;
  }
  interface AppGlobals {
    db?: Database | undefined;
  }
}

/**
 * The connection of this request or command, opened on first use. A missing database file is an error that says
 * how to create it (SQLite would otherwise make an empty file and fail later with "no such table").
 */
export function getDb(): Database {
  if (g.db === undefined) {
    const file = currentApp.config.DATABASE;
    if (!existsSync(file))
      throw new Error(`The database ${file} does not exist yet: run 'npx flagon init-db' to create it.`);
    g.db = new sqlite.Database(file);
  }
  return g.db;
}

/** Closes the connection, if this context opened one. */
export function closeDb(): void {
  g.db?.close();
  g.db = undefined;
}

/** Creates the tables from schema.sql, dropping the old ones and their data. */
export function initDb(): void {
  g.db ??= new sqlite.Database(currentApp.config.DATABASE);
  g.db.exec(readFileSync(new URL('./schema.sql', import.meta.url), 'utf8'));
}

/** Closes each context's connection when it ends, and adds `npx flagon init-db`. */
export function initAppDb(app: App): void {
  app.teardownAppcontext(closeDb);
  app.cli.command(
    'init-db',
    () => {
      initDb();
      console.log(`Initialized the database in ${currentApp.config.DATABASE}.`);
    },
    { help: 'Create the tables, dropping any existing data.' },
  );
}

/** Whether an error is SQLite refusing a second row with the same value in a UNIQUE column. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('UNIQUE constraint failed');
}
