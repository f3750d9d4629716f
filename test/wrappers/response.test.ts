import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NotFound } from 'flagon/http';
import { createEnviron, runApp } from 'flagon/testing';
import { Request, Response, contentDisposition, sendFile, sendFromDirectory } from 'flagon/wrappers';

const run = (response: Response, method = 'GET') => runApp(response.gatewayApp, createEnviron('/', { method }));
const requestWith = (headers: Record<string, string>, method = 'GET') =>
  new Request(createEnviron('/', { method, headers }));

describe('Response', () => {
  it('defaults to text/html; charset=utf-8 and takes strings, bytes and iterables', async () => {
    expect((await run(new Response('<p>hi</p>'))).header('Content-Type')).toBe('text/html; charset=utf-8');
    expect((await run(new Response(new Uint8Array([104, 105]), { mimetype: 'text/plain' }))).text).toBe('hi');
    expect((await run(new Response(['a', new TextEncoder().encode('b')]))).text).toBe('ab');
    expect(
      (
        await run(
          new Response(
            (async function* () {
              yield 'x';
              yield 'y';
            })(),
            { status: 201 },
          ),
        )
      ).status,
    ).toBe('201 Created');
  });

  it('sends Content-Length when known and no body for HEAD, keeping the length', async () => {
    const get = await run(new Response('twelve bytes'));
    expect(get.header('Content-Length')).toBe('12');
    const head = await run(new Response('twelve bytes'), 'HEAD');
    expect([head.header('Content-Length'), head.body.byteLength]).toEqual(['12', 0]);
    // A list of chunks is in memory already: its length is known, as Werkzeug's for a sequence.
    const list = await run(new Response(['ab', new TextEncoder().encode('cd'), 'é']));
    expect([list.header('Content-Length'), list.text]).toEqual(['6', 'abcdé']);
    expect(() => new Response([1] as unknown as string[])).toThrow(
      /body chunk 0 is a number; a Response's chunks are strings or bytes/,
    );
  });

  it('sends the same headers whether or not they were looked at, and refuses a Content-Type that would split them', async () => {
    const untouched = await run(new Response('hi', { contentType: 'text/plain' }));
    const touched = new Response('hi', { contentType: 'text/plain' });
    expect(touched.headers.get('content-type')).toBe('text/plain');
    touched.headers.add('X-Extra', '1');
    expect(untouched.headers).toEqual([
      ['Content-Type', 'text/plain'],
      ['Content-Length', '2'],
    ]);
    expect((await run(touched)).headers).toEqual([
      ['Content-Type', 'text/plain'],
      ['X-Extra', '1'],
      ['Content-Length', '2'],
    ]);
    expect((await run(new Response('x', { headers: { 'Content-Type': 'text/csv' } }))).header('Content-Type')).toBe(
      'text/csv',
    );
    expect(() => new Response('x', { contentType: 'text/html\r\nSet-Cookie: evil=1' })).toThrow(/CR, LF/);
    expect(() => new Response('x', { mimetype: 'text/\nplain' })).toThrow(/CR, LF/);
  });

  it("keeps cacheControl and the Cache-Control header in step, as Werkzeug's", () => {
    const response = new Response('x', { headers: { 'Cache-Control': 'no-store' } });
    expect(response.cacheControl.noStore).toBe(true);
    const control = response.cacheControl;
    control.maxAge = 3600;
    control.set('public', null);
    expect(response.headers.get('Cache-Control')).toBe('no-store, max-age=3600, public');
    for (const name of ['no-store', 'max-age', 'public']) response.cacheControl.delete(name);
    expect(response.headers.has('Cache-Control')).toBe(false);
  });

  it('drops body and Content-Length for 204', async () => {
    const response = await run(new Response('ignored', { status: 204 }));
    expect([response.header('Content-Length'), response.text]).toEqual([null, '']);
  });

  it('sets and deletes cookies with safe defaults', () => {
    const response = new Response();
    response.setCookie('a', 'b', { maxAge: 60 });
    response.deleteCookie('old');
    const [set, deleted] = response.headers.getAll('Set-Cookie');
    expect(set).toMatch(/^a=b; Max-Age=60; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
    expect(deleted).toMatch(/^old=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970/);
  });

  it('adds an ETag from the body and answers If-None-Match with 304, keeping Content-Length', async () => {
    const response = new Response('hello');
    response.addEtag();
    expect(response.headers.get('ETag')).toBe('"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"');
    response.makeConditional(requestWith({ 'If-None-Match': '"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"' }));
    const sent = await run(response);
    expect([sent.statusCode, sent.header('Content-Length'), sent.body.byteLength, sent.header('ETag')]).toEqual([
      304,
      '5',
      0,
      '"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"',
    ]);
  });

  it('answers 412, 206 and 416', async () => {
    const failed = new Response('data');
    failed.setEtag('v2');
    failed.makeConditional(requestWith({ 'If-Match': '"v1"' }, 'PUT'));
    expect(failed.status).toBe(412);

    const partial = new Response('0123456789');
    partial.makeConditional(requestWith({ Range: 'bytes=2-4' }));
    const sent = await run(partial);
    expect([
      sent.statusCode,
      sent.text,
      sent.header('Content-Range'),
      sent.header('Content-Length'),
      sent.header('Accept-Ranges'),
    ]).toEqual([206, '234', 'bytes 2-4/10', '3', 'bytes']);

    const unsatisfiable = new Response('0123456789');
    unsatisfiable.makeConditional(requestWith({ Range: 'bytes=50-' }));
    expect([unsatisfiable.status, unsatisfiable.headers.get('Content-Range')]).toEqual([416, 'bytes */10']);
  });

  it('ignores a Range whose If-Range does not match', () => {
    const response = new Response('0123456789');
    response.setEtag('v2');
    response.makeConditional(requestWith({ Range: 'bytes=0-1', 'If-Range': '"v1"' }));
    expect(response.status).toBe(200);
  });
});

describe('a Response owns its body and releases what it does not send', () => {
  /** An endless async iterator that counts the return() calls that stop it. */
  const counted = (fail = false) => {
    const calls = { returned: 0 };
    const body = {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: async () => ({ done: false as const, value: 'x' }),
      return: async () => {
        calls.returned++;
        if (fail) throw new Error('cleanup failed');
        return { done: true as const, value: undefined };
      },
    };
    return { body, calls };
  };
  const notModified = (response: Response) => {
    response.setEtag('v1');
    return response.makeConditional(requestWith({ 'If-None-Match': '"v1"' }));
  };

  it('destroys a Node stream it answers HEAD or 304 for, or that setData() or close() drops', async () => {
    const acts: Array<[string, (response: Response) => unknown]> = [
      ['HEAD', (response) => run(response, 'HEAD')],
      ['304', (response) => run(notModified(response))],
      [
        '204',
        (response) => {
          response.status = 204;
          return run(response);
        },
      ],
      ['setData', (response) => response.setData('other')],
      ['close', (response) => response.close()],
    ];
    for (const [name, act] of acts) {
      const stream = new Readable({ read() {} });
      await act(new Response(stream));
      expect([name, stream.destroyed]).toEqual([name, true]);
    }
  });

  it('stops an iterator with return() when it sends no body', async () => {
    const head = counted();
    await run(new Response(head.body), 'HEAD');
    const conditional = counted();
    await run(notModified(new Response(conditional.body)));
    const replaced = counted();
    new Response(replaced.body).setData(null);
    expect([head.calls.returned, conditional.calls.returned, replaced.calls.returned]).toEqual([1, 1, 1]);
  });

  it('hands a failing release to the server through the body close()', async () => {
    const { body } = counted(true);
    await expect(run(new Response(body), 'HEAD')).rejects.toThrow('cleanup failed');
  });

  it('keeps the late ENOENT of a released file stream from crashing the process; reading it reports the error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagon-release-'));
    const stream = createReadStream(join(dir, 'missing.txt'));
    new Response(stream).close();
    await new Promise<void>((resolve) => stream.once('close', () => resolve())); // the failed open has run its course: no 'error' escaped
    await expect(new Response(createReadStream(join(dir, 'missing.txt'))).getData()).rejects.toThrow(/ENOENT/);
  });
});

describe("callOnClose (Werkzeug's call_on_close)", () => {
  it('runs each function once, in order, after the body is sent, for every kind of body and for HEAD', async () => {
    const bodies: Array<[string, () => Response]> = [
      ['text', () => new Response('text')],
      ['bytes', () => new Response(new Uint8Array([1, 2]))],
      [
        'stream',
        () =>
          new Response(
            (async function* () {
              events.push('chunk');
              yield 'streamed';
            })(),
          ),
      ],
    ];
    const events: string[] = [];
    for (const [kind, make] of bodies) {
      for (const method of ['GET', 'HEAD']) {
        events.length = 0;
        const response = make();
        const returned = response.callOnClose(() => events.push('first'));
        response.callOnClose(async () => {
          await Promise.resolve();
          events.push('second');
        });
        expect(typeof returned).toBe('function'); // returns what it was given, for use as a decorator
        const result = await run(response, method);
        expect(result.status, kind).toBe('200 OK');
        expect(events, `${kind} ${method}`).toEqual(
          method === 'GET' && kind === 'stream' ? ['chunk', 'first', 'second'] : ['first', 'second'],
        );
        response.close(); // once only
        expect(events, `${kind} ${method}`).toHaveLength(method === 'GET' && kind === 'stream' ? 3 : 2);
      }
    }
  });

  it('waits for the end when the body is replaced or a 304 or 412 answers: setData, getData, makeConditional', async () => {
    // They ran at once: setData and the 304 of the ETag step released the old body through close().
    const events: string[] = [];
    const replaced = new Response(Readable.from(['old']));
    replaced.callOnClose(() => events.push('replaced'));
    replaced.setData('new');
    expect(await replaced.getData()).toBeInstanceOf(Uint8Array);
    const notModified = new Response('page');
    notModified.callOnClose(() => events.push('304'));
    notModified.setEtag('v1');
    notModified.makeConditional(requestWith({ 'If-None-Match': '"v1"' }));
    const failed = new Response('page');
    failed.callOnClose(() => events.push('412'));
    failed.setEtag('v1');
    failed.makeConditional(requestWith({ 'If-Match': '"v2"' }));
    expect(events).toEqual([]);
    expect([(await run(notModified)).status, (await run(failed)).status]).toEqual([
      '304 Not Modified',
      '412 Precondition Failed',
    ]);
    expect((await run(replaced)).text).toBe('new');
    expect(events).toEqual(['304', '412', 'replaced']);
  });

  it('logs a failure on close() instead of rejecting unhandled', async () => {
    const logged: unknown[][] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const response = new Response('x');
      response.callOnClose(async () => {
        throw new Error('flush failed');
      });
      response.close();
      await expect.poll(() => logged.length).toBe(1);
      expect(logged[0]![0]).toBe('A callOnClose function failed:');
      expect((logged[0]![1] as Error).message).toBe('flush failed');
    } finally {
      console.error = error;
    }
  });

  it('runs them on close() of a response never sent, after the body is released', () => {
    const events: string[] = [];
    const response = new Response(Readable.from(['x']));
    response.callOnClose(() => events.push('closed'));
    response.close();
    response.close();
    expect(events).toEqual(['closed']);
  });

  it("runs every function though one fails, and the body's close() rejects with the first failure", async () => {
    const events: string[] = [];
    const response = new Response('x');
    response.callOnClose(() => {
      throw new Error('log shipping failed');
    });
    response.callOnClose(() => events.push('still ran'));
    const body = response.gatewayApp(createEnviron('/'), () => () => undefined) as { close(): Promise<void> };
    await expect(body.close()).rejects.toThrow('log shipping failed');
    expect(events).toEqual(['still ran']);
  });

  it("runs once the App has sent a view's response, inside the request, before the teardown hooks", async () => {
    // Flask pops the request before the server sends the body, so there teardown comes first and `request` is gone;
    // Flagon's request lasts until the body is sent (a stream may read it), and the body's close comes first.
    const { App, request } = await import('flagon');
    const app = new App(import.meta.url, { staticFolder: null });
    const events: string[] = [];
    app.teardownRequest(() => void events.push('teardown'));
    app.get('/', () => {
      const response = new Response('made');
      response.callOnClose(() => events.push(`closed ${request.path}`));
      return response;
    });
    const answer = await app.testClient().get('/');
    expect(answer.text).toBe('made');
    expect(events).toEqual(['closed /', 'teardown']);
  });
});

describe('sendFile and sendFromDirectory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flagon-send-'));
  writeFileSync(join(dir, 'notes.txt'), 'hello file');

  it('sends a file with type, length, ETag, Last-Modified and no-cache', async () => {
    const response = await sendFile(join(dir, 'notes.txt'));
    const sent = await run(response);
    expect(sent.text).toBe('hello file');
    expect([sent.header('Content-Type'), sent.header('Content-Length'), sent.header('Cache-Control')]).toEqual([
      'text/plain; charset=utf-8',
      '10',
      'no-cache',
    ]);
    expect(sent.header('ETag')).toMatch(/^"[0-9a-f]+-a"$/);
    expect(sent.header('Last-Modified')).toMatch(/GMT$/);
  });

  it('sets max-age, attachments and RFC 8187 names', async () => {
    const response = await sendFile(join(dir, 'notes.txt'), {
      maxAge: 60,
      asAttachment: true,
      downloadName: 'résumé.txt',
    });
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=60');
    expect(response.headers.get('Content-Disposition')).toBe(
      `attachment; filename="resume.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt`,
    );
    expect(contentDisposition('inline', 'a "b".txt')).toBe('inline; filename="a \\"b\\".txt"');
  });

  it('sends one file Response to two clients at once: the end of one does not cut the other', async () => {
    const response = await sendFile(join(dir, 'notes.txt'));
    const environ = createEnviron('/');
    const first = await response.gatewayApp(environ, () => () => {});
    const second = await response.gatewayApp(environ, () => () => {});
    await first.close?.();
    const chunks: Uint8Array[] = [];
    for await (const chunk of second as AsyncIterable<Uint8Array>) chunks.push(chunk);
    await second.close?.();
    expect(Buffer.concat(chunks).toString()).toBe('hello file');
  });

  it('serves ranges of a file', async () => {
    const response = await sendFile(join(dir, 'notes.txt'), { request: requestWith({ Range: 'bytes=6-' }) });
    expect((await run(response)).text).toBe('file');
  });

  it('sends a stream, which needs a type and carries only the validators given', async () => {
    const stream = (async function* () {
      yield new TextEncoder().encode('streamed');
    })();
    const response = await sendFile(stream, {
      downloadName: 'log.txt',
      etag: 'v1',
      request: requestWith({ 'If-None-Match': '"v1"' }),
    });
    expect([
      response.status,
      response.headers.get('Content-Disposition'),
      response.headers.get('Last-Modified'),
    ]).toEqual([304, 'inline; filename="log.txt"', null]);
    const plain = await sendFile([new TextEncoder().encode('abc')], { mimetype: 'text/csv' });
    const sent = await run(plain);
    expect([sent.text, sent.header('Content-Type'), sent.header('ETag'), sent.header('Content-Length')]).toEqual([
      'abc',
      'text/csv; charset=utf-8',
      null,
      '3',
    ]);
    await expect(sendFile([new Uint8Array(1)])).rejects.toThrow(/needs a mimetype or a downloadName/);
  });

  it('answers 404 for traversal, missing files and directories', async () => {
    for (const path of ['../etc/passwd', '/etc/passwd', 'missing.txt', '.', 'a\\..\\b']) {
      await expect(sendFromDirectory(dir, path)).rejects.toBeInstanceOf(NotFound);
    }
    expect((await run(await sendFromDirectory(dir, 'notes.txt'))).text).toBe('hello file');
  });
});
