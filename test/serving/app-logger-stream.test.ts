/** Where `app.logger` writes: the request's `tsgi.errors` (the server's error log), standard error outside one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from 'flagon';
import type { ErrorStream } from 'flagon/gateway';
import { serve, type RunningServer } from 'flagon/serving';
import { stderrOf } from '../helpers/stderr.js';

const serverLog: string[] = [];
const errors: ErrorStream = {
  write: (text) => {
    serverLog.push(text);
  },
  flush: () => undefined,
};

const app = new App(import.meta.url, { name: 'logged', staticFolder: null });
app.get('/note', () => {
  app.logger.warn('disk almost full');
  return 'noted';
});
app.get('/crash/<name>', () => {
  throw new Error('the view broke');
});
app.get('/greet/<name>', (req) => {
  app.logger.info('greeted %s (%d%%)', req.params.name, 100, new Error('kept'));
  return 'hi';
});

let server: RunningServer;
beforeAll(async () => {
  server = await serve(app.gatewayApp, { port: 0, host: '127.0.0.1', errors });
});
afterAll(() => server.close());

describe('app.logger', () => {
  it("writes a view's lines and crashes to the server's error log (Flask's wsgi_errors_stream), %s filled as Python's", async () => {
    serverLog.length = 0;
    const stderr = await stderrOf(async () => {
      expect(await (await fetch(`${server.url}/note`)).text()).toBe('noted');
      // A path holding a placeholder is an argument of the line, never its format: the stack stays.
      expect((await fetch(`${server.url}/crash/%25s`)).status).toBe(500);
      expect(await (await fetch(`${server.url}/greet/ada`)).text()).toBe('hi');
    });
    const log = serverLog.join('');
    expect(log).toMatch(/WARNING in logged: disk almost full\n/);
    expect(log).toMatch(/ERROR in logged: Exception on \/crash\/%s \[GET\]\nError: the view broke\n/);
    // Python's logging fills %s and %d from the arguments; what is left over follows (an Error with its stack).
    expect(log).toMatch(/INFO in logged: greeted ada \(100%\)\nError: kept\n/);
    expect(stderr).not.toContain('disk almost full');
  });

  it('writes to standard error outside a request, and when the error stream throws, without failing the request', async () => {
    expect(await stderrOf(() => app.logger.info('starting'))).toMatch(/INFO in logged: starting\n$/);
    const broken: ErrorStream = {
      write: () => {
        throw new Error('log disk gone');
      },
      flush: () => undefined,
    };
    let status = 0;
    const stderr = await stderrOf(async () => {
      status = (await app.testClient().get('/note', { environ: { 'tsgi.errors': broken } })).status;
    });
    expect(status).toBe(200);
    expect(stderr).toMatch(/WARNING in logged: disk almost full\n\(tsgi\.errors failed: Error: log disk gone\)\n/);
  });
});
