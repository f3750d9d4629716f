/**
 * One request/response suite for every way fixtures/suite-app.ts is served: `app.fetch` called in-process on Node,
 * `serve()` on Node, and under Bun and Deno both natively (`Bun.serve`/`Deno.serve` with `app.fetch`) and through
 * `serve()` on their node:http. Every target answers the same requests the same way; only `slack` differs: how many
 * bytes the transport may hold between the app and the reader (none in-process; socket buffers over HTTP).
 */
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STREAM_CHUNK, STREAM_CHUNKS } from './fixtures/suite-app.js';

export interface SuiteTarget {
  /** Sends a request for `path` (with its query) to the app under test. */
  send(path: string, init?: RequestInit & { duplex?: 'half' }): Promise<Response>;
  /** Bytes the transport may buffer between the app's body and the reader of the response. */
  slack: number;
  /** Where the app runs, as it reports itself: 'node', 'bun' or 'deno'. */
  runtime: string;
}

/** Polls `probe` until it gives a value that `done` accepts; the state endpoint is how a stream reports progress. */
async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last state ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface StreamState {
  produced: number;
  closed: number;
  received: number;
}

/** Registers the suite against the target `connect()` gives (called in a test, once the target is up). */
export function fetchSuite(name: string, connect: () => SuiteTarget): void {
  const state = async (id: string): Promise<StreamState> =>
    (await (await connect().send(`/state/${id}`)).json()) as StreamState;

  describe(name, () => {
    it('routes, with JSON, 404, 405 with Allow, and HEAD with the GET length and no body', async () => {
      const { send, runtime } = connect();
      const user = await send('/users/7?x=1');
      expect([user.status, user.headers.get('content-type')]).toEqual([200, 'application/json']);
      const text = await user.text();
      expect(JSON.parse(text)).toEqual({ id: 7, runtime });
      expect((await send('/missing')).status).toBe(404);
      const wrong = await send('/users/7', { method: 'DELETE' });
      expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'GET, HEAD, OPTIONS']);
      const head = await send('/users/7', { method: 'HEAD' });
      expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([
        200,
        String(Buffer.byteLength(text)),
        '',
      ]);
    });

    it('reads a JSON body and a form post with repeated fields', async () => {
      const { send } = connect();
      const json = await send('/json', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"pen":{"colour":"blue"}}',
      });
      expect(await json.json()).toEqual({ received: { pen: { colour: 'blue' } } });
      const form = await send('/form', {
        method: 'POST',
        body: new URLSearchParams([
          ['name', 'Ada Lovelace'],
          ['tag', 'a'],
          ['tag', 'b'],
        ]),
      });
      expect(await form.json()).toEqual({ name: 'Ada Lovelace', tags: ['a', 'b'] });
    });

    it('keeps a session across requests with its cookie', async () => {
      const { send } = connect();
      const login = await send('/login', { method: 'POST', body: new URLSearchParams({ user: 'ada' }) });
      expect(await login.text()).toBe('logged in');
      const cookies = login.headers.getSetCookie();
      expect(cookies).toHaveLength(1);
      expect(cookies[0]).toMatch(/^session=[^;]+; Path=\/; HttpOnly$/);
      const me = await send('/me', { headers: { Cookie: cookies[0]!.split(';')[0]! } });
      expect(await me.json()).toEqual({ user: 'ada' });
      expect(await (await send('/me')).json()).toEqual({ user: null });
    });

    it('renders a template, escaped', async () => {
      const page = await connect().send('/hello/%3Cb%3EAda');
      expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(await page.text()).toBe('<h1>Hello, &lt;b&gt;Ada!</h1>\n<p>/hello/&lt;b&gt;Ada</p>');
    });

    it('takes a 1 MiB multipart upload whole', async () => {
      const bytes = new Uint8Array(1024 * 1024).map((_, i) => (i * 7) % 251);
      const form = new FormData();
      form.set('title', 'café report');
      form.set('file', new Blob([bytes], { type: 'application/octet-stream' }), 'report.bin');
      const upload = await connect().send('/upload', { method: 'POST', body: form });
      expect(await upload.json()).toEqual({
        title: 'café report',
        filename: 'report.bin',
        type: 'application/octet-stream',
        size: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    });

    it('answers an exception with a 500 that does not show it', async () => {
      const boom = await connect().send('/boom');
      expect(boom.status).toBe(500);
      expect(await boom.text()).not.toContain('secret detail');
    });

    it('streams a response only as fast as it is read, and a cancel calls close() once', async () => {
      const { send, slack } = connect();
      const id = randomUUID();
      const response = await send(`/stream/${id}`);
      expect([response.status, response.headers.get('content-length')]).toEqual([200, null]);
      const reader = response.body!.getReader();
      let read = 0;
      while (read < 4 * STREAM_CHUNK) {
        const step = await reader.read();
        if (step.done) throw new Error('the stream ended early');
        read += step.value.byteLength;
      }
      // Without back-pressure the app would have made all 64 MiB by now (a turn of the event loop lets an eager
      // producer show itself); with it, what was read plus what fits in the buffers between, one chunk in flight.
      await new Promise((resolve) => setImmediate(resolve));
      const during = await state(id);
      expect(during.produced * STREAM_CHUNK).toBeLessThanOrEqual(read + slack + 2 * STREAM_CHUNK);
      expect(during.produced).toBeLessThan(STREAM_CHUNKS);
      expect(during.closed).toBe(0);
      await reader.cancel();
      const after = await until(
        () => state(id),
        (s) => s.closed > 0,
        'close() after the cancel',
      );
      expect(after.closed).toBe(1);
      expect(after.produced).toBeLessThan(STREAM_CHUNKS);
    });

    it('hands a streamed request body to the app as it arrives', async () => {
      const { send } = connect();
      const id = randomUUID();
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
        },
      });
      const answer = send(`/upload-progress/${id}`, {
        method: 'POST',
        body,
        duplex: 'half',
        headers: { 'Content-Type': 'application/octet-stream' },
      });
      controller.enqueue(new Uint8Array(64 * 1024).fill(1));
      // The app has the first 64 KiB while the client still holds the rest: nothing waited for the whole body.
      const first = await until(
        () => state(id),
        (s) => s.received >= 64 * 1024,
        'the first chunk to reach the app',
      );
      expect(first.received).toBe(64 * 1024);
      controller.enqueue(new Uint8Array(32 * 1024).fill(2));
      controller.close();
      expect(await (await answer).json()).toEqual({ received: 96 * 1024 });
    });
  });
}
