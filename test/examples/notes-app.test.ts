import { describe, expect, it } from 'vitest';
import { app } from '../../examples/notes-app/app.js';

describe('examples/notes-app (the demo)', () => {
  it('shows notes escaped, takes a note with CSRF, remembers the name and flashes a message', async () => {
    app.config.TESTING = true;
    const client = app.testClient();
    const home = await client.get('/');
    expect(home.text).toContain('Try &lt;b&gt;tags&lt;/b&gt;: they are escaped.');
    expect(home.text).toContain('href="/static/style.css"');
    const token = /name="csrf_token" value="([^"]+)"/.exec(home.text)![1]!;
    expect((await client.post('/notes', { form: { text: 'no token' } })).status).toBe(400);
    const after = await client.post('/notes', {
      form: { csrf_token: token, name: 'Ada', text: '<script>x</script>' },
      followRedirects: true,
    });
    expect(after.text).toContain('Thanks, Ada: your note is on the board.');
    expect(after.text).toContain('<strong>Ada</strong>: &lt;script&gt;x&lt;/script&gt;');
    expect(after.text).toContain('value="Ada"');
    expect((await client.get('/')).text).not.toContain('Thanks, Ada');
    expect((await client.get('/about')).text).toContain('<h1>About this demo</h1>');
    expect((await client.get('/static/style.css')).headers.get('Content-Type')).toBe('text/css; charset=utf-8');
  });
});
