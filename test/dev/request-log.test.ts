/** The dev server's request log: Werkzeug's line, its colours, and no control characters from the client. */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { formatRequestLog } from '../../src/dev/request-log.js';
import { makeProject, startCli } from '../helpers/dev-server.js';
import { fetchRaw } from '../helpers/http.js';

const entry = {
  remoteAddr: '127.0.0.1',
  method: 'GET',
  target: '/',
  httpVersion: '1.1',
  status: 200,
  time: new Date(2026, 10, 21, 10, 0, 0),
};

describe('formatRequestLog', () => {
  it("writes Werkzeug's line, in local time", () => {
    expect(formatRequestLog(entry)).toBe('127.0.0.1 - - [21/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 -');
    expect(
      formatRequestLog({
        ...entry,
        method: 'POST',
        target: '/notes?x=1',
        status: 302,
        time: new Date(2026, 0, 2, 3, 4, 5),
      }),
    ).toBe('127.0.0.1 - - [02/Jan/2026 03:04:05] "POST /notes?x=1 HTTP/1.1" 302 -');
  });

  it('colours the request line and status as Werkzeug does on a terminal', () => {
    const coloured = (status: number): string => formatRequestLog({ ...entry, status }, true);
    expect(coloured(200)).toBe('127.0.0.1 - - [21/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 -');
    expect(coloured(101)).toContain('\x1b[1m"GET / HTTP/1.1" 101\x1b[0m');
    expect(coloured(304)).toContain('\x1b[36m');
    expect(coloured(302)).toContain('\x1b[32m');
    expect(coloured(404)).toContain('\x1b[33m');
    expect(coloured(403)).toContain('\x1b[1;31m');
    expect(coloured(500)).toContain('\x1b[1;35m');
  });

  it('escapes control characters a client put in the target, so it cannot forge lines or drive the terminal', () => {
    expect(formatRequestLog({ ...entry, target: '/a\n127.0.0.1 - - fake\x1b[2J' })).toBe(
      '127.0.0.1 - - [21/Nov/2026 10:00:00] "GET /a\\x0a127.0.0.1 - - fake\\x1b[2J HTTP/1.1" 200 -',
    );
  });
});

describe('logRequests on a running dev server', () => {
  it('logs a 413 to a chunked body still arriving, and the server goes on (reading the address late crashed it)', async () => {
    const project = makeProject({
      'app.ts': `import { App } from 'flagon';
export const app = new App(import.meta.url, { name: 'big-body' });
app.post('/echo', async (req) => ({ got: await req.json() }));
app.get('/', () => 'alive');
`,
    });
    const cli = await startCli(project.dir, ['run', '--port', '0']);
    try {
      const { port } = new URL(cli.url);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/echo',
            headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) => {
          // The server may close while the rest of the body is still being written; the answer came first.
          if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
        });
        for (let i = 0; i < 12; i++) req.write(Buffer.alloc(256 * 1024, 'a'));
        req.end();
      });
      expect(status).toBe(413);
      expect((await fetchRaw(`${cli.url}/`)).text).toBe('alive');
      await cli.waitFor(/"GET \/ HTTP\/1\.1" 200/, 5_000, 'stderr');
      expect(cli.stderr()).toMatch(/127\.0\.0\.1 - - \[[^\]]+\] "POST \/echo HTTP\/1\.1" 413 -/);
      expect(cli.stderr()).not.toContain('TypeError');
    } finally {
      await cli.stop();
      project.remove();
    }
  }, 30_000);
});
