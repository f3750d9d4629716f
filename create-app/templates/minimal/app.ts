/**
 * Your app. `npm run dev` serves it at http://127.0.0.1:5000 with the debug page, and restarts it when you save;
 * `npm test` runs test/app.test.ts against it in process, without a server.
 */
import { App } from 'flagon';

export const app = new App(import.meta.url);

// A string is sent as HTML.
app.get('/', () => '<h1>Hello from Flagon!</h1><p>Edit <code>app.ts</code>, save, and reload this page.</p>');

// `<name>` comes in as req.params.name; a plain object is sent as JSON (so nothing here needs HTML escaping).
app.get('/hello/<name>', (req) => ({ greeting: `Hello, ${req.params.name}!` }));

// The same routes can be written as standard decorators on static methods; use whichever reads better.
export class Status {
  @app.get('/health')
  static health() {
    return { status: 'ok' };
  }
}
