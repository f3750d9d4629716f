/** TSGI 1.1 in process: the version, the chunk helpers, lint() and the test tools with string chunks. */
import { describe, expect, it } from 'vitest';
import {
  LintError,
  TSGI_VERSION,
  chunkByteLength,
  isBodyChunk,
  lint,
  toBytes,
  type Body,
  type Environ,
  type GatewayApp,
} from 'flagon/gateway';
import { TestClient, createEnviron, runApp } from 'flagon/testing';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const SNOWMAN = 'héllo ☃';

/** An environ as a server that speaks only TSGI 1.0 builds it. */
function environ10(path = '/'): Environ {
  const environ = createEnviron(path);
  (environ as unknown as Record<string, unknown>)['tsgi.version'] = [1, 0];
  return environ;
}

const textApp =
  (body: () => Body): GatewayApp =>
  (_environ, startResponse) => {
    startResponse('200 OK', [['Content-Type', 'text/plain; charset=utf-8']]);
    return body();
  };

describe('the version', () => {
  it('is [1, 1], frozen, in every environ createEnviron builds', () => {
    expect(TSGI_VERSION).toEqual([1, 1]);
    expect(Object.isFrozen(TSGI_VERSION)).toBe(true);
    expect(createEnviron('/')['tsgi.version']).toEqual([1, 1]);
  });
});

describe('chunkByteLength, toBytes, isBodyChunk', () => {
  it.each<[string, string]>([
    ['ASCII', 'Hello, World!'],
    ['two-byte', 'héllo'],
    ['three-byte', '☃€'],
    ['a surrogate pair', '🎉x'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate at the end', 'a\udc00'],
    ['empty', ''],
  ])('counts the UTF-8 bytes of %s exactly as an encoder writes them', (_name, text) => {
    expect(chunkByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
    expect(chunkByteLength(text)).toBe(new TextEncoder().encode(text).byteLength);
  });

  it("counts bytes as their byteLength and never uses a string's .length", () => {
    expect(chunkByteLength(SNOWMAN)).toBe(10);
    expect(SNOWMAN.length).toBe(7);
    expect(chunkByteLength(new Uint8Array(new ArrayBuffer(8), 2, 3))).toBe(3);
  });

  it('encodes strings as UTF-8 and returns bytes unchanged', () => {
    const original = bytes('x');
    expect(toBytes(original)).toBe(original);
    expect([...toBytes('☃')]).toEqual([0xe2, 0x98, 0x83]);
  });

  it('knows a chunk from what is not one', () => {
    expect([
      isBodyChunk('a'),
      isBodyChunk(''),
      isBodyChunk(Buffer.from('a')),
      isBodyChunk(42),
      isBodyChunk(null),
      isBodyChunk([1]),
    ]).toEqual([true, true, true, false, false, false]);
  });
});

describe('lint() and string chunks', () => {
  it('accepts string chunks in a list, a sync and an async body, and in write(), and checks Content-Length in UTF-8 bytes', async () => {
    const apps: GatewayApp[] = [
      textApp(() => [SNOWMAN, bytes('!')]),
      textApp(() =>
        (function* () {
          yield SNOWMAN;
          yield '!';
        })(),
      ),
      textApp(() =>
        (async function* () {
          yield SNOWMAN;
          yield '';
          yield '!';
        })(),
      ),
      (_environ, startResponse) => {
        const write = startResponse('200 OK', [['Content-Length', '11']]);
        write(SNOWMAN);
        write('!');
        return [];
      },
    ];
    for (const app of apps) expect((await runApp(lint(app), createEnviron('/'))).text).toBe(`${SNOWMAN}!`);
  });

  it('counts the UTF-8 bytes of a string against Content-Length: 7 characters are 10 bytes', async () => {
    const claims =
      (length: number): GatewayApp =>
      (_environ, startResponse) => {
        startResponse('200 OK', [['Content-Length', String(length)]]);
        return [SNOWMAN];
      };
    expect((await runApp(lint(claims(10)), createEnviron('/'))).text).toBe(SNOWMAN);
    await expect(runApp(lint(claims(7)), createEnviron('/'))).rejects.toMatchObject({ rule: 'body.content-length' });
  });

  it('rejects a number chunk with a message that says what it was and what a chunk is', async () => {
    const failure = runApp(lint(textApp(() => [42] as unknown as Body)), createEnviron('/'));
    await expect(failure).rejects.toBeInstanceOf(LintError);
    await expect(failure).rejects.toMatchObject({ rule: 'body.chunk', side: 'app', section: '5.1' });
    await expect(failure).rejects.toThrow(/the body yielded a number \(42\); a chunk is a string or a Uint8Array/);
  });

  it('rejects an object passed to write()', async () => {
    const app: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [])({} as unknown as string);
      return [];
    };
    await expect(runApp(lint(app), createEnviron('/'))).rejects.toMatchObject({
      rule: 'write.chunk',
      message: expect.stringContaining('write() got an object (Object)'),
    });
  });

  it('accepts the environ of a TSGI 1.0 server, and then rejects string chunks naming encodeTextChunks', async () => {
    expect((await runApp(lint(textApp(() => [bytes('ok')])), environ10())).text).toBe('ok');
    const body = runApp(lint(textApp(() => ['text'])), environ10());
    await expect(body).rejects.toMatchObject({ rule: 'body.chunk' });
    await expect(body).rejects.toThrow(
      /tsgi\.version is \[1, 0\], which takes bytes only; wrap the app in encodeTextChunks\(\)/,
    );
    const write: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [])('text');
      return [];
    };
    await expect(runApp(lint(write), environ10())).rejects.toMatchObject({ rule: 'write.chunk' });
  });

  it('accepts [1, 1] and [1, 0] environs, and rejects every other version', async () => {
    for (const version of [
      [1, 1],
      [1, 0],
    ]) {
      const environ = createEnviron('/');
      (environ as unknown as Record<string, unknown>)['tsgi.version'] = version;
      expect((await runApp(lint(textApp(() => [bytes('x')])), environ)).text).toBe('x');
    }
    for (const version of [[1, 2], [2, 0], [1], '1.1']) {
      const environ = createEnviron('/');
      (environ as unknown as Record<string, unknown>)['tsgi.version'] = version;
      await expect(runApp(lint(textApp(() => ['x'])), environ)).rejects.toMatchObject({ rule: 'environ.tsgi-version' });
    }
  });
});

describe('the test tools read string chunks', () => {
  it('runApp collects strings as UTF-8 bytes, from a list, a generator and write()', async () => {
    const list = await runApp(
      textApp(() => [SNOWMAN]),
      createEnviron('/'),
    );
    expect([list.text, list.body.byteLength]).toEqual([SNOWMAN, 10]);
    const stream = await runApp(
      textApp(() =>
        (async function* () {
          yield 'a';
          yield bytes('b');
          yield '☃';
        })(),
      ),
      createEnviron('/'),
    );
    expect(stream.text).toBe('ab☃');
    const pushed = await runApp((_environ, startResponse) => {
      startResponse('200 OK', [])('w☃');
      return ['!'];
    }, createEnviron('/'));
    expect(pushed.text).toBe('w☃!');
  });

  it('runApp still refuses a chunk that is neither', async () => {
    await expect(
      runApp(
        textApp(() => [null] as unknown as Body),
        createEnviron('/'),
      ),
    ).rejects.toThrow(/the body yielded null; chunks are strings or Uint8Array/);
  });

  it('TestClient gives text and bytes of a string body', async () => {
    const client = new TestClient({ gatewayApp: textApp(() => ['a', SNOWMAN]) });
    const response = await client.get('/');
    expect([response.text, response.body.byteLength]).toEqual([`a${SNOWMAN}`, 11]);
  });
});
