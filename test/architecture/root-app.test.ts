/**
 * The App of flagon/app has no members from the layers above it (ARCHITECTURE.md: a capability of a higher layer is
 * a function of that layer taking the App); the root module's App adds run(), testClient() and fetch as real members.
 */
import { describe, expect, it } from 'vitest';
import { App } from 'flagon';
import { App as LayeredApp } from 'flagon/app';
import { testClient, TestClient } from 'flagon/testing';

const UPPER = ['run', 'testClient', 'fetch'] as const;

/** Every property name on an object and its prototype chain, up to Object.prototype. */
function propertyNames(value: object): Set<string> {
  const names = new Set<string>();
  for (let o: object | null = value; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o))
    for (const name of Object.getOwnPropertyNames(o)) names.add(name);
  return names;
}

describe("flagon/app's App", () => {
  it('has no run, testClient or fetch, own or inherited, even with every layer loaded', () => {
    const app = new LayeredApp(import.meta.url, { name: 'layered', staticFolder: null });
    const names = propertyNames(app);
    expect(UPPER.filter((name) => names.has(name))).toEqual([]);
    expect(UPPER.filter((name) => name in LayeredApp.prototype)).toEqual([]);
  });

  it('works with testClient(app) from flagon/testing (run(app): test/dev/app-run.test.ts)', async () => {
    const app = new LayeredApp(import.meta.url, { name: 'layered', staticFolder: null });
    app.get('/', () => 'layered');
    const client = testClient(app);
    expect(client).toBeInstanceOf(TestClient);
    expect((await client.get('/')).text).toBe('layered');
  });
});

describe("the root module's App", () => {
  it("is a subclass of flagon/app's App, with run, testClient and fetch on its prototype", () => {
    const app = new App(import.meta.url, { name: 'root', staticFolder: null });
    expect(app).toBeInstanceOf(LayeredApp);
    expect(UPPER.filter((name) => Object.hasOwn(App.prototype, name))).toEqual([...UPPER]);
    expect(UPPER.filter((name) => Object.hasOwn(app, name))).toEqual([]);
  });

  it('answers through app.testClient() and app.fetch, which stays one bound function', async () => {
    const app = new App(import.meta.url, { name: 'root', staticFolder: null });
    app.get('/hello/<name>', (req) => `hello ${String(req.params.name)}`);
    expect((await app.testClient().get('/hello/ada')).text).toBe('hello ada');
    const handler = app.fetch;
    expect(app.fetch).toBe(handler);
    const response = await handler(new Request('http://localhost/hello/bun'));
    expect([response.status, await response.text()]).toEqual([200, 'hello bun']);
    // `export default app`: Bun and Deno call `app.fetch(request)` on the default export
    const exported: { fetch(request: Request): Promise<Response> } = app;
    expect(await (await exported.fetch(new Request('http://localhost/hello/deno'))).text()).toBe('hello deno');
  });
});
