/** encodeTextChunks: a TSGI 1.1 app (string chunks) made fit for a server that speaks only TSGI 1.0 (bytes). */
import { describe, expect, it } from 'vitest';
import { lint, type Body, type BodyChunk, type Environ, type GatewayApp, type StartResponse } from 'flagon/gateway';
import { encodeTextChunks } from 'flagon/middleware';
import { createEnviron, runApp } from 'flagon/testing';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (chunks: unknown[]): string => Buffer.concat(chunks as Uint8Array[]).toString('utf8');

/** An environ as a TSGI 1.0 server builds it. */
function environ10(): Environ {
  const environ = createEnviron('/');
  (environ as unknown as Record<string, unknown>)['tsgi.version'] = [1, 0];
  return environ;
}

/** A minimal TSGI 1.0 server: collects what write() and the body give it, as they are, and closes the body. */
async function server10(app: GatewayApp): Promise<{ written: unknown[]; chunks: unknown[]; body: Body }> {
  const written: unknown[] = [];
  const start: StartResponse = () => (chunk) => {
    written.push(chunk);
  };
  const body = await app(environ10(), start);
  const chunks: unknown[] = [];
  if (Symbol.asyncIterator in body) for await (const chunk of body as AsyncIterable<unknown>) chunks.push(chunk);
  else for (const chunk of body as Iterable<unknown>) chunks.push(chunk);
  await body.close?.();
  return { written, chunks, body };
}

const text =
  (body: () => Body): GatewayApp =>
  (_environ, startResponse) => {
    startResponse('200 OK', [['Content-Type', 'text/plain; charset=utf-8']]);
    return body();
  };

describe('encodeTextChunks', () => {
  it.each<[string, () => Body]>([
    ['a list', () => ['héllo ', bytes('☃'), '!']],
    [
      'a sync generator',
      () =>
        (function* (): Generator<BodyChunk> {
          yield 'héllo ';
          yield bytes('☃');
          yield '!';
        })(),
    ],
    [
      'an async generator',
      () =>
        (async function* (): AsyncGenerator<BodyChunk> {
          yield 'héllo ';
          yield bytes('☃');
          yield '!';
        })(),
    ],
  ])('yields only Uint8Array chunks from %s, as UTF-8', async (_name, body) => {
    const { chunks } = await server10(encodeTextChunks(text(body)));
    expect(chunks.every((chunk) => chunk instanceof Uint8Array)).toBe(true);
    expect(decode(chunks)).toBe('héllo ☃!');
  });

  it('encodes the strings given to write()', async () => {
    const { written } = await server10(
      encodeTextChunks((_environ, startResponse) => {
        const write = startResponse('200 OK', []);
        write('pushed ☃');
        write(bytes(' bytes'));
        return [];
      }),
    );
    expect(written.every((chunk) => chunk instanceof Uint8Array)).toBe(true);
    expect(decode(written)).toBe('pushed ☃ bytes');
  });

  it("keeps the body's kind: a sync iterable stays sync, an async one async", async () => {
    const sync = await encodeTextChunks(
      text(() =>
        (function* () {
          yield 'a';
        })(),
      ),
    )(environ10(), () => () => {});
    const async = await encodeTextChunks(
      text(() =>
        (async function* () {
          yield 'a';
        })(),
      ),
    )(environ10(), () => () => {});
    expect([Symbol.iterator in sync, Symbol.asyncIterator in sync]).toEqual([true, false]);
    expect([Symbol.iterator in async, Symbol.asyncIterator in async]).toEqual([false, true]);
  });

  it("passes a list of bytes through untouched, and an async app's body too", async () => {
    const list = [bytes('a'), bytes('b')];
    expect(await encodeTextChunks(text(() => list))(environ10(), () => () => {})).toBe(list);
    const { chunks } = await server10(
      encodeTextChunks(async (environ, startResponse) => text(() => ['async ☃'])(environ, startResponse)),
    );
    expect(decode(chunks)).toBe('async ☃');
  });

  it('calls the original close() exactly once, for a list and for a stream', async () => {
    let closes = 0;
    const list = Object.assign(['a'], {
      close() {
        closes++;
      },
    });
    await server10(encodeTextChunks(text(() => list)));
    const stream = Object.assign(
      (async function* () {
        yield 'b';
      })(),
      {
        close() {
          closes++;
        },
      },
    );
    await server10(encodeTextChunks(text(() => stream)));
    expect(closes).toBe(2);
  });

  it("stops the app's generator when the server stops early, so its finally runs", async () => {
    let cleanedUp = false;
    const body = await encodeTextChunks(
      text(() =>
        (function* () {
          try {
            yield 'a';
            yield 'b';
          } finally {
            cleanedUp = true;
          }
        })(),
      ),
    )(environ10(), () => () => {});
    const iterator = (body as Iterable<Uint8Array>)[Symbol.iterator]();
    expect(iterator.next().value).toBeInstanceOf(Uint8Array);
    iterator.return?.();
    expect(cleanedUp).toBe(true);
  });

  it('tells the app below it speaks TSGI 1.1', async () => {
    let seen: unknown;
    await server10(
      encodeTextChunks((environ, startResponse) => {
        seen = environ['tsgi.version'];
        startResponse('204 No Content', []);
        return [];
      }),
    );
    expect(seen).toEqual([1, 1]);
  });

  it('passes lint on both sides: a 1.1 app inside, a 1.0 server outside', async () => {
    const app = text(() =>
      (async function* () {
        yield 'lint ☃';
      })(),
    );
    const response = await runApp(lint(encodeTextChunks(lint(app))), environ10());
    expect(response.text).toBe('lint ☃');
    // Without it, lint stops the string at the 1.0 server.
    await expect(runApp(lint(app), environ10())).rejects.toMatchObject({ rule: 'body.chunk' });
  });

  it('says how to fix a call without an app', () => {
    expect(() => encodeTextChunks(undefined as unknown as GatewayApp)).toThrow(
      /encodeTextChunks\(app\): app is not a TSGI app/,
    );
  });
});
