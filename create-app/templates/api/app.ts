/**
 * The app factory. `npm run dev` and `npm start` call createApp(); each test calls it too, so each gets a fresh app
 * with an empty store. `npm run dev` serves it at http://127.0.0.1:5000: the API docs page is /docs, the OpenAPI
 * document /openapi.json.
 */
import { App, HTTPError, redirect, ValidationError } from 'flagon';
import { apiDocs } from 'flagon/app';
import { notesBlueprint } from './notes.js';
import { NoteStore } from './store.js';

export function createApp(config: Record<string, unknown> = {}): App {
  const app = new App(import.meta.url, { name: 'notes-api' });
  app.config.fromObject(config);

  app.registerBlueprint(notesBlueprint(new NoteStore()));

  // The root has nothing of its own: send people to the docs (and leave it out of them).
  app.get('/', { endpoint: 'index' }, () => redirect('/docs'));

  // /openapi.json (the OpenAPI 3.1 document, built from the routes and their schemas) and /docs, a page to read and
  // try it (Swagger UI, served from node_modules: no CDN, works offline).
  apiDocs(app, {
    openapi: {
      info: { title: 'Notes API', version: '0.1.0', description: 'Notes, made with Flagon.' },
      exclude: ['index'],
    },
  });

  // Every error as JSON, in the same problem-details shape (RFC 9457) as the 422 a failed validation sends, instead
  // of Flagon's HTML error pages: a 404, a 405 (with its Allow header), malformed JSON (400), a wrong Content-Type
  // (415). A ValidationError already is problem details: it goes out as it is.
  app.errorHandler(HTTPError, (error: HTTPError) => {
    if (error instanceof ValidationError) return error;
    const problem = { type: 'about:blank', title: error.name, status: error.status, detail: error.description };
    return [problem, error.status, [...error.headers.toList(), ['Content-Type', 'application/problem+json']]];
  });

  return app;
}
