/**
 * A small app built from the toolkit alone, Werkzeug-style: a Router for URLs, Request.application to turn a handler
 * into a TSGI app, and Response for answers. The App layer will do this wiring for you; here you see every step.
 * Run: `npx tsx examples/toolkit-app/app.ts`, then try http://127.0.0.1:5000/notes/
 */
import { pathToFileURL } from 'node:url';
import { NotFound, escapeHtml } from 'flagon/http';
import { Router } from 'flagon/routing';
import { serve } from 'flagon/serving';
import { Request, Response } from 'flagon/wrappers';

const notes = new Map<number, string>([
  [1, 'Read docs/gateway.md'],
  [2, 'Then docs/toolkit.md'],
]);

const router = new Router();
router.add('/notes/', { endpoint: 'index' });
router.add('/notes/<int(min=1):id>', { endpoint: 'show' });
router.add('/notes/', { endpoint: 'create', methods: ['POST'] });

export const app = Request.application(
  async (request) => {
    // Routing errors are HTTP errors: /notes gets a 308 to /notes/, DELETE gets a 405 with Allow.
    const { endpoint, params } = router.match(request.path, {
      method: request.method,
      host: request.host,
      scheme: request.scheme,
      scriptName: request.scriptRoot,
      queryString: request.environ.QUERY_STRING,
    });
    if (endpoint === 'index') {
      const items = [...notes].map(
        ([id, text]) => `<li><a href="${router.build('show', { id })}">${escapeHtml(text)}</a></li>`,
      );
      return new Response(
        `<h1>Notes</h1><ul>${items.join('')}</ul><form method=post><input name=text><button>Add</button></form>`,
      );
    }
    if (endpoint === 'show') {
      const text = notes.get(params.id as number);
      if (text === undefined) throw new NotFound(`There is no note ${String(params.id)}.`);
      const response = new Response(`<h1>${escapeHtml(text)}</h1><a href="${router.build('index')}">All notes</a>`);
      response.addEtag();
      return response.makeConditional(request); // 304 when the browser's copy is current
    }
    const text = (await request.form()).get('text')?.trim();
    if (text) notes.set(notes.size + 1, text);
    return new Response(null, { status: 303, headers: { Location: router.build('index') } });
  },
  { maxContentLength: 64 * 1024 },
);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = await serve(app, { port: Number(process.env.PORT ?? 5000) });
  console.log(` * Serving the toolkit example on ${server.url}/notes/`);
}
