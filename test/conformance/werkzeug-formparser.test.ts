/**
 * Port of Werkzeug's tests/test_formparser.py (github.com/pallets/werkzeug, tag 3.1.8, commit
 * c1a26b45fb06d5e086b4d6be820c3302f588d815): urlencoded and multipart bodies read through Flagon's Request (busboy
 * underneath), their limits, bad multipart input and the browser captures of tests/multipart/, which
 * test/fixtures/multipart/ holds byte for byte (see its README). BSD-3-Clause, Copyright 2007 Pallets: see
 * LICENSE-pallets.txt.
 *
 * Werkzeug's `Request.from_values(...)` is `new Request(createEnviron(...))`; its `Client(form_data_consumer)` is a
 * TestClient over `Request.application(...)`. Where Werkzeug raises `RequestEntityTooLarge`, the port also sends the
 * body through `Request.application` and checks the client gets the 413 (a 4xx, never a crash or a hang).
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BadRequest, type Headers, RequestEntityTooLarge } from 'flagon/http';
import { createEnviron, TestClient, type TestResponse } from 'flagon/testing';
import { type FileStorage, parseMultipart, Request, type RequestOptions, Response } from 'flagon/wrappers';

const resources = new URL('../fixtures/multipart/', import.meta.url);
const getContents = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(path, resources)));
/** A Python bytes literal: each character one byte (the tests' bodies are ASCII). */
const b = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));
const utf8 = new TextDecoder();

/** What Werkzeug's `Request.from_values` takes, the way the tests use it. */
interface Values {
  /** `data=`: bytes or text as the body; a record is sent urlencoded, a FormData as multipart (files included). */
  data?: string | Uint8Array | Record<string, string | number> | FormData;
  /** `input_stream=` without `content_length=`: chunks with no Content-Length. */
  input?: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  contentType?: string;
  method?: string;
}

/** Werkzeug's `Request.from_values(...)`: the body's Content-Length is set when it is known, as EnvironBuilder does. */
async function fromValues(values: Values): Promise<Request> {
  const { data, contentType, method = 'POST' } = values;
  const headers: Record<string, string> = {};
  let body: string | Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | undefined = values.input;
  if (data instanceof FormData) {
    const encoded = new globalThis.Response(data);
    body = new Uint8Array(await encoded.arrayBuffer());
    headers['Content-Type'] = encoded.headers.get('Content-Type')!;
  } else if (typeof data === 'string' || data instanceof Uint8Array) {
    body = data;
  } else if (data !== undefined) {
    body = new URLSearchParams(Object.entries(data).map(([k, v]): [string, string] => [k, String(v)])).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  return new Request(createEnviron('/', { method, body, headers }));
}

/**
 * The same body sent by a client to a `Request.application` that reads `form()` and `files()` under `options`: what
 * the client gets (the form as JSON when the read succeeded).
 */
function post(body: Uint8Array | string, contentType: string, options: RequestOptions = {}): Promise<TestResponse> {
  const app = Request.application(async (request) => {
    const form = await request.form();
    await request.files();
    return new Response(JSON.stringify(form.toObjectAll()), { mimetype: 'application/json' });
  }, options);
  return new TestClient({ gatewayApp: app }).post('/', { data: body, headers: { 'Content-Type': contentType } });
}

/** Werkzeug's `form_data_consumer`: `repr()` of the file's filename, name and type, then its bytes; or the text. */
const formDataConsumer = Request.application(async (request) => {
  const object = request.args.get('object')!;
  if (object === 'text') return new Response(JSON.stringify((await request.form()).get('text')));
  const f = (await request.files()).get(object)!;
  const head = new TextEncoder().encode(
    [JSON.stringify(f.filename), JSON.stringify(f.name), JSON.stringify(f.contentType), ''].join('\n'),
  );
  const content = await f.bytes();
  const out = new Uint8Array(head.byteLength + content.byteLength);
  out.set(head);
  out.set(content, head.byteLength);
  return new Response(out);
});

/** Python's `response.get_data().split(b"\n", 3)`: three lines, then the rest as bytes. */
function splitLines(body: Uint8Array): [string, string, string, Uint8Array] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < 3) {
    const end = body.indexOf(0x0a, start);
    lines.push(utf8.decode(body.subarray(start, end)));
    start = end + 1;
  }
  return [lines[0]!, lines[1]!, lines[2]!, body.subarray(start)];
}

/** An input that records whether anything pulled from it. */
function trackedInput(data: Uint8Array): { input: AsyncIterable<Uint8Array>; pulled: () => boolean } {
  let pulled = false;
  return {
    input: {
      [Symbol.asyncIterator]() {
        let done = false;
        return {
          async next() {
            pulled = true;
            if (done) return { done: true, value: undefined };
            done = true;
            return { done: false, value: data };
          },
        };
      },
    },
    pulled: () => pulled,
  };
}

const multipartLimitData = b(
  '--foo\r\nContent-Disposition: form-field; name=foo\r\n\r\n' +
    'Hello World\r\n' +
    '--foo\r\nContent-Disposition: form-field; name=bar\r\n\r\n' +
    'bar=baz\r\n--foo--',
);

describe('werkzeug tests/test_formparser.py', () => {
  describe('TestFormParser', () => {
    it('test_limiting (urlencoded)', async () => {
      const data = b('foo=Hello+World&bar=baz');
      const type = 'application/x-www-form-urlencoded';
      let req = await fromValues({ data, contentType: type });
      req.maxContentLength = 400;
      expect((await req.form()).get('foo')).toBe('Hello World');

      req = await fromValues({ data, contentType: type });
      req.maxFormMemorySize = 7;
      await expect(req.form()).rejects.toBeInstanceOf(RequestEntityTooLarge);
      expect((await post(data, type, { maxFormMemorySize: 7 })).status).toBe(413);

      req = await fromValues({ data, contentType: type });
      req.maxFormMemorySize = 400;
      expect((await req.form()).get('foo')).toBe('Hello World');

      // Werkzeug's from_values sets CONTENT_LENGTH from the stream here, so the request is refused without reading.
      const { input, pulled } = trackedInput(b('foo=123456'));
      req = new Request(
        createEnviron('/', { method: 'POST', body: input, headers: { 'Content-Type': type, 'Content-Length': '10' } }),
      );
      req.maxContentLength = 4;
      await expect(req.form()).rejects.toBeInstanceOf(RequestEntityTooLarge);
      // content-length was set, so request could exit early without reading anything
      expect(pulled()).toBe(false);
      // without a Content-Length (chunked), it stops at the limit
      req = await fromValues({ input: [b('foo=1'), b('23456')], contentType: type });
      req.maxContentLength = 4;
      await expect(req.form()).rejects.toBeInstanceOf(RequestEntityTooLarge);
      expect((await post(b('foo=123456'), type, { maxContentLength: 4 })).status).toBe(413);
    });

    // DIFFERENCE: a part whose Content-Disposition type is not `form-data` (here `form-field`) is skipped, so the
    // form is empty and no field is over MAX_FORM_MEMORY_SIZE; Werkzeug reads the parameters of any disposition type.
    // RFC 7578 §4.2: each part MUST have `Content-Disposition: form-data` (busboy's rule). The limits themselves are
    // checked with `form-data` parts in the next row.
    it.fails('test_limiting (multipart)', async () => {
      const data = multipartLimitData;
      const type = 'multipart/form-data; boundary=foo';
      let req = await fromValues({ data, contentType: type });
      req.maxContentLength = 400;
      expect((await req.form()).get('foo')).toBe('Hello World');

      req = await fromValues({ data, contentType: type });
      req.maxFormMemorySize = 7;
      await expect(req.form()).rejects.toBeInstanceOf(RequestEntityTooLarge);

      req = await fromValues({ data, contentType: type });
      req.maxFormMemorySize = 400;
      expect((await req.form()).get('foo')).toBe('Hello World');

      req = await fromValues({ data, contentType: type });
      req.maxFormParts = 1;
      await expect(req.form()).rejects.toBeInstanceOf(RequestEntityTooLarge);
    });

    it('test_limiting (multipart, with form-data parts)', async () => {
      const data = b(utf8.decode(multipartLimitData).replaceAll('form-field', 'form-data'));
      const type = 'multipart/form-data; boundary=foo';
      let req = await fromValues({ data, contentType: type });
      req.maxContentLength = 400;
      expect((await req.form()).get('foo')).toBe('Hello World');

      req = await fromValues({ data, contentType: type });
      req.maxFormMemorySize = 7;
      await expect(req.form()).rejects.toBeInstanceOf(RequestEntityTooLarge);
      expect((await post(data, type, { maxFormMemorySize: 7 })).status).toBe(413);

      req = await fromValues({ data, contentType: type });
      req.maxFormMemorySize = 400;
      expect((await req.form()).get('foo')).toBe('Hello World');

      req = await fromValues({ data, contentType: type });
      req.maxFormParts = 1;
      await expect(req.form()).rejects.toBeInstanceOf(RequestEntityTooLarge);
      expect((await post(data, type, { maxFormParts: 1 })).status).toBe(413);
    });

    it('test_urlencoded_no_max', async () => {
      const r = await fromValues({ data: { a: 1, b: 2 } });
      r.maxFormParts = 1;
      const form = await r.form();
      expect(form.get('a')).toBe('1');
      expect(form.get('b')).toBe('2');
    });

    // DIFFERENCE: invalid UTF-8 in an urlencoded body is decoded as U+FFFD (form `{'\uFFFD': ''}`), as the WHATWG
    // URL standard and URLSearchParams do (the same rule as for the query string, docs/conformance.md); Werkzeug drops
    // the whole form silently (its UnicodeDecodeError is swallowed).
    it.fails('test_urlencoded_silent_decode', async () => {
      const r = await fromValues({ data: new Uint8Array([0x80]), contentType: 'application/x-www-form-urlencoded' });
      expect((await r.form()).size).toBe(0);
    });

    // DIFFERENCE: multipart/form-data without a boundary answers 400 (docs/toolkit.md, "Uploads"); Werkzeug reads an
    // empty form.
    it.fails('test_missing_multipart_boundary', async () => {
      const req = await fromValues({ data: multipartLimitData, contentType: 'multipart/form-data' });
      expect((await req.form()).size).toBe(0);
    });

    it('test_missing_multipart_boundary (Flagon answers 400)', async () => {
      const req = await fromValues({ data: multipartLimitData, contentType: 'multipart/form-data' });
      await expect(req.form()).rejects.toBeInstanceOf(BadRequest);
      expect((await post(multipartLimitData, 'multipart/form-data')).status).toBe(400);
    });

    it('test_chunk_split_on_line_break_before_epilogue', async () => {
      const data = b(
        [
          // exactly 64 bytes of header
          '--thirteenbytes\r\n',
          'Content-Disposition: form-data; name=tx3065\r\n\r\n',
          // payload that fills 65535 bytes together with the header
          [...Array<string>(2045).fill('\r'.repeat(31)), 'y'.repeat(31)].join('\n'),
          // This newline is split by the first chunk
          '\r\n',
          // extra payload that also has the final newline split exactly at the chunk size.
          [...Array<string>(2047).fill('\r'.repeat(31)), 'x'.repeat(30)].join('\n'),
          '\r\n--thirteenbytes--',
        ].join(''),
      );
      const req = await fromValues({ data, contentType: 'multipart/form-data; boundary=thirteenbytes' });
      const value = (await req.form()).get('tx3065')!;
      expect(value.length).toBe(131072 - 64 - 1);
      expect(value.at(-1)).toBe('x');
      expect(value.slice(65470, 65473)).toBe('y\r\n');
    });

    it('test_parse_form_data_put_without_content', async () => {
      // A PUT without a Content-Type header returns empty data

      // Both rfc1945 and rfc2616 (1.0 and 1.1) say "Any HTTP/[1.0/1.1] message containing an entity-body SHOULD
      // include a Content-Type header field defining the media type of that body."  In the case where either headers
      // are omitted, parse_form_data should still work.
      const req = new Request(createEnviron('/foo', { baseUrl: 'http://example.org/', method: 'PUT' }));
      expect((await req.form()).size).toBe(0);
      expect((await req.files()).size).toBe(0);
      expect((await req.bytes()).byteLength).toBe(0);
    });

    it('test_parse_form_data_get_without_content', async () => {
      const req = new Request(createEnviron('/foo', { baseUrl: 'http://example.org/', method: 'GET' }));
      expect((await req.form()).size).toBe(0);
      expect((await req.files()).size).toBe(0);
      expect((await req.bytes()).byteLength).toBe(0);
    });

    it('test_parse_form_post_data_trailing_CR', async () => {
      for (const k of [1, 2]) {
        const sample = new Uint8Array(65535 + k).fill(0x0d, 65535);
        const data = new FormData();
        data.append('foo', new File([sample], 'test.txt'));
        const req = await fromValues({ data });
        try {
          expect(new Uint8Array(await (await req.files()).get('foo')!.bytes())).toEqual(sample);
        } finally {
          await req.close();
        }
      }
    });

    // Werkzeug's parameters swap its SpooledTemporaryFile for a BytesIO or TemporaryFile; Flagon's two kinds of
    // FileStorage are a file in memory and one spooled to a temp file (`spoolThreshold: 0` through parseMultipart).
    // The csv reader becomes a line reader over `stream()`.
    it.each<[boolean, number]>([
      [false, 100],
      [false, 3000],
      [true, 100],
      [true, 3000],
    ])('test_default_stream_factory [no_spooled=%j, size=%j]', async (noSpooled, size) => {
      const data = new FormData();
      data.append('foo', new File(['a,b,c\n'.repeat(size)], 'test.txt'));
      const encoded = new globalThis.Response(data);
      const environ = createEnviron('/', { method: 'POST', body: new Uint8Array(await encoded.arrayBuffer()) });
      const parsed = await parseMultipart(environ, encoded.headers.get('Content-Type')!, {
        maxContentLength: null,
        maxFormMemorySize: 500_000,
        maxFormParts: 1_000,
        spoolThreshold: noSpooled ? 0 : undefined,
      });
      try {
        const file = parsed.files.get('foo')!;
        expect(file.spooled).toBe(noSpooled);
        let rows = 0;
        for await (const _ of createInterface({ input: Readable.from(file.stream()) })) rows += 1;
        expect(rows).toBe(size);
      } finally {
        await parsed.cleanup();
      }
    });

    it('test_parse_bad_content_type', async () => {
      const req = await fromValues({ data: '', contentType: 'bad-mime-type' });
      expect((await req.form()).size).toBe(0);
      expect((await req.files()).size).toBe(0);
      expect(utf8.decode(await req.bytes())).toBe('');
    });

    it('test_parse_from_environ', async () => {
      // an environ with nothing but its input: no method, no Content-Type, no Content-Length
      const environ = createEnviron('/');
      delete environ.CONTENT_TYPE;
      delete environ.CONTENT_LENGTH;
      const req = new Request(environ);
      expect((await req.form()).size).toBe(0);
      expect(await req.bytes()).toBeDefined();
    });
  });

  describe('TestMultiPart', () => {
    it('test_basic', async () => {
      const client = new TestClient({ gatewayApp: formDataConsumer });
      const repository: Array<[string, string, Array<[string, string, string, string]>, string]> = [
        [
          'firefox3-2png1txt',
          '---------------------------186454651713519341951581030105',
          [
            ['anchor.png', 'file1', 'image/png', 'file1.png'],
            ['application_edit.png', 'file2', 'image/png', 'file2.png'],
          ],
          'example text',
        ],
        [
          'firefox3-2pnglongtext',
          '---------------------------14904044739787191031754711748',
          [
            ['accept.png', 'file1', 'image/png', 'file1.png'],
            ['add.png', 'file2', 'image/png', 'file2.png'],
          ],
          '--long text\r\n--with boundary\r\n--lookalikes--',
        ],
        [
          'opera8-2png1txt',
          '----------zEO9jQKmLc2Cq88c23Dx19',
          [
            ['arrow_branch.png', 'file1', 'image/png', 'file1.png'],
            ['award_star_bronze_1.png', 'file2', 'image/png', 'file2.png'],
          ],
          'blafasel öäü',
        ],
        [
          'webkit3-2png1txt',
          '----WebKitFormBoundaryjdSFhcARk8fyGNy6',
          [
            ['gtk-apply.png', 'file1', 'image/png', 'file1.png'],
            ['gtk-no.png', 'file2', 'image/png', 'file2.png'],
          ],
          'this is another text with ümläüts',
        ],
        [
          'ie6-2png1txt',
          '---------------------------7d91b03a20128',
          [
            ['file1.png', 'file1', 'image/x-png', 'file1.png'],
            ['file2.png', 'file2', 'image/x-png', 'file2.png'],
          ],
          'ie6 sucks :-/',
        ],
      ];

      for (const [name, boundary, files, text] of repository) {
        const data = getContents(`${name}/request.http`);
        const headers = {
          'Content-Type': `multipart/form-data; boundary="${boundary}"`,
          'Content-Length': String(data.byteLength),
        };
        for (const [filename, field, contentType, fsname] of files) {
          const response = await client.post(`/?object=${field}`, { data, headers });
          const lines = splitLines(response.body);
          expect(lines[0]).toBe(JSON.stringify(filename));
          expect(lines[1]).toBe(JSON.stringify(field));
          expect(lines[2]).toBe(JSON.stringify(contentType));
          expect(lines[3]).toEqual(getContents(`${name}/${fsname}`));
        }
        const response = await client.post('/?object=text', { data, headers });
        expect(response.text).toBe(JSON.stringify(text));
      }
    });

    const ie7 = getContents('ie7_full_path_request.http');
    const ie7Headers = {
      'Content-Type': 'multipart/form-data; boundary="---------------------------7da36d1b4a0164"',
      'Content-Length': String(ie7.byteLength),
    };

    // DIFFERENCE: this capture's lines end in a bare LF (as stored upstream), which Flagon refuses with a 400, as in
    // test_nonstandard_line_endings; Werkzeug reads it.
    it.fails('test_ie7_unc_path', async () => {
      const client = new TestClient({ gatewayApp: formDataConsumer });
      const response = await client.post('/?object=cb_file_upload_multiple', { data: ie7, headers: ie7Headers });
      const lines = splitLines(response.body);
      expect(lines[0]).toBe(JSON.stringify('Sellersburg Town Council Meeting 02-22-2010doc.doc'));
    });

    it('test_ie7_unc_path (Flagon answers 400)', async () => {
      const client = new TestClient({ gatewayApp: formDataConsumer });
      const response = await client.post('/?object=cb_file_upload_multiple', { data: ie7, headers: ie7Headers });
      expect(response.status).toBe(400);
    });

    const endOfFile = b(
      '--foo\r\n' +
        'Content-Disposition: form-data; name="test"; filename="test.txt"\r\n' +
        'Content-Type: text/plain\r\n\r\n' +
        'file contents and no end',
    );

    // DIFFERENCE: a multipart body cut short (no closing boundary) answers 400 (docs/toolkit.md, "Uploads"); Werkzeug
    // reads an empty form and no files.
    it.fails('test_end_of_file', async () => {
      // This test looks innocent but it was actually timing out in the Werkzeug 0.5 release version (#394)
      const data = await fromValues({ data: endOfFile, contentType: 'multipart/form-data; boundary=foo' });
      try {
        expect((await data.files()).size).toBe(0);
        expect((await data.form()).size).toBe(0);
      } finally {
        await data.close();
      }
    });

    it('test_end_of_file (Flagon answers 400)', async () => {
      const data = await fromValues({ data: endOfFile, contentType: 'multipart/form-data; boundary=foo' });
      await expect(data.files()).rejects.toBeInstanceOf(BadRequest);
      await expect(data.form()).rejects.toBeInstanceOf(BadRequest);
      await data.close();
      expect((await post(endOfFile, 'multipart/form-data; boundary=foo')).status).toBe(400);
    });

    it('test_file_no_content_type', async () => {
      const body = b(
        '--foo\r\n' +
          'Content-Disposition: form-data; name="test"; filename="test.txt"\r\n\r\n' +
          'file contents\r\n--foo--',
      );
      const data = await fromValues({ data: body, contentType: 'multipart/form-data; boundary=foo' });
      try {
        const test = (await data.files()).get('test')!;
        expect(test.filename).toBe('test.txt');
        expect(utf8.decode(await test.bytes())).toBe('file contents');
      } finally {
        await data.close();
      }
    });

    it('test_extra_newline', async () => {
      // this test looks innocent but it was actually timing out in the Werkzeug 0.5 release version (#394)
      const body = b(
        '\r\n\r\n--foo\r\n' + 'Content-Disposition: form-data; name="foo"\r\n\r\n' + 'a string\r\n' + '--foo--',
      );
      const data = await fromValues({ data: body, contentType: 'multipart/form-data; boundary=foo' });
      expect((await data.files()).size).toBe(0);
      expect((await data.form()).get('foo')).toBe('a string');
    });

    const headersBody = b(
      '--foo\r\n' +
        'Content-Disposition: form-data; name="foo"; filename="foo.txt"\r\n' +
        'X-Custom-Header: blah\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n\r\n' +
        'file contents, just the contents\r\n' +
        '--foo--',
    );

    it('test_headers (the media type)', async () => {
      const req = await fromValues({ data: headersBody, contentType: 'multipart/form-data; boundary=foo' });
      try {
        // Werkzeug's foo.mimetype: Flagon's contentType is the media type without its parameters
        expect((await req.files()).get('foo')!.contentType).toBe('text/plain');
      } finally {
        await req.close();
      }
    });

    // MISSING: a FileStorage has no `headers` (the part's own headers, X-Custom-Header here), no `mimetypeParams`,
    // and its `contentType` is the media type without parameters ('text/plain'), where Werkzeug's content_type is the
    // whole header ('text/plain; charset=utf-8') and mimetype_params is {'charset': 'utf-8'}.
    it.fails('test_headers', async () => {
      const req = await fromValues({ data: headersBody, contentType: 'multipart/form-data; boundary=foo' });
      try {
        // Werkzeug's FileStorage names, which Flagon's FileStorage lacks
        const foo = (await req.files()).get('foo') as FileStorage & {
          mimetype?: string;
          mimetypeParams?: Record<string, string>;
          headers?: Headers;
        };
        expect(foo.mimetype).toBe('text/plain');
        expect(foo.mimetypeParams).toEqual({ charset: 'utf-8' });
        expect(foo.headers?.get('content-type')).toBe(foo.contentType);
        expect(foo.contentType).toBe('text/plain; charset=utf-8');
        expect(foo.headers?.get('x-custom-header')).toBe('blah');
      } finally {
        await req.close();
      }
    });

    const lineEndings = (ending: string): Uint8Array =>
      b(
        [
          '--foo',
          'Content-Disposition: form-data; name=foo',
          '',
          'this is just bar',
          '--foo',
          'Content-Disposition: form-data; name=bar',
          '',
          'blafasel',
          '--foo--',
        ].join(ending),
      );

    it('test_nonstandard_line_endings "\\r\\n"', async () => {
      const req = await fromValues({ data: lineEndings('\r\n'), contentType: 'multipart/form-data; boundary=foo' });
      const form = await req.form();
      expect(form.get('foo')).toBe('this is just bar');
      expect(form.get('bar')).toBe('blafasel');
    });

    // DIFFERENCE: lines must end in CRLF, as RFC 2046 §5.1.1 and RFC 7578 require (busboy's parser): a body whose
    // lines end in a bare LF or CR answers 400; Werkzeug reads it.
    it.fails.each(['\n', '\r'])('test_nonstandard_line_endings %j', async (ending) => {
      const req = await fromValues({ data: lineEndings(ending), contentType: 'multipart/form-data; boundary=foo' });
      const form = await req.form();
      expect(form.get('foo')).toBe('this is just bar');
      expect(form.get('bar')).toBe('blafasel');
    });

    it.each(['\n', '\r'])('test_nonstandard_line_endings %j (Flagon answers 400)', async (ending) => {
      const req = await fromValues({ data: lineEndings(ending), contentType: 'multipart/form-data; boundary=foo' });
      await expect(req.form()).rejects.toBeInstanceOf(BadRequest);
      expect((await post(lineEndings(ending), 'multipart/form-data; boundary=foo')).status).toBe(400);
    });

    it('test_failures', async () => {
      // Werkzeug's MultiPartParser(content_length).parse(stream, boundary, content_length) raising ValueError:
      // Flagon's parser throws a BadRequest, and a client gets the 400.
      const parseMultipartBody = (data: Uint8Array, boundary: string) =>
        parseMultipart(
          createEnviron('/', { method: 'POST', body: data }),
          `multipart/form-data; boundary=${boundary}`,
          {
            maxContentLength: data.byteLength,
            maxFormMemorySize: null,
            maxFormParts: null,
          },
        );

      let data = b('--foo\r\n\r\nHello World\r\n--foo--');
      await expect(parseMultipartBody(data, 'foo')).rejects.toBeInstanceOf(BadRequest);
      expect((await post(data, 'multipart/form-data; boundary=foo')).status).toBe(400);

      data = b('--foo\r\nContent-Disposition: form-field; name=foo\r\n\r\nHello World\r\n');
      await expect(parseMultipartBody(data, 'foo')).rejects.toBeInstanceOf(BadRequest);
      expect((await post(data, 'multipart/form-data; boundary=foo')).status).toBe(400);
    });

    it('test_empty_multipart', async () => {
      const data = b('--boundary--');
      const environ = createEnviron('/', {
        method: 'POST',
        body: data,
        headers: { 'Content-Type': 'multipart/form-data; boundary=boundary', 'Content-Length': String(data.length) },
      });
      const { form, files, cleanup } = await parseMultipart(environ, environ.CONTENT_TYPE!, {
        maxContentLength: null,
        maxFormMemorySize: 500_000,
        maxFormParts: 1_000,
      });
      // what is left of the input: nothing
      const rest: Uint8Array[] = [];
      for await (const chunk of environ['tsgi.input']) rest.push(chunk);
      expect(rest).toEqual([]);
      expect(form.size).toBe(0);
      expect(files.size).toBe(0);
      await cleanup();
    });
  });

  describe('TestMultiPartParser', () => {
    // N/A: the parser's stream_factory and cls (Python classes to build file objects and the MultiDict); Flagon's
    // parser takes limits, a spool threshold and a temp dir (MultipartLimits), and always gives MultiDicts.
    it.skip('test_constructor_not_pass_stream_factory_and_cls', () => {});

    // N/A: as test_constructor_not_pass_stream_factory_and_cls.
    it.skip('test_constructor_pass_stream_factory_and_cls', () => {});

    // MISSING: RFC 2231 parameter continuations (filename*0*=…; filename*1*=…) are not read: busboy cannot parse the
    // Content-Disposition, and the part is skipped, so the file is not in files() at all. Werkzeug joins them into
    // 'a b c d e f.txt'. RFC 7578 §4.2 says senders must not use the RFC 5987 `filename*` form; browsers do not.
    it.fails('test_file_rfc2231_filename_continuations', async () => {
      const data = b(
        '--foo\r\n' +
          'Content-Type: text/plain; charset=utf-8\r\n' +
          'Content-Disposition: form-data; name=rfc2231;\r\n' +
          "\tfilename*0*=ascii''a%20b%20;\r\n" +
          '\tfilename*1*=c%20d%20;\r\n' +
          '\tfilename*2="e f.txt"\r\n\r\n' +
          'file contents\r\n--foo--',
      );
      const request = await fromValues({ data, contentType: 'multipart/form-data; boundary=foo' });
      try {
        const file = (await request.files()).get('rfc2231');
        expect(file?.filename).toBe('a b c d e f.txt');
        expect(utf8.decode(await file!.bytes())).toBe('file contents');
      } finally {
        await request.close();
      }
    });
  });

  const maxFormMemorySizeRow = async (disposition: string) => {
    // max_form_memory_size is tracked across multiple data events.
    const data = b(`--bound\r\nContent-Disposition: ${disposition}; name=a\r\n\r\n${'a'.repeat(15)}\r\n--bound--`);
    // Werkzeug's buffer_size=5: the body arrives in chunks of 5 bytes, less than the max size, so the field comes in
    // several data events; the field size is greater than the max.
    const chunks = Array.from({ length: Math.ceil(data.length / 5) }, (_, i) => data.subarray(i * 5, i * 5 + 5));
    const environ = createEnviron('/', { method: 'POST', body: chunks });
    await expect(
      parseMultipart(environ, 'multipart/form-data; boundary=bound', {
        maxContentLength: null,
        maxFormMemorySize: 10,
        maxFormParts: 1_000,
      }),
    ).rejects.toBeInstanceOf(RequestEntityTooLarge);
    const whole = b(`--bound\r\nContent-Disposition: ${disposition}; name=a\r\n\r\n${'a'.repeat(15)}\r\n--bound--`);
    expect((await post(whole, 'multipart/form-data; boundary=bound', { maxFormMemorySize: 10 })).status).toBe(413);
  };

  // DIFFERENCE: the part is `Content-Disposition: form-field`, which Flagon skips (RFC 7578 §4.2, as in
  // test_limiting (multipart)), so nothing is over the limit; the next row checks the limit with a form-data part.
  it.fails('test_multipart_max_form_memory_size', () => maxFormMemorySizeRow('form-field'));

  it('test_multipart_max_form_memory_size (with a form-data part)', () => maxFormMemorySizeRow('form-data'));
});
