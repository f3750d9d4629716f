/** run(app) from flagon/dev, over real HTTP: an App from flagon/app is served without any member of its own. */
import { describe, expect, it } from 'vitest';
import { App } from 'flagon/app';
import { run } from 'flagon/dev';
import { fetchRaw } from '../helpers/http.js';

describe('run(app)', () => {
  it("serves flagon/app's App with the debug page, and sets DEBUG for the run", async () => {
    const app = new App(import.meta.url, { name: 'layered-run', staticFolder: null });
    app.get('/', () => 'ran');
    app.get('/boom', () => {
      throw new Error('view broke');
    });
    const errors = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    const running = await run(app, { port: 0, debug: true, reload: false, banner: false, log: false });
    try {
      expect(app.config.DEBUG).toBe(true);
      expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
      expect((await fetchRaw(`${running.url}/`)).text).toBe('ran');
      const boom = await fetchRaw(`${running.url}/boom`);
      expect(boom.status).toBe(500);
      expect(boom.text).toContain('view broke');
    } finally {
      await running.close();
      process.stderr.write = errors;
    }
  });

  it('debugger: false keeps debug mode without the debug page: a plain 500', async () => {
    const app = new App(import.meta.url, { name: 'no-debugger-run', staticFolder: null });
    app.get('/boom', () => {
      throw new Error('view broke');
    });
    const errors = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    const running = await run(app, { port: 0, debug: true, debugger: false, reload: false, banner: false, log: false });
    try {
      expect(app.config.DEBUG).toBe(true);
      const boom = await fetchRaw(`${running.url}/boom`);
      expect(boom.status).toBe(500);
      expect(boom.text).toBe('Internal Server Error\n');
    } finally {
      await running.close();
      process.stderr.write = errors;
    }
  });
});
