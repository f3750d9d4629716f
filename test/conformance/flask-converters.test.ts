/**
 * Port of Flask's tests/test_converters.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to Flagon. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt. Flask's `app.url_map.converters[name] = Class` is `app.addConverter(name, factory)`.
 */
import { describe, expect, it } from 'vitest';
import { request, session, urlFor } from 'flagon';
import { DEFAULT_CONVERTERS } from 'flagon/routing';
import { inRequest } from './flask-context.js';
import { flaskApp } from './support.js';

describe('flask tests/test_converters.py', () => {
  it('test_custom_converters', async () => {
    // Werkzeug's BaseConverter subclass is a factory here: Flagon's converters are plain objects.
    const app = flaskApp();
    const string = DEFAULT_CONVERTERS.default!({ positional: [], keyword: {} });
    app.addConverter('list', () => ({
      regex: string.regex,
      weight: string.weight,
      partIsolating: true,
      toValue: (value) => value.split(','),
      toUrl: (value) => (value as unknown[]).map((x) => string.toUrl(String(x))).join(','),
    }));
    app.route('/<list:args>', {}, function index(req) {
      return (req.params.args as string[]).join('|');
    });
    expect(await inRequest(app, () => urlFor('index', { args: [4, 5, 6] }), '/x')).toBe('/4,5,6');
    expect((await app.testClient().get('/1,2,3')).text).toBe('1|2|3');
  });

  it('test_context_available', async () => {
    const app = flaskApp({ SECRET_KEY: 'k' });
    app.addConverter('ctx', () => ({
      regex: '[^/]+',
      weight: 100,
      partIsolating: true,
      toValue: (value) => {
        expect(request.path).toBe('/admin');
        expect(session.isNull).toBe(false);
        return value;
      },
      toUrl: (value) => String(value),
    }));
    app.get('/<ctx:name>', function index(req) {
      return String(req.params.name);
    });
    expect((await app.testClient().get('/admin')).text).toBe('admin');
  });
});
