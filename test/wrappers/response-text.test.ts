/** A Response's text body stays a string all the way to the server (TSGI 1.1); lengths, tags and ranges count UTF-8 bytes. */
import { describe, expect, it } from 'vitest';
import { generateEtag } from 'flagon/http';
import type { Body, BodyChunk, StartResponse } from 'flagon/gateway';
import { createEnviron } from 'flagon/testing';
import { Request, Response } from 'flagon/wrappers';
import { makeResponse } from '../../src/app/make-response.js';

const SNOWMAN = 'héllo ☃'; // 7 UTF-16 units, 10 UTF-8 bytes

/** What the server would get: the status, the headers and the chunks as they are, not encoded. */
async function send(
  response: Response,
  method = 'GET',
): Promise<{ status: string; headers: Array<[string, string]>; chunks: BodyChunk[] }> {
  let status = '';
  let headers: Array<[string, string]> = [];
  const start: StartResponse = (s, h) => {
    status = s;
    headers = h;
    return () => {};
  };
  const body: Body = await response.gatewayApp(createEnviron('/', { method }), start);
  const chunks: BodyChunk[] = [];
  if (Symbol.asyncIterator in body) for await (const chunk of body as AsyncIterable<BodyChunk>) chunks.push(chunk);
  else for (const chunk of body as Iterable<BodyChunk>) chunks.push(chunk);
  await body.close?.();
  return { status, headers, chunks };
}

const header = (headers: Array<[string, string]>, name: string): string | undefined =>
  headers.find(([key]) => key === name)?.[1];

describe('Response with a text body', () => {
  it('hands the server the string itself, with Content-Length in UTF-8 bytes', async () => {
    const { headers, chunks } = await send(new Response(SNOWMAN));
    expect(chunks).toEqual([SNOWMAN]);
    expect(header(headers, 'Content-Length')).toBe('10');
    expect(new Response(SNOWMAN).contentLength).toBe(10);
  });

  it('keeps a list of strings one string; a mix of strings and bytes becomes bytes', async () => {
    expect((await send(new Response(['a', SNOWMAN]))).chunks).toEqual([`a${SNOWMAN}`]);
    const mixed = await send(new Response(['a', new TextEncoder().encode('b')]));
    expect(mixed.chunks[0]).toBeInstanceOf(Uint8Array);
  });

  it('passes the string chunks of a stream through as strings, keeping a sync iterable sync', async () => {
    const asyncBody = await send(
      new Response(
        (async function* () {
          yield SNOWMAN;
          yield new Uint8Array([33]);
        })(),
      ),
    );
    expect([asyncBody.chunks[0], asyncBody.chunks[1]]).toEqual([SNOWMAN, new Uint8Array([33])]);
    const sync = new Response(
      (function* () {
        yield 'a';
        yield 'b';
      })(),
    );
    const body = await sync.gatewayApp(createEnviron('/'), () => () => {});
    expect([Symbol.iterator in body, [...(body as Iterable<BodyChunk>)]]).toEqual([true, ['a', 'b']]);
  });

  it('gives getData() the UTF-8 bytes, which then are the body', async () => {
    const response = new Response(SNOWMAN);
    expect((await send(response)).chunks).toEqual([SNOWMAN]); // text until someone asks for bytes
    const data = await response.getData();
    expect([data.byteLength, Buffer.from(data).toString('utf8')]).toEqual([10, SNOWMAN]);
    data[0] = 0x48; // 'h' → 'H': what is read as bytes and changed is what is sent
    expect(Buffer.from((await send(response)).chunks[0] as Uint8Array).toString('utf8')).toBe('Héllo ☃');
  });

  it('tags text with the SHA-1 of its UTF-8 bytes', async () => {
    const text = new Response(SNOWMAN);
    text.addEtag();
    const bytes = new Response(new TextEncoder().encode(SNOWMAN));
    bytes.addEtag();
    expect(text.headers.get('ETag')).toBe(`"${generateEtag(new TextEncoder().encode(SNOWMAN))}"`);
    expect(text.headers.get('ETag')).toBe(bytes.headers.get('ETag'));
    expect((await send(text)).chunks).toEqual([SNOWMAN]); // tagging does not turn the text into bytes
  });

  it('answers a byte range of text in bytes, and leaves text without a Range as text', async () => {
    const whole = new Response(SNOWMAN, { mimetype: 'text/plain' });
    whole.makeConditional(new Request(createEnviron('/')));
    expect((await send(whole)).chunks).toEqual([SNOWMAN]);
    const response = new Response(SNOWMAN, { mimetype: 'text/plain' });
    response.makeConditional(new Request(createEnviron('/', { headers: { Range: 'bytes=7-9' } })));
    const { status, headers, chunks } = await send(response);
    expect([status, header(headers, 'Content-Range'), header(headers, 'Content-Length')]).toEqual([
      '206 Partial Content',
      'bytes 7-9/10',
      '3',
    ]);
    expect(Buffer.from(chunks[0] as Uint8Array).toString('utf8')).toBe('☃');
  });

  it('sends text on GET, its length and no body on HEAD, and its length on a 304', async () => {
    const get = await send(new Response(SNOWMAN));
    expect([header(get.headers, 'Content-Length'), get.chunks]).toEqual(['10', [SNOWMAN]]);
    const head = await send(new Response(SNOWMAN), 'HEAD');
    expect([header(head.headers, 'Content-Length'), head.chunks]).toEqual(['10', []]);
    const cached = new Response(SNOWMAN);
    cached.setEtag('v1');
    cached.makeConditional(new Request(createEnviron('/', { headers: { 'If-None-Match': '"v1"' } })));
    expect([cached.status, cached.headers.get('Content-Length')]).toEqual([304, '10']);
  });
});

describe('a view that returns text', () => {
  it('becomes a Response whose body reaches the server as a string', async () => {
    const response = await makeResponse(SNOWMAN, 'index');
    const { headers, chunks } = await send(response);
    expect([chunks, header(headers, 'Content-Length')]).toEqual([[SNOWMAN], '10']);
    const tuple = await makeResponse([SNOWMAN, 201], 'create');
    expect((await send(tuple)).chunks).toEqual([SNOWMAN]);
  });
});
