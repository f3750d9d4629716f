/**
 * Flaskr's application factory (Flask's tutorial: flaskr/__init__.py). `flagon --app flaskr run --debug` and
 * `flagon --app flaskr init-db` find this file (a folder given to --app means its app.ts) and call createApp(); the
 * tests call it with their own config, so each test gets a fresh app and its own database.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'flagon';
import { auth } from './auth.js';
import { blog } from './blog.js';
import { initApp } from './db.js';

/**
 * Creates and configures an instance of Flaskr. Without `testConfig`, settings come from `instance/config.json`
 * when it exists (Flask's `instance/config.py`): put a real SECRET_KEY there.
 *
 * @example
 * const app = createApp({ TESTING: true, DATABASE: '/tmp/flaskr-test.sqlite' });
 * const client = app.testClient();
 */
export function createApp(testConfig?: Record<string, unknown>): App {
  // The instance folder is examples/flaskr/instance, beside the package as Flask puts it. Left to itself Flagon would
  // look for the nearest package.json, which for this example is the repository's.
  const app = new App(import.meta.url, { name: 'flaskr', instancePath: '../instance', instanceRelativeConfig: true });
  app.config.fromObject({
    SECRET_KEY: 'dev', // signs the session cookie: override it in instance/config.json
    DATABASE: join(app.instancePath, 'flaskr.sqlite'),
  });
  if (testConfig === undefined) app.config.fromFile('config.json', { silent: true });
  else app.config.fromObject(testConfig);
  mkdirSync(app.instancePath, { recursive: true });

  // A simple page that says hello.
  app.get('/hello', function hello() {
    return 'Hello, World!';
  });

  initApp(app);
  app.registerBlueprint(auth);
  app.registerBlueprint(blog);
  // urlFor('index') and urlFor('blog.index') are both '/': the blog is the main index here. Another app might give
  // the blog a urlPrefix and its own index view.
  app.addUrlRule('/', { endpoint: 'index' });
  return app;
}
