import { describe, expect, it } from 'vitest';
import { BadRequest, RequestEntityTooLarge, UnsupportedMediaType } from 'flagon/http';
import { createEnviron } from 'flagon/testing';
import { Request } from 'flagon/wrappers';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const make = (path: string, options: Parameters<typeof createEnviron>[1] = {}, requestOptions: ConstructorParameters<typeof Request>[1] = {}) => new Request(createEnviron(path, options), requestOptions);

describe('Request', () => {
  it('exposes the URL in its parts, as Werkzeug names them', () => {
    const request = make('/caf%C3%A9?q=a+b&q=c', { scriptName: '/app', host: 'example.com:8080', method: 'post' });
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/café');
    expect(request.fullPath).toBe('/café?q=a+b&q=c');
    expect(request.scriptRoot).toBe('/app');
    expect(request.url).toBe('http://example.com:8080/app/caf%C3%A9?q=a+b&q=c');
    expect(request.baseUrl).toBe('http://example.com:8080/app/caf%C3%A9');
    expect(request.rootUrl).toBe('http://example.com:8080/app/');
    expect(request.hostUrl).toBe('http://example.com:8080/');
    expect(request.args.getAll('q')).toEqual(['a b', 'c']);
    expect([request.scheme, request.isSecure, request.remoteAddr]).toEqual(['http', false, '127.0.0.1']);
  });

  it('validates the host, and honours TRUSTED_HOSTS', () => {
    expect(make('/', { host: 'evil.com/x' }).host).toBe('');
    expect(make('/', { host: 'evil.com/x' }).url).toBe('http:///');
    expect(make('/', { host: 'a.example.com' }, { trustedHosts: ['.example.com'] }).host).toBe('a.example.com');
    expect(make('/', { host: 'example.org' }, { trustedHosts: ['example.com'] }).host).toBe('');
  });

  it('parses headers, cookies, content type and Accept lazily and keeps them', () => {
    const request = make('/', { headers: { Cookie: 'a=1; b=2', 'Content-Type': 'Application/JSON; charset=UTF-8', Accept: 'text/html;q=0.5, application/json', 'Accept-Language': 'de, en;q=0.5' } });
    expect(request.headers).toBe(request.headers);
    expect(request.headers.get('accept-language')).toBe('de, en;q=0.5');
    expect(request.cookies.b).toBe('2');
    expect([request.mimetype, request.mimetypeParams.charset, request.isJson]).toEqual(['application/json', 'UTF-8', true]);
    expect(request.accept.bestMatch(['text/html', 'application/json'])).toBe('application/json');
    expect(request.acceptLanguages.best).toBe('de');
  });

  it('reads the body once, whichever reader asks first', async () => {
    const request = make('/', { method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } });
    expect(await request.json()).toEqual({ a: 1 });
    expect(await request.text()).toBe('{"a":1}');
    expect(new TextDecoder().decode(await request.arrayBuffer())).toBe('{"a":1}');
  });

  it('refuses a declared length over MAX_CONTENT_LENGTH before reading a byte', async () => {
    let read = false;
    const environ = createEnviron('/', { method: 'POST', headers: { 'Content-Length': '100' } });
    environ['tsgi.input'] = { async *[Symbol.asyncIterator]() { read = true; yield enc('x'); } };
    await expect(new Request(environ, { maxContentLength: 99 }).bytes()).rejects.toBeInstanceOf(RequestEntityTooLarge);
    expect(read).toBe(false);
  });

  it('stops a chunked body at the limit, and takes a per-request limit', async () => {
    let chunksRead = 0;
    const body = (async function* () { for (let i = 0; i < 100; i++) { chunksRead++; yield new Uint8Array(10); } })();
    const request = make('/', { method: 'POST', body }, { maxContentLength: 1000 });
    request.maxContentLength = 25;
    await expect(request.bytes()).rejects.toThrow(/passed the limit of 25 bytes/);
    expect(chunksRead).toBe(3);
    expect((await make('/', { method: 'POST', body: 'x'.repeat(25) }, { maxContentLength: 25 }).bytes()).byteLength).toBe(25);
  });

  it('reads its limits from the options when used, until the request sets its own', () => {
    const options: { maxContentLength?: number | null; maxFormParts?: number | null } = { maxContentLength: 10 };
    const request = make('/', {}, options);
    expect([request.maxContentLength, request.maxFormMemorySize, request.maxFormParts, request.maxFileSize]).toEqual([10, 500_000, 1_000, null]);
    options.maxContentLength = 5; // a live option (the App's config) applies to a request already made
    options.maxFormParts = null;
    expect([request.maxContentLength, request.maxFormParts]).toEqual([5, null]);
    request.maxContentLength = null;
    request.maxFileSize = 1024;
    options.maxContentLength = 1;
    expect([request.maxContentLength, request.maxFileSize]).toEqual([null, 1024]);
  });

  it('answers JSON problems with 415 and 400, details only in debug', async () => {
    const json = (body: string, type = 'application/json', debug = false) => make('/', { method: 'POST', body, headers: { 'Content-Type': type } }, { debug }).json();
    await expect(json('{}', 'text/plain')).rejects.toBeInstanceOf(UnsupportedMediaType);
    const plain = (await json('{bad').catch((e: unknown) => e)) as BadRequest;
    expect(plain).toBeInstanceOf(BadRequest);
    expect(plain.description).toBe(BadRequest.description);
    expect(((await json('{bad', 'application/json', true).catch((e: unknown) => e)) as BadRequest).description).toMatch(/^Failed to decode JSON object: /);
    expect(await json('{"ok":true}', 'application/vnd.api+json')).toEqual({ ok: true });
  });

  it('keeps __proto__, constructor and prototype keys out by default', async () => {
    for (const body of ['{"__proto__":{"admin":true}}', '{"a":{"constructor":{"prototype":{"x":1}}}}']) {
      await expect(make('/', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } }).json()).rejects.toThrow(BadRequest);
    }
    const allowed = await make('/', { method: 'POST', body: '{"__proto__":{"admin":true}}', headers: { 'Content-Type': 'application/json' } }, { jsonPrototypeKeys: 'allow' }).json<Record<string, unknown>>();
    expect(Object.keys(allowed)).toEqual(['__proto__']);
    expect(({} as { admin?: boolean }).admin).toBeUndefined();
  });

  it('parses urlencoded forms with repeated keys, within MAX_FORM_MEMORY_SIZE', async () => {
    const form = await make('/', { method: 'POST', body: 'tag=a&tag=b&name=Ada+L', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }).form();
    expect([form.getAll('tag'), form.get('name')]).toEqual([['a', 'b'], 'Ada L']);
    const big = make('/', { method: 'POST', body: `a=${'x'.repeat(20)}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, { maxFormMemorySize: 10 });
    await expect(big.form()).rejects.toBeInstanceOf(RequestEntityTooLarge);
    expect((await make('/', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }).form()).size).toBe(0);
  });
});
