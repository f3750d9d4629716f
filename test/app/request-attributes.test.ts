/** What routing tells the request: Flask's endpoint, blueprint, blueprints, url_rule, view_args, routing_exception (checked against Flask 3.1). */
import { describe, expect, it } from 'vitest';
import { App, Blueprint, g, MethodNotAllowed, NotFound, Request } from 'flagon';
import { RequestRedirect, Rule } from 'flagon/routing';
import { createEnviron } from 'flagon/testing';

const newApp = () => new App(import.meta.url, { config: { TESTING: true }, staticFolder: null });

/** What a request says about its routing, in Flask's words. */
function describeRequest(req: Request): Record<string, unknown> {
  return {
    endpoint: req.endpoint,
    blueprint: req.blueprint,
    blueprints: req.blueprints,
    rule: req.urlRule?.rule ?? null,
    viewArgs: req.viewArgs,
    routingException: req.routingException?.constructor.name ?? null,
  };
}

describe('the routing attributes of a request', () => {
  it('name the endpoint, the innermost blueprint and its parents, the rule and the matched values', async () => {
    const app = newApp();
    const parent = new Blueprint('parent', import.meta.url, { urlPrefix: '/p' });
    const child = new Blueprint('child', import.meta.url, { urlPrefix: '/c' });
    child.get('/<int:n>', function leaf(req) {
      return describeRequest(req);
    });
    parent.registerBlueprint(child);
    app.registerBlueprint(parent);
    app.addUrlRule('/u/<name>', { endpoint: 'u', defaults: { page: 1 }, view: (req) => describeRequest(req) });
    const client = app.testClient();
    expect((await client.get('/p/c/3')).json).toEqual({
      endpoint: 'parent.child.leaf',
      blueprint: 'parent.child',
      blueprints: ['parent.child', 'parent'],
      rule: '/p/c/<int:n>',
      viewArgs: { n: 3 },
      routingException: null,
    });
    expect((await client.get('/u/ada')).json).toEqual({
      endpoint: 'u',
      blueprint: null,
      blueprints: [],
      rule: '/u/<name>',
      viewArgs: { name: 'ada', page: 1 },
      routingException: null,
    });
  });

  it('give the matched Rule itself, and viewArgs is params: what a urlValuePreprocessor removes is gone from both', async () => {
    const app = newApp();
    app.urlValuePreprocessor((_endpoint, values) => {
      if (values && 'lang' in values) {
        g.lang = values.lang;
        delete values.lang;
      }
    });
    app.get('/<lang>/x/<int:id>', function x(req) {
      return {
        rule: req.urlRule instanceof Rule,
        methods: [...req.urlRule!.methods].sort(),
        same: req.viewArgs === req.params,
        viewArgs: req.viewArgs,
        lang: g.lang,
      };
    });
    expect((await app.testClient().get('/en/x/5')).json).toEqual({
      rule: true,
      methods: ['GET', 'HEAD', 'OPTIONS'],
      same: true,
      viewArgs: { id: 5 },
      lang: 'en',
    });
  });

  it('are null (blueprints empty) when routing failed, with the error in routingException, before-request hooks included', async () => {
    const app = newApp();
    const seen: Record<string, unknown>[] = [];
    app.beforeRequest((req) => {
      seen.push(describeRequest(req));
    });
    app.post('/only-post', function onlyPost() {
      return 'posted';
    });
    app.get('/dir/', function dir() {
      return 'dir';
    });
    app.errorHandler(404, (error) => [
      { ...describeRequest(g.request as Request), isNotFound: error instanceof NotFound },
      404,
    ]);
    app.beforeRequest((req) => {
      g.request = req;
    });
    const client = app.testClient();
    const failed = { endpoint: null, blueprint: null, blueprints: [], rule: null, viewArgs: null };
    expect((await client.get('/nope')).json).toEqual({ ...failed, routingException: 'NotFound', isNotFound: true });
    expect((await client.get('/only-post')).status).toBe(405);
    expect((await client.get('/dir')).status).toBe(308);
    expect(seen.slice(1)).toEqual([
      { ...failed, routingException: MethodNotAllowed.name },
      { ...failed, routingException: RequestRedirect.name },
    ]);
  });

  it('say nothing on a Request the App did not route, and params stays as it was', () => {
    const request = new Request(createEnviron('/users/7'));
    expect(describeRequest(request)).toEqual({
      endpoint: null,
      blueprint: null,
      blueprints: [],
      rule: null,
      viewArgs: null,
      routingException: null,
    });
    request.params = { id: 7 };
    expect([request.params, request.viewArgs]).toEqual([{ id: 7 }, null]);
  });
});
