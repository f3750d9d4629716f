/** accessLog: one line per request in Apache's combined log format, written when the body is closed, escaped. */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Body, BodyChunk, GatewayApp } from 'flagon/gateway';
import { accessLog, type AccessLogOptions, lint } from 'flagon/middleware';
import { type RunningServer, serve } from 'flagon/serving';
import { collectingStream, createEnviron, runApp } from 'flagon/testing';
import { fetchRaw } from '../helpers/http.js';

/** A log stream that keeps each write call, and lets a test wait for the next one instead of sleeping. */
class LineSink {
  readonly writes: string[] = [];
  #waiting: Array<(text: string) => void> = [];
  #read = 0;
  write(text: string): void {
    this.writes.push(text);
    const waiter = this.#waiting.shift();
    if (waiter) {
      this.#read++;
      waiter(text);
    }
  }
  /** The next line not yet returned: one already written, or the next to come. */
  next(): Promise<string> {
    if (this.#read < this.writes.length) return Promise.resolve(this.writes[this.#read++]!);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

const TIME = String.raw`\[\d{2}/(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\]`;
const quote = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The regex of a whole line: `fields` before the time, the rest after it, each matched exactly. */
const lineOf = (before: string, after: string): RegExp => new RegExp(`^${quote(before)} ${TIME} ${quote(after)}\\n$`);

describe('accessLog over real HTTP', () => {
  const sink = new LineSink();
  const errors = collectingStream();
  const enc = new TextEncoder();
  let streamCloses = 0;
  let releaseStream: () => void = () => {};
  const boom = new Error('boom: thrown by the view');

  const app: GatewayApp = (environ, startResponse) => {
    const text: [string, string][] = [['Content-Type', 'text/plain; charset=utf-8']];
    switch (environ.PATH_INFO) {
      case '/text':
        startResponse('200 OK', text);
        return ['hello'];
      case '/bytes':
        startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
        return [enc.encode('seven b')];
      case '/snow':
        startResponse('200 OK', text);
        return ['héllo ☃']; // 7 characters, 10 bytes
      case '/stream': {
        startResponse('200 OK', text);
        const chunks = (async function* () {
          yield 'x'.repeat(1000);
          // Waits for a next chunk that never comes: only the client going away (close()) ends it.
          await new Promise<void>((resolve) => {
            releaseStream = resolve;
          });
          yield 'never sent';
        })();
        return Object.assign(chunks, {
          close: () => {
            streamCloses++;
            releaseStream();
          },
        });
      }
      case '/throw':
        throw boom;
      case '/reject':
        return Promise.reject(boom);
      default:
        startResponse('404 Not Found', text);
        return ['no such page'];
    }
  };

  let server: RunningServer;
  beforeAll(async () => {
    server = await serve(accessLog(app, { stream: sink }), { port: 0, host: '127.0.0.1', errors });
  });
  afterAll(async () => {
    await server.close();
  });

  const headers = { Referer: 'http://example.com/from', 'User-Agent': 'test-agent/1.0' };

  it('logs a 200 with a string body: address, time, request line, status, bytes, referer, agent', async () => {
    const response = await fetchRaw(`${server.url}/text?q=1`, { headers });
    expect(response.text).toBe('hello');
    expect(await sink.next()).toMatch(
      lineOf('127.0.0.1 - -', '"GET /text?q=1 HTTP/1.1" 200 5 "http://example.com/from" "test-agent/1.0"'),
    );
  });

  it('logs a Uint8Array body by its byte length', async () => {
    await fetchRaw(`${server.url}/bytes`, { headers });
    expect(await sink.next()).toMatch(
      lineOf('127.0.0.1 - -', '"GET /bytes HTTP/1.1" 200 7 "http://example.com/from" "test-agent/1.0"'),
    );
  });

  it('counts a non-ASCII string body in UTF-8 bytes, as sent', async () => {
    const response = await fetchRaw(`${server.url}/snow`);
    expect(response.body.byteLength).toBe(10);
    expect(await sink.next()).toMatch(lineOf('127.0.0.1 - -', '"GET /snow HTTP/1.1" 200 10 "-" "-"'));
  });

  it('logs a 404', async () => {
    const response = await fetchRaw(`${server.url}/missing`, { headers });
    expect(response.status).toBe(404);
    expect(await sink.next()).toMatch(
      lineOf('127.0.0.1 - -', '"GET /missing HTTP/1.1" 404 12 "http://example.com/from" "test-agent/1.0"'),
    );
  });

  it('logs a HEAD with no bytes', async () => {
    const response = await fetchRaw(`${server.url}/text`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await sink.next()).toMatch(lineOf('127.0.0.1 - -', '"HEAD /text HTTP/1.1" 200 - "-" "-"'));
  });

  it('logs one line, with the bytes sent, when the client goes away in the middle of a streamed body', async () => {
    const before = sink.writes.length;
    const closes = streamCloses;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${server.url}/stream`, { agent: false }, (res) => {
        res.once('data', () => {
          req.destroy(); // the first chunk arrived: hang up while the app waits for its second
          resolve();
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET') reject(error);
      });
      req.end();
    });
    const line = await sink.next();
    expect(line).toMatch(lineOf('127.0.0.1 - -', '"GET /stream HTTP/1.1" 200 1000 "-" "-"'));
    expect(streamCloses).toBe(closes + 1);
    expect(sink.writes.length).toBe(before + 1);
  });

  it('logs a 500 with no bytes when the app throws or rejects, and the server gets the error unchanged', async () => {
    const thrown = await fetchRaw(`${server.url}/throw`);
    expect(thrown.status).toBe(500);
    expect(await sink.next()).toMatch(lineOf('127.0.0.1 - -', '"GET /throw HTTP/1.1" 500 - "-" "-"'));
    const rejected = await fetchRaw(`${server.url}/reject`);
    expect(rejected.status).toBe(500);
    expect(await sink.next()).toMatch(lineOf('127.0.0.1 - -', '"GET /reject HTTP/1.1" 500 - "-" "-"'));
    expect(errors.text).toContain('boom: thrown by the view');
  });

  it('wrote every line with one write call ending in its only newline', () => {
    expect(sink.writes.length).toBeGreaterThanOrEqual(8);
    for (const text of sink.writes) expect(text.indexOf('\n')).toBe(text.length - 1);
  });
});

/** The one line an in-process request through accessLog(app) writes; fails unless exactly one write happened. */
async function logOf(app: GatewayApp, environ = createEnviron('/'), options: Partial<AccessLogOptions> = {}) {
  const sink = new LineSink();
  await runApp(lint(accessLog(lint(app), { stream: sink, ...options })), environ);
  expect(sink.writes).toHaveLength(1);
  return sink.writes[0]!;
}

const ok =
  (body: Body, status = '200 OK'): GatewayApp =>
  (_environ, startResponse) => {
    startResponse(status, [['Content-Type', 'text/plain']]);
    return body;
  };

describe('accessLog: escaping what the client controls', () => {
  it('escapes " and \\ with a backslash and control bytes as \\xhh, in the target, Referer and User-Agent', async () => {
    const environ = createEnviron('/', {
      headers: { Referer: 'http://a/"b\\c\nd', 'User-Agent': 'evil\x1b[31m "agent"\r\n1.2.3.4 - - [forged]' },
      extra: { REQUEST_URI: '/x"y\\z\n\x1b[2J', REMOTE_USER: 'ad"min\t' },
    });
    const line = await logOf(ok(['ok']), environ);
    expect(line).toMatch(
      lineOf(
        '127.0.0.1 - ad\\"min\\x09',
        '"GET /x\\"y\\\\z\\x0a\\x1b[2J HTTP/1.1" 200 2 "http://a/\\"b\\\\c\\x0ad" ' +
          '"evil\\x1b[31m \\"agent\\"\\x0d\\x0a1.2.3.4 - - [forged]"',
      ),
    );
    expect(line.split('\n')).toHaveLength(2); // one line, one newline: the forged one is inside a field
  });

  it('escapes bytes above ASCII as \\xhh (header values are Latin-1, one character per byte)', async () => {
    const environ = createEnviron('/', { headers: { 'User-Agent': 'caf\u00c3\u00a9 \x7f' } });
    expect(await logOf(ok([]), environ)).toMatch(
      lineOf('127.0.0.1 - -', '"GET / HTTP/1.1" 200 - "-" "caf\\xc3\\xa9 \\x7f"'),
    );
  });

  it('rebuilds the target from SCRIPT_NAME, PATH_INFO and QUERY_STRING when REQUEST_URI is absent, re-encoded', async () => {
    const environ = createEnviron('/café', { scriptName: '/app', query: 'a=1' });
    expect(environ.REQUEST_URI).toBe('/app/caf%C3%A9?a=1');
    delete (environ as { REQUEST_URI?: string }).REQUEST_URI;
    const sink = new LineSink();
    await runApp(accessLog(ok(['ok']), { stream: sink }), environ);
    expect(sink.writes[0]).toContain('"GET /app/caf%C3%A9?a=1 HTTP/1.1" 200 2');
  });
});

describe('accessLog: %t', () => {
  /** The line for a request that started at `date`, in time zone `tz`. */
  async function timeIn(tz: string, date: Date): Promise<string> {
    const saved = process.env.TZ;
    process.env.TZ = tz; // node re-reads the zone when TZ is assigned
    try {
      const line = await logOf(ok(['ok']), createEnviron('/'), { now: () => date });
      return /\[([^\]]+)\]/.exec(line)![1]!;
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  }
  const start = new Date(Date.UTC(2000, 9, 10, 20, 55, 36)); // Apache's documented example, 13:55:36 -0700

  it('is the start time in local time with its offset, as Apache writes it', async () => {
    expect(await timeIn('America/Los_Angeles', start)).toBe('10/Oct/2000:13:55:36 -0700');
    expect(await timeIn('Asia/Kolkata', start)).toBe('11/Oct/2000:02:25:36 +0530');
    expect(await timeIn('UTC', new Date(Date.UTC(2026, 0, 5, 4, 3, 9)))).toBe('05/Jan/2026:04:03:09 +0000');
  });

  it('is the time the request started, not the time it ended', async () => {
    const times = [new Date(Date.UTC(2026, 11, 3, 15, 0, 0)), new Date(Date.UTC(2026, 11, 3, 15, 0, 59))];
    const sink = new LineSink();
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', []);
      return (async function* () {
        yield 'a';
      })();
    };
    const saved = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      await runApp(accessLog(app, { stream: sink, now: () => times.shift()! }), createEnviron('/'));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect(sink.writes[0]).toContain('[03/Dec/2026:15:00:00 +0000]');
  });
});

describe('accessLog: status and bytes', () => {
  it('counts what write() sent as well as the body', async () => {
    const app: GatewayApp = (_environ, startResponse) => {
      const write = startResponse('200 OK', []);
      write('abc');
      write(new Uint8Array(4));
      return ['de'];
    };
    expect(await logOf(app)).toContain('"GET / HTTP/1.1" 200 9 ');
  });

  it('logs the status that replaced the first one through excInfo', async () => {
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', []);
      startResponse('503 Service Unavailable', [], new Error('database down'));
      return ['sorry'];
    };
    expect(await logOf(app)).toContain('" 503 5 ');
  });

  it('logs no bytes for 204 and 304, which never have a body on the wire', async () => {
    expect(await logOf(ok([], '204 No Content'))).toContain('" 204 - ');
    expect(await logOf(ok([], '304 Not Modified'))).toContain('" 304 - ');
  });

  it('logs a 500 when the body throws before its first byte, and passes the error on', async () => {
    const error = new Error('the template failed');
    const sink = new LineSink();
    const failing: Iterable<BodyChunk> = {
      [Symbol.iterator]: () => ({
        next: () => {
          throw error;
        },
      }),
    };
    const app = ok(failing);
    await expect(runApp(accessLog(app, { stream: sink }), createEnviron('/'))).rejects.toBe(error);
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]).toContain('"GET / HTTP/1.1" 500 - ');
  });

  it('re-throws what the app throws, unchanged, after logging a 500', async () => {
    const error = new Error('view failed');
    const sink = new LineSink();
    const throwing: GatewayApp = () => {
      throw error;
    };
    expect(() => accessLog(throwing, { stream: sink })(createEnviron('/'), () => () => {})).toThrow(error);
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]).toContain('" 500 - ');
    const rejecting: GatewayApp = async () => {
      throw error;
    };
    await expect(runApp(accessLog(rejecting, { stream: sink }), createEnviron('/'))).rejects.toBe(error);
    expect(sink.writes).toHaveLength(2);
    expect(sink.writes[1]).toContain('" 500 - ');
  });

  it('writes the common format without Referer and User-Agent', async () => {
    const environ = createEnviron('/', { headers: { Referer: 'http://r/', 'User-Agent': 'ua' } });
    expect(await logOf(ok(['ok']), environ, { format: 'common' })).toMatch(
      lineOf('127.0.0.1 - -', '"GET / HTTP/1.1" 200 2'),
    );
  });
});

describe('accessLog: the body and close()', () => {
  it('writes nothing until the server closes the body, then one line', async () => {
    const sink = new LineSink();
    const app = ok(
      (async function* () {
        yield 'one';
        yield 'two';
      })(),
    );
    const body = (await accessLog(app, { stream: sink })(createEnviron('/'), () => () => {})) as Body &
      AsyncIterable<BodyChunk>;
    const seen: BodyChunk[] = [];
    for await (const chunk of body) seen.push(chunk);
    expect(seen).toEqual(['one', 'two']);
    expect(sink.writes).toEqual([]); // iterated to the end, but not yet closed: the server may still be writing
    await body.close?.();
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]).toContain('" 200 6 ');
  });

  it("calls the inner body's close() exactly once and passes on its promise and its error", async () => {
    let closes = 0;
    const closed = Promise.resolve();
    const inner = Object.assign(['x'], {
      close: () => {
        closes++;
        return closed;
      },
    });
    const sink = new LineSink();
    const body = (await accessLog(ok(inner), { stream: sink })(createEnviron('/'), () => () => {})) as Body;
    expect(body.close?.()).toBe(closed);
    expect(body.close?.()).toBeUndefined();
    expect(closes).toBe(1);
    expect(sink.writes).toHaveLength(1);

    const failure = new Error('cursor already closed');
    const failing = Object.assign(
      (function* () {
        yield 'y';
      })(),
      {
        close: () => {
          throw failure;
        },
      },
    );
    const failingBody = (await accessLog(ok(failing), { stream: sink })(createEnviron('/'), () => () => {})) as Body;
    expect(() => failingBody.close?.()).toThrow(failure);
    expect(sink.writes).toHaveLength(2); // the line is written all the same
  });

  it('keeps a list body a list (the server fast path) and never changes the array the app returned', async () => {
    const constant = ['same answer'];
    const sink = new LineSink();
    const logged = accessLog(ok(constant), { stream: sink });
    const body = await logged(createEnviron('/'), () => () => {});
    expect(Array.isArray(body)).toBe(true);
    expect([...(body as string[])]).toEqual(['same answer']);
    expect(body).not.toBe(constant);
    expect(Object.keys(constant)).toEqual(['0']);
    await (body as Body).close?.();
    expect(sink.writes[0]).toContain('" 200 11 ');
  });

  it('keeps a sync body sync, and stops the inner iterator through return()', async () => {
    let finalized = false;
    const inner = (function* () {
      try {
        yield 'a';
        yield 'b';
      } finally {
        finalized = true;
      }
    })();
    const sink = new LineSink();
    const body = (await accessLog(ok(inner), { stream: sink })(createEnviron('/'), () => () => {})) as Body &
      Iterable<BodyChunk>;
    expect(Symbol.asyncIterator in body).toBe(false);
    const iterator = body[Symbol.iterator]();
    expect(iterator.next()).toEqual({ done: false, value: 'a' });
    iterator.return?.();
    expect(finalized).toBe(true);
    await body.close?.();
    expect(sink.writes[0]).toContain('" 200 1 ');
  });

  it('keeps to TSGI on both sides (lint around and inside it)', async () => {
    const app = ok(
      (async function* () {
        yield 'streamed';
      })(),
    );
    expect(await logOf(app)).toContain('" 200 8 ');
  });

  it('refuses options it cannot use, naming the fix', () => {
    const app = ok(['x']);
    expect(() => accessLog(app, {} as AccessLogOptions)).toThrow(/process\.stdout/);
    expect(() => accessLog(app, { stream: { write() {} }, format: 'json' as 'common' })).toThrow(/'combined'/);
    expect(() => accessLog({} as GatewayApp, { stream: { write() {} } })).toThrow(/app\.gatewayApp/);
  });
});
