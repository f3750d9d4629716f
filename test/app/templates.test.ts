import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  App,
  Blueprint,
  flash,
  g,
  getTemplateAttribute,
  renderTemplate,
  renderTemplateString,
  streamTemplate,
} from 'flagon';
import { TemplateSyntaxError } from 'flagon/app';

const fixtureUrl = new URL('./fixture-app/app.ts', import.meta.url).href;
const newApp = (config: Record<string, unknown> = {}) =>
  new App(fixtureUrl, {
    name: 'tpl',
    config: { TESTING: true, SECRET_KEY: 'tpl-secret', ...config },
    staticFolder: null,
  });

describe('templates', () => {
  it('autoescape .html and string templates, not .txt', async () => {
    const app = newApp();
    app.get('/html', () => renderTemplate('escape.html', { value: '<script>x</script>' }));
    app.get('/txt', () => renderTemplate('escape.txt', { value: '<script>x</script>' }));
    app.get('/string', () => renderTemplateString('{{ value }}', { value: '<b>' }));
    const client = app.testClient();
    expect((await client.get('/html')).text).toBe('<p>&lt;script&gt;x&lt;/script&gt;</p>');
    expect((await client.get('/txt')).text).toBe('raw: <script>x</script>');
    expect((await client.get('/string')).text).toBe('&lt;b&gt;');
  });

  it("take Jinja's trim_blocks, lstrip_blocks and delimiters through app.templates.configure, before or after a render", async () => {
    const app = newApp();
    const source = '<ul>\n  {% for x in items %}\n  <li>{{ x }}</li>\n  {% endfor %}\n</ul>';
    app.get('/', () => renderTemplateString(source, { items: [1, 2] }));
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('<ul>\n  \n  <li>1</li>\n  \n  <li>2</li>\n  \n</ul>');
    // Flask: app.jinja_env.trim_blocks = True; app.jinja_env.lstrip_blocks = True (the same output, via python3).
    app.templates.configure({ trimBlocks: true, lstripBlocks: true });
    expect((await client.get('/')).text).toBe('<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>');

    // Set before the first render, for a template file: other delimiters leave Vue's {{ }} to the browser.
    const folder = mkdtempSync(join(tmpdir(), 'flagon-syntax-'));
    writeFileSync(join(folder, 'vue.html'), '<p>{{ message }}</p><p>[[ name ]]</p>\n');
    const vue = newApp();
    vue.templates.folders.unshift(folder);
    vue.templates.configure({ tags: { variableStart: '[[', variableEnd: ']]' }, keepTrailingNewline: true });
    vue.get('/', () => renderTemplate('vue.html', { name: '<Ada>' }));
    expect((await vue.testClient().get('/')).text).toBe('<p>{{ message }}</p><p>&lt;Ada&gt;</p>\n');
  });

  it("render Flask's layout idioms: self.title() repeats a block, a required block must be filled, recursive loops", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'flagon-layout-'));
    writeFileSync(
      join(folder, 'layout.html'),
      '<title>{% block title %}{% endblock %}</title><h1>{{ self.title() }}</h1>{% block body required %}{% endblock %}',
    );
    writeFileSync(
      join(folder, 'page.html'),
      '{% extends "layout.html" %}{% block title %}{{ name }}{% endblock %}' +
        '{% block body %}<ul>{% for n in tree recursive %}<li>{{ n.t }}{% if n.c %}<ul>{{ loop(n.c) }}</ul>{% endif %}</li>{% endfor %}</ul>{% endblock %}',
    );
    const app = newApp();
    app.templates.folders.unshift(folder);
    const tree = [{ t: 'a', c: [{ t: '<b>' }] }, { t: 'c' }];
    app.get('/page', () => renderTemplate('page.html', { name: 'Tea & <cake>', tree }));
    app.get('/layout', () => renderTemplate('layout.html'));
    const client = app.testClient();
    // Flask 3.1 renders the same two templates to the same text (python3).
    expect((await client.get('/page')).text).toBe(
      '<title>Tea &amp; &lt;cake&gt;</title><h1>Tea &amp; &lt;cake&gt;</h1>' +
        '<ul><li>a<ul><li>&lt;b&gt;</li></ul></li><li>c</li></ul>',
    );
    // The layout alone has no body: Jinja's error (Flask: TemplateRuntimeError), raised to the test (TESTING).
    await expect(client.get('/layout')).rejects.toThrow("Required block 'body' not found");
  });

  it('render the first name that exists, and say which were tried', async () => {
    const app = newApp();
    app.get('/first', () => renderTemplate(['missing.html', 'escape.txt'], { value: 1 }));
    app.get('/none', () => renderTemplate(['a.html', 'b.html']));
    expect((await app.testClient().get('/first')).text).toBe('raw: 1');
    await expect(app.testClient().get('/none')).rejects.toThrow('template not found: a.html, b.html');
  });

  it("look in the app's folder before blueprints' folders", async () => {
    const app = newApp();
    app.registerBlueprint(
      new Blueprint('bp', new URL('./fixture-bp/x.ts', import.meta.url).href, { templateFolder: 'templates' }),
    );
    app.get('/shared', () => renderTemplate('shared.html'));
    app.get('/bp', () => renderTemplate('bp-only.html'));
    expect((await app.testClient().get('/shared')).text).toBe('app wins');
    expect((await app.testClient().get('/bp')).text).toBe('only in blueprint');
  });

  it('apply context processors (explicit values win), filters, globals and tests', async () => {
    const app = newApp();
    app.contextProcessor(() => ({ greeting: 'hello', year: 2026 }));
    app.templateGlobal('siteName', 'Flagon');
    app.templateTest('even', (n: number) => n % 2 === 0);
    (class Filters {
      @app.templateFilter('shout') static shout(s: string) {
        return s.toUpperCase();
      }
    });
    app.get('/', () => renderTemplate('extras.html', { name: 'ada', year: 1815 }));
    expect((await app.testClient().get('/')).text).toBe('hello 1815 ADA Flagon even');
  });

  it('refuse a context processor that returns a Promise, naming it and the fix', async () => {
    // From plain JavaScript (the type allows no async function): the Promise was spread as nothing, silently.
    const app = newApp();
    app.contextProcessor(async function loadUser() {
      return { user: 'ada' };
    } as unknown as () => Record<string, unknown>);
    app.get('/', () => renderTemplateString('[{{ user }}]'));
    await expect(app.testClient().get('/')).rejects.toThrow(
      /context processor loadUser returned a Promise, but templates render synchronously: load the data in the view/,
    );
  });

  it('pass keyword arguments to functions in the context, and from context processors, as one plain object', async () => {
    // Flask's context-processor idiom: `return dict(format_price=format_price)`, called with keywords.
    const app = newApp();
    const seen: unknown[] = [];
    const formatPrice = (amount: number, options: { currency?: string } = {}) => {
      seen.push(options);
      return `${amount.toFixed(2)} ${options.currency ?? 'USD'}`;
    };
    app.contextProcessor(() => ({ format_price: formatPrice }));
    app.get('/', function index() {
      return renderTemplateString(
        "{{ format_price(9.5, currency='EUR') }}|{{ tag('a', href='/x') }}|{{ url_for('index') }}",
        {
          tag: (name: string, attributes: Record<string, string>) =>
            `${name}:${Object.entries(attributes)
              .map(([key, value]) => `${key}=${value}`)
              .join(',')}`,
        },
      );
    });
    expect((await app.testClient().get('/')).text).toBe('9.50 EUR|a:href=/x|/');
    expect(seen).toEqual([{ currency: 'EUR' }]);
  });

  it("call a template's macro from a view with getTemplateAttribute, as Flask's get_template_attribute", async () => {
    const app = newApp();
    app.post('/items', () => {
      const item = getTemplateAttribute('_items.html', 'item') as (name: string, done?: boolean) => string;
      return `${getTemplateAttribute('_items.html', 'title')}: ${item('<milk>')}${item('eggs', true)}`;
    });
    const client = app.testClient();
    expect((await client.post('/items')).text).toBe(
      'Items: <li class="todo">&lt;milk&gt;</li><li class="done">eggs</li>',
    );
    expect(() => app.appContext().run(() => getTemplateAttribute('_items.html', 'itme'))).toThrow(
      "_items.html defines no 'itme' at its top level: it defines title, item",
    );
  });

  it('give a context processor a macro handle, a render the macro itself, and take processors that return nothing', async () => {
    const app = newApp();
    // Flask: a context processor may hand templates a macro (get_template_attribute), with the template globals only.
    app.contextProcessor(() => ({ item: getTemplateAttribute('_items.html', 'item') }));
    app.contextProcessor(() => undefined as unknown as Record<string, unknown>);
    class Counter {
      static #count = 2;
      static next() {
        return ++Counter.#count;
      }
    }
    app.get('/', () =>
      renderTemplateString("<ul>{{ item('<x>') }}{{ item('y', done=true) }}</ul>{{ Counter.next() }}", { Counter }),
    );
    expect((await app.testClient().get('/')).text).toBe(
      '<ul><li class="todo">&lt;x&gt;</li><li class="done">y</li></ul>3',
    );
  });

  it('give templates request, urlFor, config, g and flashed messages', async () => {
    const app = newApp();
    app.get('/', function index() {
      g.user = 'ada';
      flash('one');
      flash('two');
      return renderTemplate('globals.html');
    });
    expect((await app.testClient().get('/')).text).toBe('/ / tpl-secret ada one,two');
  });

  it("render Flask's message-flashing snippet as written ({% with %}, {% if messages %})", async () => {
    const app = newApp();
    const snippet =
      '{% with messages = get_flashed_messages() %}{% if messages %}<ul>{% for message in messages %}<li>{{ message }}</li>{% endfor %}</ul>{% endif %}{% endwith %}';
    app.get('/', () => {
      flash('saved <ok>');
      flash('again');
      return renderTemplateString(`${snippet}|${snippet}`);
    });
    app.get('/quiet', () => renderTemplateString(`[${snippet}]`));
    const client = app.testClient();
    // Flask 3.1 renders the same for the same two messages (the second read gets them again, within one request).
    const list = '<ul><li>saved &lt;ok&gt;</li><li>again</li></ul>';
    expect((await client.get('/')).text).toBe(`${list}|${list}`);
    expect((await client.get('/quiet')).text).toBe('[]');
  });

  it('test conditions as Jinja does: an empty list or dict is false, and `or`/`and` give an operand', async () => {
    const app = newApp();
    // The template and the expected text are what Flask 3.1 renders (python3, render_template_string, same values).
    const template = [
      '{% if posts %}has{% else %}No posts{% endif %}',
      '{% if not posts %}none{% endif %}',
      "{{ posts or 'x' }}",
      '{{ user and user.name }}',
      "{{ empty and 'never' }}",
      '{{ 1 or boom() }}', // short-circuit: boom is never looked up, so nothing fails
      "{{ 'yes' if d else 'no' }}",
      '{% if d %}d{% elif full %}full{% endif %}',
      "{{ posts|default('dflt', true) }}",
      "{{ zero|default('z', true) }}",
      "{{ missing|default('m') }}",
      "{{ zero|default('kept') }}",
      '{% if request.args %}args{% else %}no args{% endif %}',
      '{% if not (posts or d) %}both empty{% endif %}',
      "{{ 0.0 or 'f' }}",
      "{{ '' or 's' }}",
      '{{ full and full.a }}',
      '{% if file %}file{% endif %}', // a record with a size field of 0 is a record, not an empty collection
    ].join('|');
    app.get('/', () =>
      renderTemplateString(template, {
        posts: [],
        user: { name: 'ada' },
        empty: '',
        d: {},
        full: { a: 1 },
        zero: 0,
        file: { name: 'x', size: 0 },
      }),
    );
    expect((await app.testClient().get('/')).text).toBe(
      'No posts|none|x|ada||1|no|full|dflt|z|m|0|no args|both empty|f|s|1|file',
    );
  });

  it("read request.args and request.headers items as Jinja does: request.args.q, request.headers['User-Agent']", async () => {
    const app = newApp();
    app.get('/search', () =>
      renderTemplateString(
        [
          '{{ request.args.q }}',
          "{{ request.args['q'] }}",
          "{{ request.args.get('q') }}",
          "{{ request.args.getAll('tag') | join(',') }}",
          '{{ request.args.missing }}',
          "{{ request.headers['User-Agent'] }}",
          '{{ request.headers.Accept }}',
          "{{ request.headers.get('accept') }}",
          "{{ request.headers['X-Missing'] | default('none') }}",
          '{{ request.path }}',
          '{% for key, value in request.args %}{{ key }}={{ value }};{% endfor %}',
        ].join('|'),
      ),
    );
    const rv = await app
      .testClient()
      .get('/search?q=%3Cb%3Etea%3C%2Fb%3E&tag=a&tag=b', { headers: { 'User-Agent': 'curl/8', Accept: 'text/html' } });
    expect(rv.text.split('|')).toEqual([
      '&lt;b&gt;tea&lt;/b&gt;', // still autoescaped
      '&lt;b&gt;tea&lt;/b&gt;',
      '&lt;b&gt;tea&lt;/b&gt;',
      'a,b',
      '',
      'curl/8',
      'text/html',
      'text/html',
      'none',
      '/search',
      'q=&lt;b&gt;tea&lt;/b&gt;;tag=a;tag=b;',
    ]);
  });

  it('name the template file and line in errors, once', async () => {
    const app = newApp();
    app.get('/broken', () => renderTemplate('broken.html'));
    app.get('/undefined', () => renderTemplateString('line one\n{{ nothing() }}'));
    await expect(app.testClient().get('/broken')).rejects.toThrow(
      new TemplateSyntaxError('unexpected token: }}', { template: 'broken.html', file: null, line: 2, column: 12 })
        .message,
    );
    await expect(app.testClient().get('/undefined')).rejects.toThrow(
      /^`nothing` is undefined, so it cannot be called: .* \(\(template string\), line 2, column 4\)$/,
    );
  });

  it('reload changed templates in debug', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagon-tpl-'));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'page.html'), 'version 1');
    const app = new App(pathToFileURL(join(dir, 'app.ts')).href, {
      config: { TESTING: true, DEBUG: true },
      staticFolder: null,
    });
    app.get('/', () => renderTemplate('page.html'));
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('version 1');
    writeFileSync(join(dir, 'templates', 'page.html'), 'version 2');
    expect((await client.get('/')).text).toBe('version 2');
  });

  it('stream a rendered template', async () => {
    const app = newApp();
    app.get('/stream', () => streamTemplate('escape.html', { value: 'x'.repeat(40_000) }));
    const response = await app.testClient().get('/stream');
    expect(response.text).toBe(`<p>${'x'.repeat(40_000)}</p>`);
    expect(response.headers.get('Content-Length')).toBeNull();
  });
});

describe('template helpers as decorators', () => {
  it('register globals and tests from static methods', async () => {
    const app = newApp();
    (class Helpers {
      @app.templateGlobal('twice') static twice(n: number) {
        return n * 2;
      }
      @app.templateTest('positive') static positive(n: number) {
        return n > 0;
      }
    });
    app.get('/', () => renderTemplateString('{{ twice(21) }} {% if 3 is positive %}yes{% endif %}'));
    expect((await app.testClient().get('/')).text).toBe('42 yes');
  });
});
