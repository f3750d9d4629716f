import { describe, expect, it } from 'vitest';
import { App, Blueprint, renderTemplateString } from 'flagon';

// Flask 3.1's tests/test_blueprints.py: test_template_filter … test_template_global, test_context_processing, and the
// context processors of test_nested_callback_order.
const newApp = () => new App(import.meta.url, { config: { TESTING: true }, staticFolder: null });
const render = async (app: App, source: string) => app.appContext().run(() => renderTemplateString(source));
const reverse = (s: string) => [...s].reverse().join('');

describe('blueprint template filters, tests and globals', () => {
  it('register filters on the app when the blueprint is registered, named after the function unless named', async () => {
    const app = newApp();
    const bp = new Blueprint('bp', import.meta.url);
    bp.appTemplateFilter(function myReverse(s: string) {
      return reverse(s);
    });
    bp.appTemplateFilter('strrev', (s: string) => reverse(s));
    bp.appTemplateFilter('viaFactory')((s: string) => reverse(s));
    class Filters {
      @bp.appTemplateFilter
      static bare(s: string) {
        return reverse(s);
      }
      @bp.appTemplateFilter()
      static unnamed(s: string) {
        return reverse(s);
      }
      @bp.appTemplateFilter('customName')
      static named(s: string) {
        return reverse(s);
      }
    }
    await expect(render(app, "{{ 'abcd' | strrev }}")).rejects.toThrow(/strrev/);
    app.registerBlueprint(bp, { urlPrefix: '/py' });
    for (const name of ['myReverse', 'strrev', 'viaFactory', 'bare', 'unnamed', 'customName']) {
      expect(await render(app, `{{ 'abcd' | ${name} }}`)).toBe('dcba');
    }
    expect(Filters.bare('ab')).toBe('ba');
  });

  it("serve templates rendered by any view, the app's included (test_template_filter_with_template)", async () => {
    const app = newApp();
    const bp = new Blueprint('bp', import.meta.url);
    bp.appTemplateFilter('super_reverse', reverse);
    app.registerBlueprint(bp, { urlPrefix: '/py' });
    app.get('/', () => renderTemplateString("{{ 'dlrow olleh' | super_reverse }}"));
    expect((await app.testClient().get('/')).text).toBe('hello world');
  });

  it('register tests, with the same name forms', async () => {
    const app = newApp();
    const bp = new Blueprint('bp', import.meta.url);
    bp.appTemplateTest(function isBoolean(value: unknown) {
      return typeof value === 'boolean';
    });
    bp.appTemplateTest('boolean', (value: unknown) => typeof value === 'boolean');
    class Tests {
      @bp.appTemplateTest
      static even(n: number) {
        return n % 2 === 0;
      }
      @bp.appTemplateTest('odd')
      static isOdd(n: number) {
        return n % 2 === 1;
      }
    }
    app.registerBlueprint(bp);
    expect(await render(app, '{% if false is boolean %}Success!{% endif %}')).toBe('Success!');
    expect(await render(app, '{% if true is isBoolean %}yes{% endif %}')).toBe('yes');
    expect(await render(app, '{{ 4 is even }} {{ 4 is odd }}')).toBe('true false');
    expect(Tests.isOdd(3)).toBe(true);
  });

  it('register globals: functions named after themselves, and named values', async () => {
    const app = newApp();
    const bp = new Blueprint('bp', import.meta.url);
    bp.appTemplateGlobal(function getAnswer() {
      return 42;
    });
    bp.appTemplateGlobal('siteName', 'Flagon');
    class Globals {
      @bp.appTemplateGlobal
      static getStuff() {
        return 'stuff';
      }
      @bp.appTemplateGlobal('customStuff')
      static other() {
        return 'other';
      }
    }
    app.registerBlueprint(bp);
    expect(await render(app, '{{ getAnswer() }} {{ siteName }} {{ getStuff() }} {{ customStuff() }}')).toBe(
      '42 Flagon stuff other',
    );
    expect(Globals.other()).toBe('other');
  });

  it('name the fix for an anonymous function, a filter that is not a function, and setup after registration', () => {
    const bp = new Blueprint('bp', import.meta.url);
    const anonymous = [(s: string) => s][0]!; // an arrow in an array literal gets no name
    expect(() => bp.appTemplateFilter(anonymous)).toThrow(
      "bp.appTemplateFilter() got an anonymous function, so it has no name to register it under: give one, as in bp.appTemplateFilter('reverse', fn)",
    );
    expect(() => bp.appTemplateTest('even', 42 as never)).toThrow(
      "bp.appTemplateTest('even', …) needs a function, got number",
    );
    newApp().registerBlueprint(bp);
    expect(() => bp.appTemplateGlobal('late', 1)).toThrow(
      "The setup method 'appTemplateGlobal' can no longer be called on the blueprint 'bp'",
    );
  });
});

describe('blueprint context processors', () => {
  it("run for the blueprint's requests only; app context processors for every request (test_context_processing)", async () => {
    const app = newApp();
    const answer = new Blueprint('answer_bp', import.meta.url);
    const template = () =>
      renderTemplateString(
        '{% if notanswer %}{{ notanswer }} is not the answer. {% endif %}{% if answer %}{{ answer }} is the answer.{% endif %}',
      );
    answer.appContextProcessor(() => ({ notanswer: 43 }));
    answer.contextProcessor(() => ({ answer: 42 }));
    answer.get('/bp', function bpPage() {
      return template();
    });
    app.get('/', function appPage() {
      return template();
    });
    app.registerBlueprint(answer);
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('43 is not the answer. ');
    expect((await client.get('/bp')).text).toBe('43 is not the answer. 42 is the answer.');
  });

  it("run the app's, then each enclosing blueprint's, outermost first, so the innermost wins", async () => {
    const app = newApp();
    const parent = new Blueprint('parent', import.meta.url);
    const child = new Blueprint('child', import.meta.url);
    app.contextProcessor(() => ({ key: 'app', fromApp: 'a' }));
    parent.contextProcessor(() => ({ key: 'parent', fromParent: 'p' }));
    class Child {
      @child.contextProcessor
      static scoped() {
        return { key: 'child' };
      }
    }
    child.get('/b', function b() {
      return renderTemplateString('{{ key }} {{ fromApp }} {{ fromParent }}');
    });
    parent.get('/p', function p() {
      return renderTemplateString('{{ key }}');
    });
    parent.registerBlueprint(child);
    app.registerBlueprint(parent);
    const client = app.testClient();
    expect((await client.get('/b')).text).toBe('child a p');
    expect((await client.get('/p')).text).toBe('parent');
    expect(await render(app, '{{ key }}')).toBe('app'); // outside a request: the app's only
    expect(Child.scoped()).toEqual({ key: 'child' });
  });

  it('follow each registration name of a blueprint registered twice', async () => {
    const app = newApp();
    const bp = new Blueprint('bp', import.meta.url);
    bp.contextProcessor(() => ({ section: 'bp' }));
    bp.get('/', function page() {
      return renderTemplateString('[{{ section }}]');
    });
    app.registerBlueprint(bp, { urlPrefix: '/one' });
    app.registerBlueprint(bp, { urlPrefix: '/two', name: 'two' });
    const client = app.testClient();
    expect([(await client.get('/one/')).text, (await client.get('/two/')).text]).toEqual(['[bp]', '[bp]']);
  });
});

describe('app-wide setup of a blueprint', () => {
  it("happens once per app however often the blueprint is registered (Flask's record_once)", async () => {
    const app = newApp();
    const bp = new Blueprint('bp', import.meta.url);
    const calls = { before: 0, processor: 0 };
    bp.beforeAppRequest(() => {
      calls.before += 1;
    });
    bp.appContextProcessor(() => {
      calls.processor += 1;
      return {};
    });
    bp.get('/x', function x() {
      return renderTemplateString('hi');
    });
    app.registerBlueprint(bp);
    app.registerBlueprint(bp, { name: 'bp2', urlPrefix: '/2' });
    expect((await app.testClient().get('/x')).text).toBe('hi');
    expect(calls).toEqual({ before: 1, processor: 1 });
    const other = newApp();
    other.registerBlueprint(bp);
    await other.testClient().get('/x');
    expect(calls).toEqual({ before: 2, processor: 2 });
  });
});
