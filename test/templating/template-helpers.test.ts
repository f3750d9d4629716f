/** Flagon's template helpers called as Flask templates call them: keyword arguments, Flask's names, tojson. */
import { describe, expect, it } from 'vitest';
import { abort, App, flash, renderTemplate, renderTemplateString, type Handler } from 'flagon';

const root = new URL('./fixtures/app.ts', import.meta.url).href;

function newApp(index: Handler<'/'> = () => ''): App {
  const app = new App(root, {
    name: 'helpers',
    config: { TESTING: true, SECRET_KEY: 'helpers-secret', SERVER_NAME: 'localhost' },
  });
  app.get('/', { endpoint: 'index' }, index);
  app.get('/users/<int:id>', function user() {
    return '';
  });
  return app;
}

async function rendered(app: App, source: string, context: Record<string, unknown> = {}): Promise<string> {
  app.get('/render', () => renderTemplateString(source, context));
  const response = await app.testClient().get('/render');
  expect(response.status).toBe(200);
  return response.text;
}

describe('urlFor in templates', () => {
  it("takes Flask's keyword arguments as URL values: url_for('static', filename=…)", async () => {
    expect(
      await rendered(
        newApp(),
        "{{ urlFor('static', filename='style.css') }} {{ url_for('static', filename='style.css') }}",
      ),
    ).toBe('/static/style.css /static/style.css');
  });

  it('builds endpoints with keyword values, extra ones in the query string, and no __keywords anywhere', async () => {
    expect(await rendered(newApp(), "{{ urlFor('user', id=7) }} {{ url_for('user', id=7, tab='likes') }}")).toBe(
      '/users/7 /users/7?tab=likes',
    );
  });

  it("maps Flask's underscore keywords to the options: _external, _anchor, _scheme, _method", async () => {
    const html = await rendered(
      newApp(),
      "{{ url_for('user', id=7, _anchor='posts') }} {{ url_for('index', _external=True) }} {{ url_for('index', _external=true, _scheme='https') }} {{ url_for('user', id=1, _method='GET') }}",
    );
    expect(html).toBe('/users/7#posts http://localhost/ https://localhost/ /users/1');
  });

  it('keeps the positional forms, alone or mixed with keywords', async () => {
    const html = await rendered(
      newApp(),
      "{{ urlFor('user', { id: 7 }) }} {{ urlFor('user', { id: 7 }, { anchor: 'a' }) }} {{ urlFor('user', { id: 7 }, _external=true) }}",
    );
    expect(html).toBe('/users/7 /users/7#a http://localhost/users/7');
  });

  it('names both ways to pass values when called wrongly', async () => {
    const app = newApp();
    app.get('/bad', () => renderTemplateString("{{ urlFor('user', 7) }}"));
    await expect(app.testClient().get('/bad')).rejects.toThrow("urlFor('user', id=7) or urlFor('user', { id: 7 })");
  });
});

describe('other helpers under Flask names', () => {
  it('get_flashed_messages takes with_categories and category_filter as keywords or positionally', async () => {
    const app = newApp();
    app.get('/flash', () => {
      flash('one');
      flash('two', 'error');
      return renderTemplateString(
        [
          '{% for c, m in get_flashed_messages(with_categories=true) %}{{ c }}:{{ m }} {% endfor %}',
          '{{ get_flashed_messages(category_filter=["error"]) | join(",") }}',
          '{{ getFlashedMessages(true, ["message"]) | dump }}',
          '{{ getFlashedMessages({ withCategories: true, categoryFilter: ["error"] }) | dump }}',
        ].join('|'),
      );
    });
    expect((await app.testClient().get('/flash')).text).toBe(
      'message:one error:two |two|[[&quot;message&quot;,&quot;one&quot;]]|[[&quot;error&quot;,&quot;two&quot;]]',
    );
  });

  it('csrf_token() is the session token, as csrfToken()', async () => {
    expect(await rendered(newApp(), '{{ csrf_token() == csrfToken() }} {{ csrf_token() | length }}')).toBe('true 43');
  });

  it('tojson writes JSON that cannot close a script tag, and leaves it unescaped', async () => {
    expect(await rendered(newApp(), '{{ data | tojson }}', { data: { title: "</script><b>'&" } })).toBe(
      '{"title":"\\u003c/script\\u003e\\u003cb\\u003e\\u0027\\u0026"}',
    );
  });

  it("the app's own filters and globals get keyword arguments as a plain last object", async () => {
    const app = newApp();
    const seen: unknown[] = [];
    app.templateGlobal('link', (href: string, options: Record<string, unknown>) => {
      seen.push(options);
      return `${href}|${JSON.stringify(options)}`;
    });
    app.templateFilter('pad', (value: string, options: { width: number }) => value.padStart(options.width, '.'));
    expect(await rendered(app, "{{ link('/a', title='A') }} {{ 'x' | pad(width=3) }}")).toBe(
      '/a|{&quot;title&quot;:&quot;A&quot;} ..x',
    );
    expect(seen).toEqual([{ title: 'A' }]);
  });

  it('config.get(), request.args.items() and request.args|dictsort work as in a Flask template', async () => {
    const app = newApp();
    app.config.fromObject({ GREETING: 'hi' });
    const source =
      "{{ config.get('DEBUG') }}|{{ config.get('GREETING', 'x') }}|{{ config.get('NOPE', 'x') }}|{% for k, v in request.args.items() %}{{ k }}={{ v }};{% endfor %}|{{ request.args|dictsort|length }}";
    app.get('/items', () => renderTemplateString(source));
    // What Flask renders for the same template and query (python3, Flask 3.1), but for JavaScript's false.
    // Both were "`config.get` is undefined" and "`request.args.items` is undefined" (a 500).
    expect((await app.testClient().get('/items?q=1&r=2&q=3')).text).toBe('false|hi|x|q=1;r=2;|2');
  });

  it('an HTTP error raised by a helper in a template keeps its status, as abort() does in a Jinja template', async () => {
    const app = newApp();
    app.templateGlobal('abortWith', (status: number) => abort(status));
    app.get('/gone', () => renderTemplate('errors/aborts.html'));
    expect((await app.testClient().get('/gone')).status).toBe(404);
  });
});

describe('a template ported from Flask as it is', () => {
  it('renders as Flask renders it: url_for, flashed messages, csrf_token, tojson, request, session, extends', async () => {
    const app = newApp(() => {
      flash('Saved');
      flash('Oops', 'error');
      return renderTemplate('flask/index.html', { posts: [{ title: '</script><b>' }] });
    });
    const response = await app.testClient().get('/');
    expect(response.status).toBe(200);
    const html = response.text;
    expect(html).toContain('<title>Posts - Flaskr</title>');
    expect(html).toContain('<link rel="stylesheet" href="/static/style.css">');
    expect(html).toContain('<a href="/users/7#posts">Ada</a>');
    expect(html).toContain('<a href="http://localhost/users/7?tab=likes">Permalink</a>');
    expect(html).toMatch(/<div class="flash message">Saved<\/div>\s+<div class="flash error">Oops<\/div>/);
    expect(html).toContain('<p class="error">Oops</p>');
    expect(html).toMatch(/<input type="hidden" name="csrf_token" value="[\w-]{43}">/);
    expect(html).toContain('<script>const posts = [{"title":"\\u003c/script\\u003e\\u003cb\\u003e"}];</script>');
    expect(html).toContain('<p>Welcome, guest</p>');
  });
});
