import { describe, expect, it } from 'vitest';
import { createEnviron, runApp } from 'flagon/testing';
import { app } from '../../examples/toolkit-app/app.js';

describe('examples/toolkit-app', () => {
  it('lists, shows, adds and redirects as its comments say', async () => {
    expect((await runApp(app, createEnviron('/notes/'))).text).toContain('Read docs/gateway.md');
    const redirect = await runApp(app, createEnviron('/notes', { query: 'x=1' }));
    expect([redirect.statusCode, redirect.header('Location')]).toEqual([308, 'http://localhost/notes/?x=1']);
    expect((await runApp(app, createEnviron('/notes/', { method: 'DELETE' }))).header('Allow')).toBe('GET, HEAD, POST');
    expect((await runApp(app, createEnviron('/notes/99'))).statusCode).toBe(404);
    expect((await runApp(app, createEnviron('/notes/0'))).statusCode).toBe(404);

    const added = await runApp(
      app,
      createEnviron('/notes/', {
        method: 'POST',
        body: 'text=<b>bold</b>',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect([added.statusCode, added.header('Location')]).toEqual([303, '/notes/']);
    expect((await runApp(app, createEnviron('/notes/3'))).text).toContain('&lt;b&gt;bold&lt;/b&gt;');

    const first = await runApp(app, createEnviron('/notes/1'));
    const again = await runApp(app, createEnviron('/notes/1', { headers: { 'If-None-Match': first.header('ETag')! } }));
    expect(again.statusCode).toBe(304);
  });
});
