/**
 * The application factory (Flask's tutorial: flaskr/__init__.py). `npm run dev`, `npx flagon init-db` and
 * `npm start` call createApp() with no arguments; the tests call it with their own config, so each test gets a
 * fresh app and its own database.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App } from 'flagon';
import { auth } from './auth.js';
import { blog } from './blog.js';
import { initAppDb } from './db.js';

export function createApp(testConfig?: Record<string, unknown>): App {
  const app = new App(import.meta.url, { name: 'blog' });
  app.config.fromObject({
    SECRET_KEY: 'dev', // signs the session cookie: server.ts refuses to start with this one
    // The instance folder (instance/ beside package.json) holds what is not code and not in git.
    DATABASE: join(app.instancePath, 'blog.sqlite'),
  });
  if (testConfig === undefined) {
    // FLAGON_SECRET_KEY, FLAGON_DATABASE, …: settings that differ between machines come from the environment
    // (or a .env file beside package.json, which `flagon` commands read), never from the code.
    app.config.fromPrefixedEnv();
  } else {
    app.config.fromObject(testConfig);
  }
  mkdirSync(dirname(app.config.DATABASE), { recursive: true });

  // Every POST needs the session's token (`csrfToken()` in each form), so another site cannot post in a user's name.
  app.enableCsrf();
  initAppDb(app);
  app.registerBlueprint(auth);
  app.registerBlueprint(blog);
  return app;
}
