/** validateForm, the Flask-WTF pattern: a page with a form, re-rendered by a nunjucks template with the errors beside the fields and the values as sent. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { App, redirect, renderTemplateString } from 'flagon';
import { validateForm } from 'flagon/validation';

const Signup = z.object({
  email: z.email(),
  age: z.number().int().min(18),
  topics: z.array(z.enum(['news', 'tips'])).default([]),
  terms: z.boolean().refine((v) => v, 'Accept the terms'),
});

const PAGE = `<form method="post">
{% for field in ['email', 'age'] %}<input name="{{ field }}" value="{{ values[field] or '' }}">{% for message in errors[field] or [] %}<span class="error" data-for="{{ field }}">{{ message }}</span>{% endfor %}
{% endfor %}</form>`;

function signupApp(): App {
  const app = new App(import.meta.url, { config: { TESTING: true, SECRET_KEY: 'k' } });
  app.route('/signup', { methods: ['GET', 'POST'] }, async (req) => {
    if (req.method === 'GET') return renderTemplateString(PAGE, { errors: {}, values: {} });
    const form = await validateForm(req, Signup);
    if (!form.ok) return renderTemplateString(PAGE, { errors: form.errors, values: form.values });
    return redirect(`/welcome?age=${form.data.age}&topics=${form.data.topics.join(',')}`);
  });
  return app;
}

describe('validateForm', () => {
  it('gives the coerced data of a good form', async () => {
    const rv = await signupApp()
      .testClient()
      .post('/signup', { form: { email: 'ada@example.com', age: '36', topics: ['news', 'tips'], terms: 'on' } });
    expect(rv.status).toBe(302);
    expect(rv.headers.get('Location')).toBe('/welcome?age=36&topics=news,tips');
  });

  it('gives the errors by field and the values as sent, for the page to render again', async () => {
    const app = signupApp();
    const rv = await app.testClient().post('/signup', { form: { email: 'nope', age: '12' } });
    expect(rv.status).toBe(200);
    expect(rv.text).toContain(
      '<input name="email" value="nope"><span class="error" data-for="email">Invalid email address</span>',
    );
    expect(rv.text).toContain(
      '<input name="age" value="12"><span class="error" data-for="age">Too small: expected number to be &gt;=18</span>',
    );
  });

  it('returns errors keyed by field path, root issues under _form', async () => {
    const app = new App(import.meta.url, { config: { TESTING: true } });
    const Pair = z.object({ a: z.string(), b: z.string() }).refine((v) => v.a !== v.b, 'a and b must differ');
    app.post('/pair', async (req) => {
      const form = await validateForm(req, Pair);
      return form.ok ? { ok: true } : { errors: form.errors, values: form.values };
    });
    const client = app.testClient();
    expect((await client.post('/pair', { form: { a: 'x', b: 'x' } })).json).toEqual({
      errors: { _form: ['a and b must differ'] },
      values: { a: 'x', b: 'x' },
    });
    expect((await client.post('/pair', { form: { a: 'x' } })).json).toEqual({
      errors: { b: ['Invalid input: expected string, received undefined'] },
      values: { a: 'x' },
    });
  });
});
