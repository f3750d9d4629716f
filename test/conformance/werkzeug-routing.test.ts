/**
 * Port of Werkzeug's tests/test_routing.py (github.com/pallets/werkzeug, tag 3.1.8, commit
 * c1a26b45fb06d5e086b4d6be820c3302f588d815) to Flagon's Router. BSD-3-Clause, Copyright 2007 Pallets: see
 * LICENSE-pallets.txt. One `it` per upstream test; `Map.bind()` is emulated in support.ts. Websocket rules,
 * `bind_to_environ` warnings and Python object internals do not apply and are skipped with a reason.
 */
import { describe, expect, it } from 'vitest';
import { MethodNotAllowed, NotFound } from 'flagon/http';
import {
  BuildError,
  RequestRedirect,
  Rule,
  parseConverterArgs,
  type Converter,
  type ConverterFactory,
} from 'flagon/routing';
import { createEnviron, runApp } from 'flagon/testing';
import { bind, map, redirectOf, thrown } from './support.js';

describe('werkzeug tests/test_routing.py', () => {
  it('test_basic_routing', () => {
    // The websocket half of the upstream test does not apply (Flagon has no websocket rules).
    const m = map([
      ['/', { endpoint: 'index' }],
      ['/foo', { endpoint: 'foo' }],
      ['/bar/', { endpoint: 'bar' }],
    ]);
    let adapter = bind(m, 'example.org', '/');
    expect(adapter.match('/')).toEqual(['index', {}]);
    expect(adapter.match('/foo')).toEqual(['foo', {}]);
    expect(adapter.match('/bar/')).toEqual(['bar', {}]);
    expect(() => adapter.match('/bar')).toThrow(RequestRedirect);
    expect(() => adapter.match('/blub')).toThrow(NotFound);

    adapter = bind(m, 'example.org', '/test');
    expect(redirectOf(() => adapter.match('/bar'))).toBe('http://example.org/test/bar/');
    adapter = bind(m, 'example.org', '/');
    expect(redirectOf(() => adapter.match('/bar'))).toBe('http://example.org/bar/');
    expect(redirectOf(() => adapter.match('/bar', { queryArgs: { aha: 'muhaha' } }))).toBe(
      'http://example.org/bar/?aha=muhaha',
    );
    expect(redirectOf(() => adapter.match('/bar', { queryArgs: 'aha=muhaha' }))).toBe(
      'http://example.org/bar/?aha=muhaha',
    );
    expect(redirectOf(() => adapter.match('/bar', { queryArgs: 'foo=bar' }))).toBe('http://example.org/bar/?foo=bar');
  });

  it('test_merge_slashes_match', () => {
    const m = map([
      ['/no/tail', { endpoint: 'no_tail' }],
      ['/yes/tail/', { endpoint: 'yes_tail' }],
      ['/with/<path:path>', { endpoint: 'with_path' }],
      ['/no//merge', { endpoint: 'no_merge', mergeSlashes: false }],
      ['/no/merging', { endpoint: 'no_merging', mergeSlashes: false }],
    ]);
    const adapter = bind(m, 'localhost', '/');
    expect(redirectOf(() => adapter.match('/no//tail'))).toMatch(/\/no\/tail$/);
    expect(redirectOf(() => adapter.match('/yes//tail'))).toMatch(/\/yes\/tail\/$/);
    expect(redirectOf(() => adapter.match('/yes/tail//'))).toMatch(/\/yes\/tail\/$/);
    expect(() => adapter.match('//yes///tail////')).toThrow(RequestRedirect);
    expect(adapter.match('/no/tail')[0]).toBe('no_tail');
    expect(adapter.match('/yes/tail/')[0]).toBe('yes_tail');
    expect(adapter.match('/with/http://example.com/')[1].path).toBe('http://example.com/');
    expect(adapter.match('/with/x//y')[1].path).toBe('x//y');
    expect(adapter.match('/no//merge')[0]).toBe('no_merge');
    expect(adapter.match('/no/merging')[0]).toBe('no_merging');
    expect(() => adapter.match('/no//merging')).toThrow(NotFound);
  });

  it('test_merge_slash_encoding', () => {
    for (const [path, expected] of [
      ['/merge/%//path', '/merge/%25/path'],
      ['/merge//st/path', '/merge/st/path'],
    ] as const) {
      const adapter = bind(map([['/merge/<some>/path']]), 'localhost', '/');
      expect(redirectOf(() => adapter.match(path)).endsWith(expected)).toBe(true);
    }
  });

  it('test_merge_slashes_build', () => {
    const adapter = bind(
      map([
        ['/yes//merge', { endpoint: 'yes_merge' }],
        ['/no//merge', { endpoint: 'no_merge', mergeSlashes: false }],
      ]),
      'localhost',
      '/',
    );
    expect(adapter.build('yes_merge')).toBe('/yes/merge');
    expect(adapter.build('no_merge')).toBe('/no//merge');
  });

  it('test_strict_slashes_redirect', () => {
    let adapter = bind(
      map([
        ['/bar/', { endpoint: 'get', methods: ['GET'] }],
        ['/bar', { endpoint: 'post', methods: ['POST'] }],
        ['/foo/', { endpoint: 'foo', methods: ['POST'] }],
        ['/<path:var>/', { endpoint: 'path', methods: ['GET'] }],
      ]),
      'example.org',
      '/',
    );
    expect(adapter.match('/bar/', { method: 'GET' })).toEqual(['get', {}]);
    expect(adapter.match('/bar', { method: 'POST' })).toEqual(['post', {}]);
    expect(adapter.match('/abc/', { method: 'GET' })).toEqual(['path', { var: 'abc' }]);
    expect(() => adapter.match('/bar', { method: 'GET' })).toThrow(RequestRedirect);
    expect(() => adapter.match('/bar/', { method: 'POST' })).toThrow(MethodNotAllowed);
    expect((thrown(() => adapter.match('/foo', { method: 'POST' })) as RequestRedirect).status).toBe(308);
    expect(redirectOf(() => adapter.match('/abc', { method: 'GET' }))).toBe('http://example.org/abc/');

    adapter = bind(
      map([
        ['/bar', { endpoint: 'post', methods: ['POST'] }],
        ['/bar/', { endpoint: 'get', methods: ['GET'] }],
      ]),
      'example.org',
      '/',
    );
    expect(adapter.match('/bar/', { method: 'GET' })).toEqual(['get', {}]);
    expect(adapter.match('/bar', { method: 'POST' })).toEqual(['post', {}]);
    expect(() => adapter.match('/bar', { method: 'GET' })).toThrow(RequestRedirect);
    expect(() => adapter.match('/bar/', { method: 'POST' })).toThrow(MethodNotAllowed);

    adapter = bind(map([['/bar/', { endpoint: 'get', methods: ['GET'] }]]), 'example.org', '/');
    expect(adapter.match('/bar/', { method: 'GET' })).toEqual(['get', {}]);
    expect(() => adapter.match('/bar', { method: 'GET' })).toThrow(RequestRedirect);
    expect(() => adapter.match('/bar/', { method: 'POST' })).toThrow(MethodNotAllowed);
  });

  it('test_strict_slashes_leaves_dont_consume', () => {
    const adapter = bind(
      map(
        [
          ['/path1', { endpoint: 'leaf' }],
          ['/path1/', { endpoint: 'branch' }],
          ['/path2', { endpoint: 'leaf', strictSlashes: false }],
          ['/path2/', { endpoint: 'branch' }],
          ['/path3', { endpoint: 'leaf' }],
          ['/path3/', { endpoint: 'branch', strictSlashes: false }],
          ['/path4', { endpoint: 'leaf', strictSlashes: false }],
          ['/path4/', { endpoint: 'branch', strictSlashes: false }],
          ['/path5', { endpoint: 'leaf' }],
        ],
        { strictSlashes: false },
      ),
      'example.org',
      '/',
    );
    for (const n of [1, 2, 3, 4]) {
      expect(adapter.match(`/path${n}`)).toEqual(['leaf', {}]);
      expect(adapter.match(`/path${n}/`)).toEqual(['branch', {}]);
    }
    expect(adapter.match('/path5/')).toEqual(['leaf', {}]);
  });

  it('test_environ_defaults', () => {
    // bind_to_environ is the App's job in Flagon; the matching half is ported.
    const a = bind(
      map([
        ['/foo', { endpoint: 'foo' }],
        ['/bar', { endpoint: 'bar' }],
      ]),
      'localhost',
    );
    expect(a.match('/foo')).toEqual(['foo', {}]);
    expect(a.match('/bar')).toEqual(['bar', {}]);
    expect(() => a.match('/bars')).toThrow(NotFound);
  });

  it('test_environ_nonascii_pathinfo', () => {
    const a = bind(
      map([
        ['/', { endpoint: 'index' }],
        ['/лошадь', { endpoint: 'horse' }],
      ]),
      'localhost',
    );
    expect(a.match('/')).toEqual(['index', {}]);
    expect(a.match('/лошадь')).toEqual(['horse', {}]);
    expect(() => a.match('/барсук')).toThrow(NotFound);
  });

  it('test_basic_building', () => {
    const m = map(
      [
        ['/', { endpoint: 'index' }],
        ['/foo', { endpoint: 'foo' }],
        ['/bar/<baz>', { endpoint: 'bar' }],
        ['/bar/<int:bazi>', { endpoint: 'bari' }],
        ['/bar/<float:bazf>', { endpoint: 'barf' }],
        ['/bar/<path:bazp>', { endpoint: 'barp' }],
        ['/hehe', { endpoint: 'blah', subdomain: 'blah' }],
      ],
      { serverName: 'example.org' },
    );
    let adapter = bind(m, 'example.org', '/', { subdomain: 'blah' });
    expect(adapter.build('blah', {})).toBe('/hehe');
    expect(() => adapter.build('urks')).toThrow(BuildError);
    adapter = bind(m, 'example.org', '/test', { subdomain: 'blah' });
    expect(adapter.build('blah', {})).toBe('/test/hehe');
    adapter = bind(m, 'example.org');
    expect(adapter.build('foo', {})).toBe('/foo');
    expect(adapter.build('foo', {}, { forceExternal: true })).toBe('http://example.org/foo');
    expect(adapter.build('foo', {}, { urlScheme: 'https', forceExternal: true })).toBe('https://example.org/foo');
    adapter = bind(m, 'example.org', '/', { subdomain: 'blah' });
    expect(adapter.build('index', {})).toBe('http://example.org/');
    expect(adapter.build('foo', {})).toBe('http://example.org/foo');
    expect(adapter.build('bar', { baz: 'blub' })).toBe('http://example.org/bar/blub');
    expect(adapter.build('bari', { bazi: 50 })).toBe('http://example.org/bar/50');
    expect(adapter.build('barf', { bazf: 0.815 })).toBe('http://example.org/bar/0.815');
    expect(adapter.build('barp', { bazp: 'la/di' })).toBe('http://example.org/bar/la/di');
    adapter = bind(m, 'example.org', '/test', { subdomain: 'blah' });
    expect(adapter.build('index', {})).toBe('http://example.org/test/');
    expect(adapter.build('barp', { bazp: 'la/di' })).toBe('http://example.org/test/bar/la/di');
  });

  it('test_long_build', () => {
    const keys = Array.from({ length: 10000 }, (_, x) => `v${x}`);
    const values = Object.fromEntries(keys.map((k, x) => [k, x]));
    const m = map([[keys.map((k) => `/<${k}>`).join(''), { endpoint: 'bleep', buildOnly: true }]]);
    const url = `${bind(m, 'localhost', '/').build('bleep', values)}/`;
    for (const v of Object.values(values)) expect(url.includes(`/${v}/`)).toBe(true);
  });

  it('test_defaults', () => {
    const adapter = bind(
      map([
        ['/foo/', { defaults: { page: 1 }, endpoint: 'foo' }],
        ['/foo/<int:page>', { endpoint: 'foo' }],
      ]),
      'example.org',
      '/',
    );
    expect(adapter.match('/foo/')).toEqual(['foo', { page: 1 }]);
    expect(() => adapter.match('/foo/1')).toThrow(RequestRedirect);
    expect(adapter.match('/foo/2')).toEqual(['foo', { page: 2 }]);
    expect(adapter.build('foo', {})).toBe('/foo/');
    expect(adapter.build('foo', { page: 1 })).toBe('/foo/');
    expect(adapter.build('foo', { page: 2 })).toBe('/foo/2');
  });

  it('test_negative', () => {
    const adapter = bind(
      map([
        ['/foos/<int(signed=True):page>', { endpoint: 'foos' }],
        ['/bars/<float(signed=True):page>', { endpoint: 'bars' }],
        ['/foo/<int:page>', { endpoint: 'foo' }],
        ['/bar/<float:page>', { endpoint: 'bar' }],
      ]),
      'example.org',
      '/',
    );
    expect(adapter.match('/foos/-2')).toEqual(['foos', { page: -2 }]);
    expect(adapter.match('/foos/-50')).toEqual(['foos', { page: -50 }]);
    expect(adapter.match('/bars/-2.0')).toEqual(['bars', { page: -2.0 }]);
    expect(adapter.match('/bars/-0.185')).toEqual(['bars', { page: -0.185 }]);
    for (const p of ['/foo/-2', '/foo/-50', '/bar/-0.185', '/bar/-2.0'])
      expect(() => adapter.match(p)).toThrow(NotFound);
  });

  it('test_greedy', () => {
    const adapter = bind(
      map([
        ['/foo', { endpoint: 'foo' }],
        ['/<path:bar>', { endpoint: 'bar' }],
        ['/<path:bar>/<path:blub>', { endpoint: 'bar' }],
      ]),
      'example.org',
      '/',
    );
    expect(adapter.match('/foo')).toEqual(['foo', {}]);
    expect(adapter.match('/blub')).toEqual(['bar', { bar: 'blub' }]);
    expect(adapter.match('/he/he')).toEqual(['bar', { bar: 'he', blub: 'he' }]);
    expect(adapter.build('foo', {})).toBe('/foo');
    expect(adapter.build('bar', { bar: 'blub' })).toBe('/blub');
    expect(adapter.build('bar', { bar: 'blub', blub: 'bar' })).toBe('/blub/bar');
  });

  // DIFFERENCE: a path converter takes whole segments, so '/<path:name>:foo', '/Talk:<path:name>' are refused at add() (docs/toolkit.md).
  it.fails('test_path', () => {
    const adapter = bind(
      map([
        ['/', { defaults: { name: 'FrontPage' }, endpoint: 'page' }],
        ['/Special', { endpoint: 'special' }],
        ['/<int:year>', { endpoint: 'year' }],
        ['/<path:name>:foo', { endpoint: 'foopage' }],
        ['/<path:name>:<path:name2>', { endpoint: 'twopage' }],
        ['/<path:name>', { endpoint: 'page' }],
        ['/<path:name>/edit', { endpoint: 'editpage' }],
        ['/<path:name>/silly/<path:name2>', { endpoint: 'sillypage' }],
        ['/<path:name>/silly/<path:name2>/edit', { endpoint: 'editsillypage' }],
        ['/Talk:<path:name>', { endpoint: 'talk' }],
        ['/User:<username>', { endpoint: 'user' }],
        ['/User:<username>/<path:name>', { endpoint: 'userpage' }],
        ['/User:<username>/comment/<int:id>-<int:replyId>', { endpoint: 'usercomment' }],
        ['/Files/<path:file>', { endpoint: 'files' }],
        ['/<admin>/<manage>/<things>', { endpoint: 'admin' }],
      ]),
      'example.org',
      '/',
    );
    expect(adapter.match('/')).toEqual(['page', { name: 'FrontPage' }]);
    expect(() => adapter.match('/FrontPage')).toThrow(RequestRedirect);
    expect(adapter.match('/Some:foo')).toEqual(['foopage', { name: 'Some' }]);
  });

  it('test_path (the rules Flagon accepts)', () => {
    const adapter = bind(
      map([
        ['/', { defaults: { name: 'FrontPage' }, endpoint: 'page' }],
        ['/Special', { endpoint: 'special' }],
        ['/<int:year>', { endpoint: 'year' }],
        ['/<path:name>', { endpoint: 'page' }],
        ['/<path:name>/edit', { endpoint: 'editpage' }],
        ['/<path:name>/silly/<path:name2>', { endpoint: 'sillypage' }],
        ['/<path:name>/silly/<path:name2>/edit', { endpoint: 'editsillypage' }],
        ['/User:<username>', { endpoint: 'user' }],
        ['/User:<username>/<path:name>', { endpoint: 'userpage' }],
        ['/User:<username>/comment/<int:id>-<int:replyId>', { endpoint: 'usercomment' }],
        ['/Files/<path:file>', { endpoint: 'files' }],
        ['/<admin>/<manage>/<things>', { endpoint: 'admin' }],
      ]),
      'example.org',
      '/',
    );
    expect(adapter.match('/')).toEqual(['page', { name: 'FrontPage' }]);
    expect(() => adapter.match('/FrontPage')).toThrow(RequestRedirect);
    expect(adapter.match('/Special')).toEqual(['special', {}]);
    expect(adapter.match('/2007')).toEqual(['year', { year: 2007 }]);
    expect(adapter.match('/Some/Page')).toEqual(['page', { name: 'Some/Page' }]);
    expect(adapter.match('/Some/Page/edit')).toEqual(['editpage', { name: 'Some/Page' }]);
    expect(adapter.match('/Foo/silly/bar')).toEqual(['sillypage', { name: 'Foo', name2: 'bar' }]);
    expect(adapter.match('/Foo/silly/bar/edit')).toEqual(['editsillypage', { name: 'Foo', name2: 'bar' }]);
    expect(adapter.match('/User:thomas')).toEqual(['user', { username: 'thomas' }]);
    expect(adapter.match('/User:thomas/projects/werkzeug')).toEqual([
      'userpage',
      { username: 'thomas', name: 'projects/werkzeug' },
    ]);
    expect(adapter.match('/User:thomas/comment/123-456')).toEqual([
      'usercomment',
      { username: 'thomas', id: 123, replyId: 456 },
    ]);
    expect(adapter.match('/Files/downloads/werkzeug/0.2.zip')).toEqual([
      'files',
      { file: 'downloads/werkzeug/0.2.zip' },
    ]);
    expect(adapter.match('/Jerry/eats/cheese')).toEqual([
      'admin',
      { admin: 'Jerry', manage: 'eats', things: 'cheese' },
    ]);
  });

  it.skip('test_dispatch', () => {
    // N/A: MapAdapter.dispatch(view_func) is Werkzeug's helper; in Flagon the App dispatches (flask-basic covers it).
  });

  it('test_http_host_before_server_name', () => {
    const m = map([['/', { endpoint: 'index', subdomain: 'wiki' }]], { serverName: 'example.com' });
    let adapter = bind(m, 'wiki.example.com');
    expect(adapter.match('/')).toEqual(['index', {}]);
    expect(adapter.build('index', {}, { forceExternal: true })).toBe('http://wiki.example.com/');
    expect(adapter.build('index')).toBe('/');
    adapter = bind(m, 'admin.example.com');
    expect(adapter.build('index')).toBe('http://wiki.example.com/');
  });

  it('test_invalid_subdomain_warning', () => {
    // bind_to_environ warns and takes the subdomain '<invalid>'; Flagon has no bind step (and no warning): the host
    // outside the server name matches no rule of the default subdomain.
    const m = map([['/foo', { endpoint: 'foo' }]], { serverName: 'bar.example.com' });
    expect(() => m.match('/foo', { host: 'foo.example.com' })).toThrow(NotFound);
  });

  it('test_server_name_match_default_port', () => {
    for (const [scheme, name] of [
      ['http', 'localhost:80'],
      ['https', 'localhost:443'],
    ] as const) {
      const m = map([['/foo', { endpoint: 'foo' }]], { serverName: name });
      expect(m.match('/foo', { host: 'localhost', scheme }).endpoint).toBe('foo');
    }
  });

  it('test_adapter_url_parameter_sorting', () => {
    const m = map([['/', { endpoint: 'index' }]], { sortParameters: true, sortKey: (x) => x[1] as number });
    expect(bind(m, 'localhost', '/').build('index', { x: 20, y: 10, z: 30 }, { forceExternal: true })).toBe(
      'http://localhost/?y=10&x=20&z=30',
    );
  });

  it('test_request_direct_charset_bug', () => {
    const adapter = bind(map([['/öäü/']]), 'localhost', '/');
    expect(redirectOf(() => adapter.match('/öäü'))).toBe('http://localhost/%C3%B6%C3%A4%C3%BC/');
  });

  it('test_request_redirect_default', () => {
    const adapter = bind(
      map([
        ['/foo', { endpoint: 'x', defaults: { bar: 42 } }],
        ['/foo/<int:bar>', { endpoint: 'x' }],
      ]),
      'localhost',
      '/',
    );
    expect(redirectOf(() => adapter.match('/foo/42'))).toBe('http://localhost/foo');
  });

  it('test_request_redirect_default_subdomain', () => {
    const m = map(
      [
        ['/foo', { endpoint: 'x', defaults: { bar: 42 }, subdomain: 'test' }],
        ['/foo/<int:bar>', { endpoint: 'x', subdomain: 'other' }],
      ],
      { serverName: 'localhost' },
    );
    const adapter = bind(m, 'localhost', '/', { subdomain: 'other' });
    expect(redirectOf(() => adapter.match('/foo/42'))).toBe('http://test.localhost/foo');
  });

  it('test_adapter_match_return_rule', () => {
    const m = map([['/foo/', { endpoint: 'foo' }]]);
    const rule = m.rules[0];
    expect(bind(m, 'localhost', '/').matchRule('/foo/')).toMatchObject({ rule, params: {} });
  });

  it('test_server_name_interpolation', () => {
    const serverName = 'example.invalid';
    const m = map(
      [
        ['/', { endpoint: 'index' }],
        ['/', { endpoint: 'alt', subdomain: 'alt' }],
      ],
      { serverName },
    );
    expect(bind(m, serverName).match('/')).toEqual(['index', {}]);
    expect(bind(m, `alt.${serverName}`).match('/')).toEqual(['alt', {}]);
    // The upstream's last part (a warning for a server_name that does not match) has no counterpart.
  });

  it.skip('test_rule_emptying', () => {
    /* N/A: Rule.empty() and __dict__ are Python object internals. */
  });
  it.skip('test_rule_unhashable', () => {
    /* N/A: Python hashing. */
  });
  it.skip('test_rule_templates', () => {
    /* N/A: RuleTemplate/Submount/EndpointPrefix; Flagon groups rules with blueprints. */
  });

  it('test_non_string_parts', () => {
    expect(bind(map([['/<foo>', { endpoint: 'foo' }]]), 'example.com').build('foo', { foo: 42 })).toBe('/42');
  });

  it('test_complex_routing_rules', () => {
    const a = bind(
      map([
        ['/', { endpoint: 'index' }],
        ['/<int:blub>', { endpoint: 'an_int' }],
        ['/<blub>', { endpoint: 'a_string' }],
        ['/foo/', { endpoint: 'nested' }],
        ['/foobar/', { endpoint: 'nestedbar' }],
        ['/foo/<path:testing>/', { endpoint: 'nested_show' }],
        ['/foo/<path:testing>/edit', { endpoint: 'nested_edit' }],
        ['/users/', { endpoint: 'users', defaults: { page: 1 } }],
        ['/users/page/<int:page>', { endpoint: 'users' }],
        ['/foox', { endpoint: 'foox' }],
        ['/<path:bar>/<path:blub>', { endpoint: 'barx_path_path' }],
      ]),
      'example.com',
    );
    expect(a.match('/')).toEqual(['index', {}]);
    expect(a.match('/42')).toEqual(['an_int', { blub: 42 }]);
    expect(a.match('/blub')).toEqual(['a_string', { blub: 'blub' }]);
    expect(a.match('/foo/')).toEqual(['nested', {}]);
    expect(a.match('/foobar/')).toEqual(['nestedbar', {}]);
    expect(a.match('/foo/1/2/3/')).toEqual(['nested_show', { testing: '1/2/3' }]);
    expect(a.match('/foo/1/2/3/edit')).toEqual(['nested_edit', { testing: '1/2/3' }]);
    expect(a.match('/users/')).toEqual(['users', { page: 1 }]);
    expect(a.match('/users/page/2')).toEqual(['users', { page: 2 }]);
    expect(a.match('/foox')).toEqual(['foox', {}]);
    expect(a.match('/1/2/3')).toEqual(['barx_path_path', { bar: '1', blub: '2/3' }]);
    expect(a.build('index')).toBe('/');
    expect(a.build('an_int', { blub: 42 })).toBe('/42');
    expect(a.build('a_string', { blub: 'test' })).toBe('/test');
    expect(a.build('nested')).toBe('/foo/');
    expect(a.build('nestedbar')).toBe('/foobar/');
    expect(a.build('nested_show', { testing: '1/2/3' })).toBe('/foo/1/2/3/');
    expect(a.build('nested_edit', { testing: '1/2/3' })).toBe('/foo/1/2/3/edit');
    expect(a.build('users', { page: 1 })).toBe('/users/');
    expect(a.build('users', { page: 2 })).toBe('/users/page/2');
    expect(a.build('foox')).toBe('/foox');
    expect(a.build('barx_path_path', { bar: '1', blub: '2/3' })).toBe('/1/2/3');
  });

  it('test_default_converters', () => {
    const unicode: ConverterFactory = () => ({
      regex: '[^/]+',
      weight: 100,
      partIsolating: true,
      toValue: (t) => t,
      toUrl: (v) => String(v),
    });
    const a = bind(
      map(
        [
          ['/a/<foo:a>', { endpoint: 'a' }],
          ['/b/<foo:b>', { endpoint: 'b' }],
          ['/c/<c>', { endpoint: 'c' }],
        ],
        { converters: { foo: unicode, bar: unicode } },
      ),
      'example.org',
      '/',
    );
    expect(a.match('/a/1')).toEqual(['a', { a: '1' }]);
    expect(a.match('/b/2')).toEqual(['b', { b: '2' }]);
    expect(a.match('/c/3')).toEqual(['c', { c: '3' }]);
    expect(Object.isFrozen(map([]).converters)).toBe(true);
  });

  it('test_uuid_converter', () => {
    // Python returns a uuid.UUID; JavaScript has no such type, so the value is the canonical lower-case string.
    const [, kwargs] = bind(map([['/a/<uuid:a_uuid>', { endpoint: 'a' }]]), 'example.org', '/').match(
      '/a/a8098c1a-f86e-11da-bd1a-00112444be1e',
    );
    expect(kwargs.a_uuid).toBe('a8098c1a-f86e-11da-bd1a-00112444be1e');
  });

  it('test_converter_with_tuples', () => {
    const two: ConverterFactory = () => ({
      regex: '(\\w\\w+)/(\\w\\w+)',
      weight: 200,
      partIsolating: false,
      toValue: (v) => v.split('/') as [string, string],
      toUrl: (v) => (v as string[]).join('/'),
    });
    const a = bind(map([['/<two:foo>/', { endpoint: 'handler' }]], { converters: { two } }), 'example.org', '/');
    expect(a.match('/qwert/yuiop/')[1].foo).toEqual(['qwert', 'yuiop']);
  });

  it('test_nested_regex_groups', () => {
    const DATE = '((\\d{8}T\\d{6}([.,]\\d{1,3})?)|(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}([.,]\\d{1,3})?))Z';
    const regex: ConverterFactory = (args) => ({
      regex: String(args.positional[0]),
      weight: 100,
      partIsolating: true,
      toValue: (t) => t,
      toUrl: (v) => String(v),
    });
    const a = bind(
      map([[`/<regex('${DATE}'):start>/<regex('${DATE}'):end>/`, { endpoint: 'handler' }]], { converters: { regex } }),
      'example.org',
      '/',
    );
    const [, kwargs] = a.match('/2023-02-16T23:36:36.266Z/2023-02-16T23:46:36.266Z/');
    expect(kwargs.start).toBe('2023-02-16T23:36:36.266Z');
    expect(kwargs.end).toBe('2023-02-16T23:46:36.266Z');
  });

  it('test_anyconverter', () => {
    const a = bind(
      map([
        ['/<any(a1, a2):a>', { endpoint: 'no_dot' }],
        ['/<any(a.1, a.2):a>', { endpoint: 'yes_dot' }],
      ]),
      'example.org',
      '/',
    );
    expect(a.match('/a1')).toEqual(['no_dot', { a: 'a1' }]);
    expect(a.match('/a2')).toEqual(['no_dot', { a: 'a2' }]);
    expect(a.match('/a.1')).toEqual(['yes_dot', { a: 'a.1' }]);
    expect(a.match('/a.2')).toEqual(['yes_dot', { a: 'a.2' }]);
  });

  it('test_any_converter_build_validates_value', () => {
    const a = bind(map([['/<any(patient, provider):value>', { endpoint: 'actor' }]]), 'localhost');
    expect(a.build('actor', { value: 'patient' })).toBe('/patient');
    expect(a.build('actor', { value: 'provider' })).toBe('/provider');
    // Werkzeug raises ValueError("'invalid' is not one of 'patient', 'provider'"); Flagon's converter refuses the
    // value, so no rule can be built and the error is a BuildError.
    expect(() => a.build('actor', { value: 'invalid' })).toThrow(BuildError);
  });

  it.skip('test_part_isolating_default', () => {
    // N/A: Werkzeug infers part_isolating from a '/' in the regex; Flagon's Converter type requires partIsolating.
  });

  it('test_build_values_dict', () => {
    const list: ConverterFactory = () => ({
      regex: '[^/]+',
      weight: 100,
      partIsolating: true,
      toValue: (t) => t,
      toUrl: (v) => {
        if (!Array.isArray(v)) throw new TypeError('not a list');
        return v.map((x) => (x === null ? 'None' : String(x))).join('.');
      },
    });
    const adapter = bind(
      map(
        [
          ['/<int:v>', { endpoint: 'int' }],
          ['/<list:v>', { endpoint: 'list' }],
        ],
        { converters: { list } },
      ),
      'localhost',
    );
    expect(adapter.build('int', { v: 1 })).toBe('/1');
    expect(() => adapter.build('int', { v: null })).toThrow(BuildError);
    expect(adapter.build('list', { v: [1] })).toBe('/1');
    expect(adapter.build('list', { v: [1, null, 2] })).toBe('/1.None.2');
    expect(() => adapter.build('list', { v: 1 })).toThrow(TypeError);
  });

  it('test_build_values_dict (int with a list raises TypeError)', () => {
    const adapter = bind(map([['/<int:v>', { endpoint: 'int' }]]), 'localhost');
    expect(() => adapter.build('int', { v: [1] })).toThrow(TypeError);
  });

  it.skip('test_build_values_multidict', () => {
    // N/A: build() takes a plain object; an array is the multi-value form (test_build_append_unknown_dict).
  });

  it('test_build_append_unknown_dict', () => {
    const adapter = bind(map([['/', { endpoint: 'a' }]]), 'localhost');
    const cases: Array<[unknown, string]> = [
      [null, ''],
      [[null], ''],
      [[null, null], ''],
      ['', '?v='],
      [[''], '?v='],
      [0, '?v=0'],
      [1.5, '?v=1.5'],
      [[1, 2], '?v=1&v=2'],
      [[1, null, 2], '?v=1&v=2'],
      [[1, '', 2], '?v=1&v=&v=2'],
      ['1+2', '?v=1%2B2'],
    ];
    const got = cases.map(([value]) => adapter.build('a', { v: value }));
    expect(got).toEqual(cases.map(([, expect]) => `/${expect}`));
  });

  it('test_build_append_unknown_dict (append_unknown=False)', () => {
    const m = map([['/', { endpoint: 'a' }]]);
    for (const value of [null, [null], '', [''], 0, 1.5, [1, 2], [1, null, 2], '1+2']) {
      // The port's bind() has no append_unknown; it is a build option of the Router.
      expect(m.build('a', { v: value }, { appendUnknown: false })).toBe('/');
    }
  });

  it.skip('test_build_append_unknown_multidict', () => {
    /* N/A: see test_build_values_multidict. */
  });

  it('test_build_drop_none', () => {
    const adapter = bind(map([['/flob/<flub>', { endpoint: 'endp' }]]), '', '/');
    expect(() => adapter.build('endp', { flub: null, flop: null })).toThrow(BuildError);
    expect(adapter.build('endp', { flub: 'x', flop: null })).not.toContain('flop');
  });

  it('test_method_fallback', () => {
    const adapter = bind(
      map([
        ['/', { endpoint: 'index', methods: ['GET'] }],
        ['/<name>', { endpoint: 'hello_name', methods: ['GET'] }],
        ['/select', { endpoint: 'hello_select', methods: ['POST'] }],
        ['/search_get', { endpoint: 'search', methods: ['GET'] }],
        ['/search_post', { endpoint: 'search', methods: ['POST'] }],
      ]),
      'example.com',
    );
    expect(adapter.build('index')).toBe('/');
    expect(adapter.build('index', {}, { method: 'GET' })).toBe('/');
    expect(adapter.build('hello_name', { name: 'foo' })).toBe('/foo');
    expect(adapter.build('hello_select')).toBe('/select');
    expect(adapter.build('hello_select', {}, { method: 'POST' })).toBe('/select');
    expect(adapter.build('search')).toBe('/search_get');
    expect(adapter.build('search', {}, { method: 'GET' })).toBe('/search_get');
    expect(adapter.build('search', {}, { method: 'POST' })).toBe('/search_post');
  });

  it('test_implicit_head', () => {
    const adapter = bind(
      map([
        ['/get', { methods: ['GET'], endpoint: 'a' }],
        ['/post', { methods: ['POST'], endpoint: 'b' }],
      ]),
      'example.org',
    );
    expect(adapter.match('/get', { method: 'HEAD' })).toEqual(['a', {}]);
    expect(() => adapter.match('/post', { method: 'HEAD' })).toThrow(MethodNotAllowed);
  });

  it('test_pass_str_as_router_methods', () => {
    expect(() => new Rule('/get', { endpoint: 'get', methods: 'GET' })).toThrow(TypeError);
  });

  it('test_protocol_joining_bug', () => {
    const a = bind(map([['/<foo>', { endpoint: 'x' }]]), 'example.org');
    expect(a.build('x', { foo: 'x:y' })).toBe('/x:y');
    expect(a.build('x', { foo: 'x:y' }, { forceExternal: true })).toBe('http://example.org/x:y');
  });

  it('test_allowed_methods_querying', () => {
    const a = bind(
      map([
        ['/<foo>', { methods: ['GET', 'HEAD'], endpoint: 'a' }],
        ['/foo', { methods: ['POST'], endpoint: 'b' }],
      ]),
      'example.org',
    );
    expect(a.allowedMethods('/foo').sort()).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('test_external_building_with_port', () => {
    expect(
      bind(map([['/', { endpoint: 'index' }]]), 'example.org:5000', '/').build('index', {}, { forceExternal: true }),
    ).toBe('http://example.org:5000/');
  });

  it('test_external_building_with_port_bind_to_environ', () => {
    expect(
      bind(map([['/', { endpoint: 'index' }]]), 'example.org:5000').build('index', {}, { forceExternal: true }),
    ).toBe('http://example.org:5000/');
  });

  // DIFFERENCE: a server name without a port takes the host on any port, so 'example.org:5000' under 'example.org' is
  // the subdomain '' where Werkzeug warns and takes '<invalid>' (SERVER_NAME = 'example.com' works on a dev port).
  it.fails('test_external_building_with_port_bind_to_environ_wrong_servername', () => {
    const m = map([['/', { endpoint: 'index' }]], { serverName: 'example.org' });
    expect(() => m.match('/', { host: 'example.org:5000' })).toThrow(NotFound);
  });
  it.skip('test_bind_long_idna_name_with_port', () => {
    /* N/A: bind() encodes server_name with IDNA; Flagon has no bind step. */
  });

  it('test_converter_parser', () => {
    expect(parseConverterArgs('test, a=1, b=3.0')).toEqual({ positional: ['test'], keyword: { a: 1, b: 3.0 } });
    expect(parseConverterArgs('')).toEqual({ positional: [], keyword: {} });
    expect(parseConverterArgs('True, False, None')).toEqual({ positional: [true, false, null], keyword: {} });
    expect(parseConverterArgs('"foo", "bar"')).toEqual({ positional: ['foo', 'bar'], keyword: {} });
    expect(() => parseConverterArgs('min=0;max=500')).toThrow();
  });

  it('test_converter_parser (trailing comma)', () => {
    expect(parseConverterArgs('a, b, c,')).toEqual({ positional: ['a', 'b', 'c'], keyword: {} });
  });

  it('test_alias_redirects', () => {
    const a = bind(
      map([
        ['/', { endpoint: 'index' }],
        ['/index.html', { endpoint: 'index', alias: true }],
        ['/users/', { defaults: { page: 1 }, endpoint: 'users' }],
        ['/users/index.html', { defaults: { page: 1 }, alias: true, endpoint: 'users' }],
        ['/users/page/<int:page>', { endpoint: 'users' }],
        ['/users/page-<int:page>.html', { alias: true, endpoint: 'users' }],
      ]),
      'example.com',
    );
    const ensureRedirect = (path: string, newUrl: string, args?: Record<string, string>): void => {
      expect(redirectOf(() => a.match(path, { queryArgs: args }))).toBe(`http://example.com${newUrl}`);
    };
    ensureRedirect('/index.html', '/');
    ensureRedirect('/users/index.html', '/users/');
    ensureRedirect('/users/page-2.html', '/users/page/2');
    ensureRedirect('/users/page-1.html', '/users/');
    ensureRedirect('/users/page-1.html', '/users/?foo=bar', { foo: 'bar' });
    expect(a.build('index')).toBe('/');
    expect(a.build('users', { page: 1 })).toBe('/users/');
    expect(a.build('users', { page: 2 })).toBe('/users/page/2');
  });

  it('test_double_defaults', () => {
    for (const prefix of ['', '/aaa']) {
      const a = bind(
        map([
          [`${prefix}/`, { defaults: { foo: 1, bar: false }, endpoint: 'x' }],
          [`${prefix}/<int:foo>`, { defaults: { bar: false }, endpoint: 'x' }],
          [`${prefix}/bar/`, { defaults: { foo: 1, bar: true }, endpoint: 'x' }],
          [`${prefix}/bar/<int:foo>`, { defaults: { bar: true }, endpoint: 'x' }],
        ]),
        'example.com',
      );
      expect(a.match(`${prefix}/`)).toEqual(['x', { foo: 1, bar: false }]);
      expect(a.match(`${prefix}/2`)).toEqual(['x', { foo: 2, bar: false }]);
      expect(a.match(`${prefix}/bar/`)).toEqual(['x', { foo: 1, bar: true }]);
      expect(a.match(`${prefix}/bar/2`)).toEqual(['x', { foo: 2, bar: true }]);
      expect(a.build('x', { foo: 1, bar: false })).toBe(`${prefix}/`);
      expect(a.build('x', { foo: 2, bar: false })).toBe(`${prefix}/2`);
      expect(a.build('x', { bar: false })).toBe(`${prefix}/`);
      expect(a.build('x', { foo: 1, bar: true })).toBe(`${prefix}/bar/`);
      expect(a.build('x', { foo: 2, bar: true })).toBe(`${prefix}/bar/2`);
      expect(a.build('x', { bar: true })).toBe(`${prefix}/bar/`);
    }
  });

  it('test_host_matching', () => {
    const m = map([
      ['/', { endpoint: 'index', host: 'www.<domain>' }],
      ['/', { endpoint: 'files', host: 'files.<domain>' }],
      ['/foo/', { defaults: { page: 1 }, host: 'www.<domain>', endpoint: 'x' }],
      ['/<int:page>', { host: 'files.<domain>', endpoint: 'x' }],
    ]);
    let a = bind(m, 'www.example.com');
    expect(a.match('/')).toEqual(['index', { domain: 'example.com' }]);
    expect(a.match('/foo/')).toEqual(['x', { domain: 'example.com', page: 1 }]);
    expect(redirectOf(() => a.match('/foo'))).toBe('http://www.example.com/foo/');
    a = bind(m, 'files.example.com');
    expect(a.match('/')).toEqual(['files', { domain: 'example.com' }]);
    expect(a.match('/2')).toEqual(['x', { domain: 'example.com', page: 2 }]);
    expect(redirectOf(() => a.match('/1'))).toBe('http://www.example.com/foo/');
  });

  it('test_host_matching_building', () => {
    const m = map([
      ['/', { endpoint: 'index', host: 'www.domain.com' }],
      ['/', { endpoint: 'foo', host: 'my.domain.com' }],
    ]);
    const www = bind(m, 'www.domain.com');
    expect(www.match('/')).toEqual(['index', {}]);
    expect(www.build('index')).toBe('/');
    expect(www.build('foo')).toBe('http://my.domain.com/');
    const my = bind(m, 'my.domain.com');
    expect(my.match('/')).toEqual(['foo', {}]);
    expect(my.build('foo')).toBe('/');
    expect(my.build('index')).toBe('http://www.domain.com/');
  });

  it('test_server_name_casing', () => {
    const m = map([['/', { endpoint: 'index', subdomain: 'foo' }]], { serverName: 'example.com' });
    expect(bind(m, 'FOO.EXAMPLE.COM').match('/')).toEqual(['index', {}]);
    expect(() => bind(m, '127.0.0.1:5000').match('/')).toThrow(NotFound);
  });

  it('test_redirect_request_exception_code', async () => {
    // `status` is readonly in Flagon's types; Werkzeug's test assigns `code`, so the port does the same at run time.
    const exc = new RequestRedirect('http://www.google.com/');
    (exc as { status: number }).status = 307;
    expect((await runApp(exc.gatewayApp, createEnviron('/'))).statusCode).toBe(307);
  });

  it('test_redirect_path_quoting', () => {
    const adapter = bind(
      map([
        ['/<category>', { defaults: { page: 1 }, endpoint: 'category' }],
        ['/<category>/page/<int:page>', { endpoint: 'category' }],
      ]),
      'example.com',
    );
    const error = thrown(() => adapter.match('/foo bar/page/1')) as RequestRedirect;
    expect(error.headers.get('location')).toBe('http://example.com/foo%20bar');
  });

  it('test_unicode_rules (paths)', () => {
    const a = bind(
      map([
        ['/войти/', { endpoint: 'enter' }],
        ['/foo+bar/', { endpoint: 'foobar' }],
      ]),
      'example.com',
    );
    expect(redirectOf(() => a.match('/войти'))).toBe('http://example.com/%D0%B2%D0%BE%D0%B9%D1%82%D0%B8/');
    expect(a.match('/войти/')).toEqual(['enter', {}]);
    expect(redirectOf(() => a.match('/foo+bar'))).toBe('http://example.com/foo+bar/');
    expect(a.match('/foo+bar/')).toEqual(['foobar', {}]);
    expect(a.build('enter', {}, { forceExternal: true })).toBe('http://example.com/%D0%B2%D0%BE%D0%B9%D1%82%D0%B8/');
    expect(a.build('foobar', {}, { forceExternal: true })).toBe('http://example.com/foo+bar/');
  });

  it('test_unicode_rules', () => {
    const a = bind(map([['/войти/', { endpoint: 'enter' }]]), '☃.example.com');
    expect(redirectOf(() => a.match('/войти'))).toBe('http://xn--n3h.example.com/%D0%B2%D0%BE%D0%B9%D1%82%D0%B8/');
    expect(a.build('enter', {}, { forceExternal: true })).toBe(
      'http://xn--n3h.example.com/%D0%B2%D0%BE%D0%B9%D1%82%D0%B8/',
    );
  });

  it('test_empty_path_info', () => {
    const m = map([['/', { endpoint: 'index' }]]);
    expect(redirectOf(() => bind(m, 'example.com', '/approot').match(''))).toBe('http://example.com/approot/');
    expect(redirectOf(() => bind(m, 'example.com').match(''))).toBe('http://example.com/');
  });

  it.skip('test_both_bind_and_match_path_info_are_none', () => {
    /* N/A: bind(path_info=None); match() always takes a path. */
  });
  it.skip('test_map_repr', () => {
    /* N/A: Python repr. */
  });
  it.skip('test_empty_subclass_rules_with_custom_kwargs', () => {
    /* N/A: Python subclassing of Rule. */
  });

  it('test_finding_closest_match_by_endpoint', () => {
    const m = map([
      ['/foo/', { endpoint: 'users.here' }],
      ['/wat/', { endpoint: 'admin.users' }],
      ['/woop', { endpoint: 'foo.users' }],
    ]);
    expect(
      BuildError.suggest(
        'admin.user',
        m.rules.map((r) => r.endpoint),
      ),
    ).toBe('admin.users');
  });

  it('test_finding_closest_match_by_values', () => {
    // Werkzeug's BuildError(...).suggested is BuildError.closestRule(endpoint, values, method, rules) in Flagon.
    const m = map([
      ['/user/id/<id>/', { endpoint: 'users' }],
      ['/user/<slug>/', { endpoint: 'users' }],
      ['/user/emails/<email>/', { endpoint: 'users' }],
    ]);
    const [, ruleSlug] = m.rules;
    expect(BuildError.closestRule('x', { slug: '' }, undefined, m.rules)).toBe(ruleSlug);
  });

  it('test_finding_closest_match_by_method', () => {
    const m = map([
      ['/post/', { endpoint: 'foobar', methods: ['POST'] }],
      ['/get/', { endpoint: 'foobar', methods: ['GET'] }],
      ['/put/', { endpoint: 'foobar', methods: ['PUT'] }],
    ]);
    const [post, get, put] = m.rules;
    expect(BuildError.closestRule('invalid', {}, 'POST', m.rules)).toBe(post);
    expect(BuildError.closestRule('invalid', {}, 'GET', m.rules)).toBe(get);
    expect(BuildError.closestRule('invalid', {}, 'PUT', m.rules)).toBe(put);
  });

  it('test_finding_closest_match_when_none_exist', () => {
    expect(BuildError.suggest('invalid', [])).toBeUndefined();
  });

  it('test_error_message_without_suggested_rule', () => {
    const adapter = bind(map([['/foo/', { endpoint: 'world', methods: ['GET'] }]]), 'example.com');
    expect(
      (thrown(() => adapter.build('urks')) as Error).message.startsWith("Could not build url for endpoint 'urks'."),
    ).toBe(true);
    expect(
      (thrown(() => adapter.build('world', {}, { method: 'POST' })) as Error).message.startsWith(
        "Could not build url for endpoint 'world' ('POST').",
      ),
    ).toBe(true);
    expect(
      (thrown(() => adapter.build('urks', { user_id: 5 })) as Error).message.startsWith(
        "Could not build url for endpoint 'urks' with values ['user_id'].",
      ),
    ).toBe(true);
  });

  it('test_error_message_suggestion', () => {
    const adapter = bind(map([['/foo/<id>/', { endpoint: 'world', methods: ['GET'] }]]), 'example.com');
    expect((thrown(() => adapter.build('helloworld')) as Error).message).toContain("Did you mean 'world' instead?");
    const missing = (thrown(() => adapter.build('world')) as Error).message;
    expect(missing).toContain("Did you forget to specify values ['id']?");
    expect(missing).not.toContain('Did you mean to use methods');
    expect((thrown(() => adapter.build('world', { id: 2 }, { method: 'POST' })) as Error).message).toContain(
      "Did you mean to use methods ['GET', 'HEAD']?",
    );
  });

  it.skip('test_no_memory_leak_from_Rule_builder', () => {
    /* N/A: Python gc of reference cycles. */
  });

  it('test_build_url_with_arg_self', () => {
    const m = map([['/foo/<string:self>', { endpoint: 'foo' }]], { serverName: 'example.org' });
    expect(bind(m, 'example.org', '/', { subdomain: 'blah' }).build('foo', { self: 'bar' })).toBe(
      'http://example.org/foo/bar',
    );
  });

  it('test_build_url_with_arg_keyword', () => {
    const m = map([['/foo/<string:class>', { endpoint: 'foo' }]], { serverName: 'example.org' });
    expect(bind(m, 'example.org', '/', { subdomain: 'blah' }).build('foo', { class: 'bar' })).toBe(
      'http://example.org/foo/bar',
    );
  });

  it('test_build_url_same_endpoint_multiple_hosts', () => {
    const m = map([
      ['/', { endpoint: 'index', host: 'alpha.example.com' }],
      ['/', { endpoint: 'index', host: 'beta.example.com' }],
      ['/', { endpoint: 'gamma', host: 'gamma.example.com' }],
    ]);
    expect(bind(m, 'alpha.example.com').build('index')).toBe('/');
    expect(bind(m, 'alpha.example.com').build('gamma')).toBe('http://gamma.example.com/');
    expect(bind(m, 'AlPhA.ExAmPlE.CoM').build('index')).toBe('/');
    expect(bind(m, 'AlPhA.ExAmPlE.CoM').build('gamma')).toBe('http://gamma.example.com/');
    expect(bind(m, 'beta.example.com').build('index')).toBe('/');
    expect(bind(m, 'BeTa.ExAmPlE.CoM').build('index')).toBe('/');
  });

  it.skip('test_rule_websocket_methods', () => {
    /* N/A: websockets. */
  });

  it('test_path_weighting', () => {
    const a = bind(
      map([
        ['/<path:path>/c', { endpoint: 'simple' }],
        ['/<path:path>/<a>/<b>', { endpoint: 'complex' }],
      ]),
      'localhost',
    );
    expect(a.match('/a/b/c')).toEqual(['simple', { path: 'a/b' }]);
  });

  it('test_newline_match', () => {
    expect(() => bind(map([['/hello', { endpoint: 'hello' }]]), 'localhost').match('/hello\n')).toThrow(NotFound);
  });

  it('test_weighting', () => {
    const a = bind(
      map([
        ['/<int:value>', { endpoint: 'int' }],
        ['/<uuid:value>', { endpoint: 'uuid' }],
      ]),
      'localhost',
    );
    expect(a.match('/2b5b0911-fdcf-4dd2-921b-28ace88db8a0')).toEqual([
      'uuid',
      { value: '2b5b0911-fdcf-4dd2-921b-28ace88db8a0' },
    ]);
  });

  it('test_strict_slashes_false', () => {
    const adapter = bind(
      map([
        ['/path1', { endpoint: 'leaf_path', strictSlashes: false }],
        ['/path2/', { endpoint: 'branch_path', strictSlashes: false }],
        ['/<path:path>', { endpoint: 'leaf_path_converter', strictSlashes: false }],
      ]),
      'example.org',
      '/',
    );
    expect(adapter.match('/path1')).toEqual(['leaf_path', {}]);
    expect(adapter.match('/path1/')).toEqual(['leaf_path', {}]);
    expect(adapter.match('/path2')).toEqual(['branch_path', {}]);
    expect(adapter.match('/path2/')).toEqual(['branch_path', {}]);
    expect(adapter.match('/any')).toEqual(['leaf_path_converter', { path: 'any' }]);
    expect(adapter.match('/any/')).toEqual(['leaf_path_converter', { path: 'any/' }]);
  });

  it('test_invalid_rule', () => {
    expect(() => map([['/<int()>', { endpoint: 'test' }]])).toThrow();
  });

  it('test_multiple_converters_per_part', () => {
    expect(bind(map([['/v<int:major>.<int:minor>', { endpoint: 'version' }]]), 'localhost').match('/v1.2')).toEqual([
      'version',
      { major: 1, minor: 2 },
    ]);
  });

  it('test_static_regex_escape', () => {
    const adapter = bind(map([['/.<int:value>', { endpoint: 'dotted' }]]), 'localhost');
    expect(adapter.match('/.2')).toEqual(['dotted', { value: 2 }]);
    expect(() => adapter.match('/a2')).toThrow(NotFound);
  });

  it('test_regex', () => {
    const regex: ConverterFactory = (args): Converter => ({
      regex: String(args.positional[0]),
      weight: 100,
      partIsolating: true,
      toValue: (t) => t,
      toUrl: (v) => String(v),
    });
    const adapter = bind(
      map([["/<regex('[^/:]+\\.[^/:]+'):value>", { endpoint: 'regex' }]], { converters: { regex } }),
      'localhost',
    );
    expect(adapter.match('/asdfsa.asdfs')).toEqual(['regex', { value: 'asdfsa.asdfs' }]);
  });
});
