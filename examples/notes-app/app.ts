/**
 * The demo: a small Flagon App with a template, a form protected against CSRF, a session and flash messages.
 * `npm run demo` serves it with `flagon run --debug` at http://127.0.0.1:5000 and reloads it when you save a file.
 */
import { App, flash, redirect, renderTemplate, session, urlFor } from 'flagon';

export const app = new App(import.meta.url, {
  name: 'notes',
  config: { SECRET_KEY: process.env.FLAGON_SECRET_KEY ?? 'dev-only-secret-change-me' },
});
app.enableCsrf();

const notes: Array<{ author: string; text: string }> = [
  { author: 'Flagon', text: 'Write a note below. Try <b>tags</b>: they are escaped.' },
];

app.get('/', () => renderTemplate('index.html', { notes, name: session.name ?? '' }));

app.post('/notes', async (req) => {
  const form = await req.form();
  const text = form.get('text')?.trim() ?? '';
  const name = form.get('name')?.trim() || 'anonymous';
  if (!text) {
    flash('A note needs some text.', 'error');
  } else {
    notes.push({ author: name, text });
    session.name = name; // remembered in a signed cookie
    flash(`Thanks, ${name}: your note is on the board.`);
  }
  return redirect(urlFor('index'));
});

app.get('/about', function about() {
  return renderTemplate('about.html');
});
