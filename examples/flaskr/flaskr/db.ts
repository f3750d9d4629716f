/**
 * The database (Flask's tutorial: flaskr/db.py). A request, or a command, opens the SQLite file the first time it
 * needs it, keeps the connection on `g`, and closes it when its app context ends. `flagon --app flaskr init-db`
 * creates the tables.
 *
 * SQLite comes from node-sqlite3-wasm, SQLite compiled to WebAssembly, because it runs unchanged on Node 20 and 24:
 * `node:sqlite` (Python's `sqlite3`, in the standard library) only exists from Node 22, and native addons
 * (better-sqlite3, sqlite3) download or compile a binary in an install script, which npm 11 does not run by default
 * and which needs a network or a compiler. The WebAssembly build installs as plain files and still reads and writes
 * an ordinary SQLite file, so the tutorial's SQL is kept word for word.
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
 * The connection of this request or command, opened on first use and kept on `g` until the app context ends. A
 * missing database file is an error that says how to create it, where SQLite would make an empty file and fail
 * later with "no such table".
 *
 * @example
 * const post = getDb().get('SELECT * FROM post WHERE id = ?', [1]);
 */
export function getDb(): Database {
  if (g.db === undefined) {
    const file = currentApp.config.DATABASE;
    if (!existsSync(file))
      throw new Error(`The database ${file} does not exist yet: run 'flagon --app flaskr init-db' to create it.`);
    g.db = new sqlite.Database(file);
  }
  return g.db;
}

/**
 * Closes the connection, if this context opened one (a teardown function).
 *
 * @example
 * app.teardownAppcontext(closeDb);
 */
export function closeDb(): void {
  g.db?.close();
  g.db = undefined;
}

/**
 * Clears the existing data and creates new tables, from schema.sql.
 *
 * @example
 * await app.appContext().run(() => initDb());
 */
export function initDb(): void {
  g.db ??= new sqlite.Database(currentApp.config.DATABASE); // creates the file: getDb() would refuse a missing one
  g.db.exec(readFileSync(new URL('./schema.sql', import.meta.url), 'utf8'));
}

/**
 * Registers the database with the app: the connection is closed after each request, and `init-db` is a command.
 *
 * @example
 * initApp(app); // then: flagon --app flaskr init-db
 */
export function initApp(app: App): void {
  app.teardownAppcontext(closeDb);
  app.cli.command(
    'init-db',
    () => {
      initDb();
      console.log('Initialized the database.');
    },
    { help: 'Clear the existing data and create new tables.' },
  );
}
