/**
 * Port of Flask's tests/test_blueprints.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65). BSD-3-Clause, Copyright 2010 Pallets: see LICENSE-pallets.txt.
 * Tests that inspect `app.jinja_env.filters/tests/globals` are ported as renders of the upstream templates
 * (template_filter.html is `{{ value|super_reverse }}`, template_test.html `{% if value is boolean %}Success!{% endif %}`).
 */
import { describe, expect, it } from 'vitest';
import { Blueprint, abort, g, renderTemplateString, request, urlFor } from 'flagon';
import { flaskApp } from './support.js';

const reverse = (s: string): string => [...s].reverse().join('');
const isBoolean = (value: unknown): boolean => typeof value === 'boolean';

describe('flask tests/test_blueprints.py', () => {
  it('test_blueprint_specific_error_handling', async () => {
    const app = flaskApp();
    const frontend = new Blueprint('frontend', import.meta.url);
    const backend = new Blueprint('backend', import.meta.url);
    const sideend = new Blueprint('sideend', import.meta.url);
    frontend.errorHandler(403, () => ['frontend says no', 403]);
    frontend.route('/frontend-no', {}, function frontend_no() {
      abort(403);
    });
    backend.errorHandler(403, () => ['backend says no', 403]);
    backend.route('/backend-no', {}, function backend_no() {
      abort(403);
    });
    sideend.route('/what-is-a-sideend', {}, function sideend_no() {
      abort(403);
    });
    app.registerBlueprint(frontend);
    app.registerBlueprint(backend);
    app.registerBlueprint(sideend);
    app.errorHandler(403, () => ['application itself says no', 403]);
    const client = app.testClient();
    expect((await client.get('/frontend-no')).text).toBe('frontend says no');
    expect((await client.get('/backend-no')).text).toBe('backend says no');
    expect((await client.get('/what-is-a-sideend')).text).toBe('application itself says no');
  });

  it('test_blueprint_specific_user_error_handling', async () => {
    const app = flaskApp();
    class MyDecoratorException extends Error {}
    class MyFunctionException extends Error {}
    const blue = new Blueprint('blue', import.meta.url);
    blue.errorHandler(MyDecoratorException, (e) => {
      expect(e).toBeInstanceOf(MyDecoratorException);
      return 'boom';
    });
    blue.errorHandler(MyFunctionException, (e) => {
      expect(e).toBeInstanceOf(MyFunctionException);
      return 'bam';
    });
    blue.route('/decorator', {}, function blue_deco_test() {
      throw new MyDecoratorException();
    });
    blue.route('/function', {}, function blue_func_test() {
      throw new MyFunctionException();
    });
    app.registerBlueprint(blue);
    const client = app.testClient();
    expect((await client.get('/decorator')).text).toBe('boom');
    expect((await client.get('/function')).text).toBe('bam');
  });

  it('test_blueprint_app_error_handling', async () => {
    const app = flaskApp();
    const errors = new Blueprint('errors', import.meta.url);
    errors.appErrorHandler(403, () => ['you shall not pass', 403]);
    app.route('/forbidden', {}, function app_forbidden() {
      abort(403);
    });
    const forbiddenBp = new Blueprint('forbidden_bp', import.meta.url);
    forbiddenBp.route('/nope', {}, function bp_forbidden() {
      abort(403);
    });
    app.registerBlueprint(errors);
    app.registerBlueprint(forbiddenBp);
    const client = app.testClient();
    expect((await client.get('/forbidden')).text).toBe('you shall not pass');
    expect((await client.get('/nope')).text).toBe('you shall not pass');
  });

  it('test_blueprint_prefix_slash', async () => {
    const cases: Array<[string, string, string]> = [
      ['', '/', '/'],
      ['/', '', '/'],
      ['/', '/', '/'],
      ['/foo', '', '/foo'],
      ['/foo/', '', '/foo/'],
      ['', '/bar', '/bar'],
      ['/foo/', '/bar', '/foo/bar'],
      ['/foo/', 'bar', '/foo/bar'],
      ['/foo', '/bar', '/foo/bar'],
      ['/foo/', '//bar', '/foo/bar'],
      ['/foo//', '/bar', '/foo/bar'],
    ];
    const got: Array<string | number> = [];
    for (const [prefix, rule, url] of cases) {
      const app = flaskApp();
      const bp = new Blueprint('test', import.meta.url, { urlPrefix: prefix });
      try {
        bp.route(rule, {}, function index() {
          return ['', 204];
        });
        app.registerBlueprint(bp);
        got.push((await app.testClient().get(url)).status);
      } catch (error) {
        got.push(`${prefix}|${rule}: ${(error as Error).message}`);
      }
    }
    expect(got).toEqual(cases.map(() => 204));
  });

  it('test_blueprint_url_defaults', async () => {
    const app = flaskApp();
    const bp = new Blueprint('test', import.meta.url);
    bp.route('/foo', { defaults: { baz: 42 } }, function foo(req) {
      const p = req.params as Record<string, unknown>;
      return `${String(p.bar)}/${String(p.baz)}`;
    });
    bp.route('/bar', {}, function bar(req) {
      return String((req.params as Record<string, unknown>).bar);
    });
    app.registerBlueprint(bp, { urlPrefix: '/1', urlDefaults: { bar: 23 } });
    app.registerBlueprint(bp, { name: 'test2', urlPrefix: '/2', urlDefaults: { bar: 19 } });
    const client = app.testClient();
    expect((await client.get('/1/foo')).text).toBe('23/42');
    expect((await client.get('/2/foo')).text).toBe('19/42');
    expect((await client.get('/1/bar')).text).toBe('23');
    expect((await client.get('/2/bar')).text).toBe('19');
  });

  it('test_blueprint_url_processors', async () => {
    const app = flaskApp();
    const bp = new Blueprint('frontend', import.meta.url, { urlPrefix: '/<lang_code>' });
    bp.urlDefaults((_e, values) => {
      values.lang_code ??= g.lang_code;
    });
    bp.urlValuePreprocessor((_e, values) => {
      g.lang_code = values.lang_code;
      delete values.lang_code;
    });
    bp.route('/', {}, function index() {
      return urlFor('.about');
    });
    bp.route('/about', {}, function about() {
      return urlFor('.index');
    });
    app.registerBlueprint(bp);
    const client = app.testClient();
    expect((await client.get('/de/')).text).toBe('/de/about');
    expect((await client.get('/de/about')).text).toBe('/de/');
  });

  it.skip('test_templates_and_static', () => {
    /* not ported: needs Flask's tests/test_apps/blueprintapp fixture tree (test/app/fixture-bp covers blueprint static and templates). */
  });
  it.skip('test_default_static_max_age', () => {
    /* N/A: overrides Blueprint.get_send_file_max_age in a subclass; Flagon has no such hook. */
  });
  it.skip('test_templates_list', () => {
    /* N/A: jinja_env.list_templates(). */
  });

  it('test_dotted_name_not_allowed', () => {
    expect(() => new Blueprint('app.ui', import.meta.url)).toThrow();
  });

  it('test_empty_name_not_allowed', () => {
    expect(() => new Blueprint('', import.meta.url)).toThrow();
  });

  it('test_dotted_names_from_app', async () => {
    const app = flaskApp();
    const test = new Blueprint('test', import.meta.url);
    app.route('/', {}, function app_index() {
      return urlFor('test.index');
    });
    test.route('/test/', {}, function index() {
      return urlFor('app_index');
    });
    app.registerBlueprint(test);
    expect((await app.testClient().get('/')).text).toBe('/test/');
  });

  it('test_empty_url_defaults', async () => {
    const app = flaskApp();
    const bp = new Blueprint('bp', import.meta.url);
    const something = (req: { params: Record<string, unknown> }) => String(req.params.page);
    bp.addUrlRule('/', { endpoint: 'something', view: something as never, defaults: { page: 1 } });
    bp.addUrlRule('/page/<int:page>', { endpoint: 'something', view: something as never });
    app.registerBlueprint(bp);
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('1');
    expect((await client.get('/page/2')).text).toBe('2');
  });

  it('test_route_decorator_custom_endpoint', async () => {
    const app = flaskApp();
    const bp = new Blueprint('bp', import.meta.url);
    bp.route('/foo', {}, function foo() {
      return String(request.endpoint);
    });
    bp.route('/bar', { endpoint: 'bar' }, function foo_bar() {
      return String(request.endpoint);
    });
    bp.route('/bar/123', { endpoint: '123' }, function foo_bar_foo() {
      return String(request.endpoint);
    });
    bp.route('/bar/foo', {}, function bar_foo() {
      return String(request.endpoint);
    });
    app.registerBlueprint(bp, { urlPrefix: '/py' });
    app.route('/', {}, function index() {
      return String(request.endpoint);
    });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('index');
    expect((await client.get('/py/foo')).text).toBe('bp.foo');
    expect((await client.get('/py/bar')).text).toBe('bp.bar');
    expect((await client.get('/py/bar/123')).text).toBe('bp.123');
    expect((await client.get('/py/bar/foo')).text).toBe('bp.bar_foo');
  });

  it('test_route_decorator_custom_endpoint_with_dots', () => {
    const bp = new Blueprint('bp', import.meta.url);
    expect(() => bp.route('/', { endpoint: 'a.b' }, () => '')).toThrow();
    expect(() => bp.addUrlRule('/', { endpoint: 'a.b' })).toThrow();
    const view = () => '';
    Object.defineProperty(view, 'name', { value: 'a.b' });
    expect(() => bp.addUrlRule('/', { view })).toThrow();
  });

  it('test_endpoint_decorator', async () => {
    const app = flaskApp();
    app.addUrlRule('/foo', { endpoint: 'bar' });
    const bp = new Blueprint('bp', import.meta.url);
    bp.endpoint('bar', function foobar() {
      return String(request.endpoint);
    });
    app.registerBlueprint(bp, { urlPrefix: '/bp_prefix' });
    const client = app.testClient();
    expect((await client.get('/foo')).text).toBe('bar');
    expect((await client.get('/bp_prefix/bar')).status).toBe(404);
  });

  // The eight filter tests: decorator or add_app_template_filter, with or without a name, checked by rendering.
  const filterCases: Array<[string, (bp: Blueprint) => void, string]> = [
    [
      'test_template_filter',
      (bp) =>
        bp.appTemplateFilter(function my_reverse(s: string) {
          return reverse(s);
        }),
      'my_reverse',
    ],
    [
      'test_add_template_filter',
      (bp) =>
        bp.appTemplateFilter(function my_reverse(s: string) {
          return reverse(s);
        }),
      'my_reverse',
    ],
    ['test_template_filter_with_name', (bp) => bp.appTemplateFilter('strrev', (s: string) => reverse(s)), 'strrev'],
    ['test_add_template_filter_with_name', (bp) => bp.appTemplateFilter('strrev', (s: string) => reverse(s)), 'strrev'],
    [
      'test_template_filter_with_template',
      (bp) =>
        bp.appTemplateFilter(function super_reverse(s: string) {
          return reverse(s);
        }),
      'super_reverse',
    ],
    [
      'test_add_template_filter_with_template',
      (bp) =>
        bp.appTemplateFilter(function super_reverse(s: string) {
          return reverse(s);
        }),
      'super_reverse',
    ],
    [
      'test_template_filter_with_name_and_template',
      (bp) => bp.appTemplateFilter('super_reverse', (s: string) => reverse(s)),
      'super_reverse',
    ],
    [
      'test_add_template_filter_with_name_and_template',
      (bp) => bp.appTemplateFilter('super_reverse', (s: string) => reverse(s)),
      'super_reverse',
    ],
  ];
  for (const [name, register, filter] of filterCases) {
    it(name, async () => {
      const app = flaskApp();
      const bp = new Blueprint('bp', import.meta.url);
      register(bp);
      app.registerBlueprint(bp, { urlPrefix: '/py' });
      app.route('/', {}, function index() {
        return renderTemplateString(`{{ value|${filter} }}`, { value: 'abcd' });
      });
      expect((await app.testClient().get('/')).text).toBe('dcba');
    });
  }

  it('test_template_filter_after_route_with_template', async () => {
    const app = flaskApp();
    app.route('/', {}, function index() {
      return renderTemplateString('{{ value|super_reverse }}', { value: 'abcd' });
    });
    const bp = new Blueprint('bp', import.meta.url);
    bp.appTemplateFilter(function super_reverse(s: string) {
      return reverse(s);
    });
    app.registerBlueprint(bp, { urlPrefix: '/py' });
    expect((await app.testClient().get('/')).text).toBe('dcba');
  });

  const testCases: Array<[string, (bp: Blueprint) => void, string]> = [
    [
      'test_template_test',
      (bp) =>
        bp.appTemplateTest(function is_boolean(v: unknown) {
          return isBoolean(v);
        }),
      'is_boolean',
    ],
    [
      'test_add_template_test',
      (bp) =>
        bp.appTemplateTest(function is_boolean(v: unknown) {
          return isBoolean(v);
        }),
      'is_boolean',
    ],
    ['test_template_test_with_name', (bp) => bp.appTemplateTest('boolean', (v: unknown) => isBoolean(v)), 'boolean'],
    [
      'test_add_template_test_with_name',
      (bp) => bp.appTemplateTest('boolean', (v: unknown) => isBoolean(v)),
      'boolean',
    ],
    [
      'test_template_test_with_template',
      (bp) =>
        bp.appTemplateTest(function boolean(v: unknown) {
          return isBoolean(v);
        }),
      'boolean',
    ],
    [
      'test_add_template_test_with_template',
      (bp) =>
        bp.appTemplateTest(function boolean(v: unknown) {
          return isBoolean(v);
        }),
      'boolean',
    ],
    [
      'test_template_test_with_name_and_template',
      (bp) => bp.appTemplateTest('boolean', (v: unknown) => isBoolean(v)),
      'boolean',
    ],
    [
      'test_add_template_test_with_name_and_template',
      (bp) => bp.appTemplateTest('boolean', (v: unknown) => isBoolean(v)),
      'boolean',
    ],
  ];
  for (const [name, register, test] of testCases) {
    it(name, async () => {
      const app = flaskApp();
      const bp = new Blueprint('bp', import.meta.url);
      register(bp);
      app.registerBlueprint(bp, { urlPrefix: '/py' });
      app.route('/', {}, function index() {
        return renderTemplateString(`{% if value is ${test} %}Success!{% endif %}`, { value: false });
      });
      expect((await app.testClient().get('/')).text).toContain('Success!');
    });
  }

  it('test_template_test_after_route_with_template', async () => {
    const app = flaskApp();
    app.route('/', {}, function index() {
      return renderTemplateString('{% if value is boolean %}Success!{% endif %}', { value: false });
    });
    const bp = new Blueprint('bp', import.meta.url);
    bp.appTemplateTest(function boolean(v: unknown) {
      return isBoolean(v);
    });
    app.registerBlueprint(bp, { urlPrefix: '/py' });
    expect((await app.testClient().get('/')).text).toContain('Success!');
  });

  it('test_context_processing', async () => {
    const app = flaskApp();
    const answerBp = new Blueprint('answer_bp', import.meta.url);
    const templateString = () =>
      renderTemplateString(
        '{% if notanswer %}{{ notanswer }} is not the answer. {% endif %}{% if answer %}{{ answer }} is the answer.{% endif %}',
      );
    answerBp.appContextProcessor(() => ({ notanswer: 43 }));
    answerBp.contextProcessor(() => ({ answer: 42 }));
    answerBp.route('/bp', {}, function bp_page() {
      return templateString();
    });
    app.route('/', {}, function app_page() {
      return templateString();
    });
    app.registerBlueprint(answerBp);
    const client = app.testClient();
    const appPage = (await client.get('/')).text;
    const answerPage = (await client.get('/bp')).text;
    expect(appPage).toContain('43');
    expect(appPage).not.toContain('42');
    expect(answerPage).toContain('42');
    expect(answerPage).toContain('43');
  });

  it('test_template_global', async () => {
    const app = flaskApp();
    const bp = new Blueprint('bp', import.meta.url);
    bp.appTemplateGlobal(function get_answer() {
      return 42;
    });
    app.registerBlueprint(bp);
    expect(await app.appContext().run(() => renderTemplateString('{{ get_answer() }}'))).toBe('42');
  });

  it('test_request_processing', async () => {
    const app = flaskApp();
    const bp = new Blueprint('bp', import.meta.url);
    const evts: string[] = [];
    bp.beforeRequest(() => {
      evts.push('before');
    });
    bp.afterRequest(async (response) => {
      response.setData(`${new TextDecoder().decode(await response.getData())}|after`);
      evts.push('after');
      return response;
    });
    bp.teardownRequest(() => {
      evts.push('teardown');
    });
    bp.route('/bp', {}, function bp_endpoint() {
      return 'request';
    });
    app.registerBlueprint(bp);
    expect(evts).toEqual([]);
    expect((await app.testClient().get('/bp')).text).toBe('request|after');
    expect(evts).toEqual(['before', 'after', 'teardown']);
  });

  it('test_app_request_processing', async () => {
    const app = flaskApp();
    const bp = new Blueprint('bp', import.meta.url);
    const evts: string[] = [];
    bp.beforeAppRequest(() => {
      evts.push('before');
    });
    bp.afterAppRequest(async (response) => {
      response.setData(`${new TextDecoder().decode(await response.getData())}|after`);
      evts.push('after');
      return response;
    });
    bp.teardownAppRequest(() => {
      evts.push('teardown');
    });
    app.registerBlueprint(bp);
    app.route('/', {}, function bp_endpoint() {
      return 'request';
    });
    expect(evts).toEqual([]);
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('request|after');
    expect(evts).toEqual(['before', 'after', 'teardown']);
    expect((await client.get('/')).text).toBe('request|after');
    expect(evts).toEqual(['before', 'after', 'teardown', 'before', 'after', 'teardown']);
  });

  it('test_app_url_processors', async () => {
    const app = flaskApp();
    const bp = new Blueprint('bp', import.meta.url);
    bp.appUrlDefaults((_e, values) => {
      values.lang_code ??= g.lang_code;
    });
    bp.appUrlValuePreprocessor((_e, values) => {
      g.lang_code = values.lang_code;
      delete values.lang_code;
    });
    app.route('/<lang_code>/', {}, function index() {
      return urlFor('about');
    });
    app.route('/<lang_code>/about', {}, function about() {
      return urlFor('index');
    });
    app.registerBlueprint(bp);
    const client = app.testClient();
    expect((await client.get('/de/')).text).toBe('/de/about');
    expect((await client.get('/de/about')).text).toBe('/de/');
  });

  it('test_nested_blueprint', async () => {
    const app = flaskApp();
    const parent = new Blueprint('parent', import.meta.url);
    const child = new Blueprint('child', import.meta.url);
    const grandchild = new Blueprint('grandchild', import.meta.url);
    parent.errorHandler(403, () => ['Parent no', 403]);
    parent.route('/', {}, function parent_index() {
      return 'Parent yes';
    });
    parent.route('/no', {}, function parent_no() {
      abort(403);
    });
    child.route('/', {}, function child_index() {
      return 'Child yes';
    });
    child.route('/no', {}, function child_no() {
      abort(403);
    });
    grandchild.errorHandler(403, () => ['Grandchild no', 403]);
    grandchild.route('/', {}, function grandchild_index() {
      return 'Grandchild yes';
    });
    grandchild.route('/no', {}, function grandchild_no() {
      abort(403);
    });
    child.registerBlueprint(grandchild, { urlPrefix: '/grandchild' });
    parent.registerBlueprint(child, { urlPrefix: '/child' });
    app.registerBlueprint(parent, { urlPrefix: '/parent' });
    const client = app.testClient();
    expect((await client.get('/parent/')).text).toBe('Parent yes');
    expect((await client.get('/parent/child/')).text).toBe('Child yes');
    expect((await client.get('/parent/child/grandchild/')).text).toBe('Grandchild yes');
    expect((await client.get('/parent/no')).text).toBe('Parent no');
    expect((await client.get('/parent/child/no')).text).toBe('Parent no');
    expect((await client.get('/parent/child/grandchild/no')).text).toBe('Grandchild no');
  });

  it('test_nested_callback_order', async () => {
    const app = flaskApp();
    const parent = new Blueprint('parent', import.meta.url);
    const child = new Blueprint('child', import.meta.url);
    const seen = () => ((g.seen as string[] | undefined) ?? (g.seen = [])) as string[];
    for (const [owner, name] of [
      [app, 'app'],
      [parent, 'parent'],
      [child, 'child'],
    ] as const) {
      for (const n of [1, 2]) {
        owner.beforeRequest(() => {
          seen().push(`${name}_${n}`);
        });
        owner.teardownRequest(() => {
          expect(seen().pop()).toBe(`${name}_${n}`);
        });
      }
      owner.contextProcessor(() => ({ key: name }));
    }
    child.route('/a', {}, function a() {
      return seen().join(', ');
    });
    child.route('/b', {}, function b() {
      return renderTemplateString('{{ key }}');
    });
    parent.registerBlueprint(child);
    app.registerBlueprint(parent);
    const client = app.testClient();
    expect((await client.get('/a')).text).toBe('app_1, app_2, parent_1, parent_2, child_1, child_2');
    expect((await client.get('/b')).text).toBe('child');
  });

  it('test_nesting_url_prefixes', async () => {
    const cases: Array<[string | undefined, string | undefined, string | undefined, string | undefined]> = [
      ['/parent', '/child', undefined, undefined],
      ['/parent', undefined, undefined, '/child'],
      [undefined, undefined, '/parent', '/child'],
      ['/other', '/something', '/parent', '/child'],
    ];
    for (const [parentInit, childInit, parentRegistration, childRegistration] of cases) {
      const app = flaskApp();
      const parent = new Blueprint(
        'parent',
        import.meta.url,
        parentInit === undefined ? {} : { urlPrefix: parentInit },
      );
      const child = new Blueprint('child', import.meta.url, childInit === undefined ? {} : { urlPrefix: childInit });
      child.route('/', {}, function index() {
        return 'index';
      });
      parent.registerBlueprint(child, childRegistration === undefined ? {} : { urlPrefix: childRegistration });
      app.registerBlueprint(parent, parentRegistration === undefined ? {} : { urlPrefix: parentRegistration });
      expect((await app.testClient().get('/parent/child/')).status).toBe(200);
    }
  });

  it('test_nesting_subdomains', async () => {
    const app = flaskApp({ SERVER_NAME: 'example.test' });
    app.subdomainMatching = true; // as Flask's test: subdomain_matching=True
    const parent = new Blueprint('parent', import.meta.url);
    const child = new Blueprint('child', import.meta.url);
    child.route('/child/', {}, function index() {
      return 'child';
    });
    parent.registerBlueprint(child);
    app.registerBlueprint(parent, { subdomain: 'api' });
    expect((await app.testClient().get('/child/', { headers: { Host: 'api.example.test' } })).status).toBe(200);
  });

  it('test_child_and_parent_subdomain', async () => {
    const app = flaskApp({ SERVER_NAME: 'example.test' });
    app.subdomainMatching = true; // as Flask's test: subdomain_matching=True
    const parent = new Blueprint('parent', import.meta.url);
    const child = new Blueprint('child', import.meta.url, { subdomain: 'api' });
    child.route('/', {}, function index() {
      return 'child';
    });
    parent.registerBlueprint(child);
    app.registerBlueprint(parent, { subdomain: 'parent' });
    const client = app.testClient();
    expect((await client.get('/', { headers: { Host: 'api.parent.example.test' } })).status).toBe(200);
    expect((await client.get('/', { headers: { Host: 'parent.example.test' } })).status).toBe(404);
  });

  it('test_unique_blueprint_names', () => {
    const app = flaskApp();
    const bp = new Blueprint('bp', import.meta.url);
    const bp2 = new Blueprint('bp', import.meta.url);
    app.registerBlueprint(bp);
    expect(() => app.registerBlueprint(bp)).toThrow();
    app.registerBlueprint(bp, { name: 'again' });
    expect(() => app.registerBlueprint(bp2)).toThrow();
    app.registerBlueprint(bp2, { name: 'alt' });
  });

  it('test_self_registration', () => {
    const bp = new Blueprint('bp', import.meta.url);
    expect(() => bp.registerBlueprint(bp)).toThrow();
  });

  it('test_blueprint_renaming', async () => {
    const app = flaskApp();
    const bp = new Blueprint('bp', import.meta.url);
    const bp2 = new Blueprint('bp2', import.meta.url);
    bp.get('/', function index() {
      return String(request.endpoint);
    });
    bp.get('/error', function error() {
      abort(403);
    });
    bp.errorHandler(403, () => ['Error', 403]);
    bp2.get('/', function index2() {
      return String(request.endpoint);
    });
    bp.registerBlueprint(bp2, { urlPrefix: '/a', name: 'sub' });
    app.registerBlueprint(bp, { urlPrefix: '/a' });
    app.registerBlueprint(bp, { urlPrefix: '/b', name: 'alt' });
    const client = app.testClient();
    expect((await client.get('/a/')).text).toBe('bp.index');
    expect((await client.get('/b/')).text).toBe('alt.index');
    expect((await client.get('/a/a/')).text).toBe('bp.sub.index2');
    expect((await client.get('/b/a/')).text).toBe('alt.sub.index2');
    expect((await client.get('/a/error')).text).toBe('Error');
    expect((await client.get('/b/error')).text).toBe('Error');
  });
});
