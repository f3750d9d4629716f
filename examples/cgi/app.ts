/** A small Flagon App, the same whether served by `flagon run` or, through cgi.ts, by a CGI server (app.cgi). */
import { App, redirect, urlFor } from 'flagon';
import { escapeHtml } from 'flagon/http';

export const app = new App(import.meta.url, { name: 'cgi-example' });

// A string is HTML: what came from the query is escaped, so ?name=<script> shows as text.
app.get(
  '/',
  (req) =>
    `<h1>Hello, ${escapeHtml(req.args.get('name') ?? 'CGI')}!</h1>\n<p>Served from ${escapeHtml(req.scriptRoot || '/')}</p>\n`,
);

// urlFor builds under SCRIPT_NAME (/cgi-bin/app.cgi/…), which the CGI server sets to the script's own path.
app.get('/users/<int:id>', { endpoint: 'user' }, (req) => ({
  id: req.params.id,
  url: urlFor('user', { id: req.params.id }),
  https: req.isSecure,
}));

app.get('/latest', () => redirect(urlFor('user', { id: 1 })));

app.post('/echo', async (req) => {
  const form = await req.form();
  return { method: req.method, name: form.get('name'), length: req.contentLength, type: req.mimetype };
});

app.get('/headers', (req) => ({ agent: req.headers.get('User-Agent'), remote: req.remoteAddr, host: req.host }));
