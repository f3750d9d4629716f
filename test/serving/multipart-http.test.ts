/** Multipart uploads over real HTTP: real browser captures, limits at ±1, malformed bodies, spooling and cleanup. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, type FileStorage } from 'flagon';
import { serve, silentStream, type RunningServer } from 'flagon/serving';
import { exchangeRaw } from '../helpers/http.js';

/** Browser captures from Werkzeug's test suite (BSD-3-Clause, see the folder's LICENSE-werkzeug.txt). */
const FIXTURES = new URL('../fixtures/multipart/', import.meta.url);
const CAPTURES: Array<[string, string, Record<string, [string, string]>]> = [
  [
    'firefox3-2png1txt',
    '---------------------------186454651713519341951581030105',
    { file1: ['anchor.png', 'image/png'], file2: ['application_edit.png', 'image/png'] },
  ],
  [
    'firefox3-2pnglongtext',
    '---------------------------14904044739787191031754711748',
    { file1: ['accept.png', 'image/png'], file2: ['add.png', 'image/png'] },
  ],
  [
    'opera8-2png1txt',
    '----------zEO9jQKmLc2Cq88c23Dx19',
    { file1: ['arrow_branch.png', 'image/png'], file2: ['award_star_bronze_1.png', 'image/png'] },
  ],
  [
    'webkit3-2png1txt',
    '----WebKitFormBoundaryjdSFhcARk8fyGNy6',
    { file1: ['gtk-apply.png', 'image/png'], file2: ['gtk-no.png', 'image/png'] },
  ],
  [
    'ie6-2png1txt',
    '---------------------------7d91b03a20128',
    { file1: ['file1.png', 'image/x-png'], file2: ['file2.png', 'image/x-png'] },
  ],
];

let seenSpools: string[] = [];
const app = new App(import.meta.url, {
  name: 'uploads',
  config: { MAX_FORM_MEMORY_SIZE: 100, MAX_FORM_PARTS: 3, MAX_CONTENT_LENGTH: 2_000_000 },
  staticFolder: null,
});
app.post('/upload', async (req) => {
  const form = await req.form();
  const files = await req.files();
  const describeFile = async (file: FileStorage) => {
    const bytes = await file.bytes();
    if (file.spooled) {
      const path = (file as unknown as { stream(): { path: string } }).stream().path;
      seenSpools.push(path);
      expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
    }
    return {
      filename: file.filename,
      contentType: file.contentType,
      size: file.size,
      hex: Buffer.from(bytes).toString('hex'),
      spooled: file.spooled,
    };
  };
  const out: Record<string, unknown> = { fields: form.toObjectAll(), files: {} };
  for (const [name, file] of files) (out.files as Record<string, unknown>)[name] = await describeFile(file);
  return out;
});

let server: RunningServer;
beforeAll(async () => {
  server = await serve(app.gatewayApp, { port: 0, errors: silentStream });
});
afterAll(() => server.close());

/** What the test app answers: its form fields and, per file field, what it saw of the file. */
type Echo = Record<string, unknown> & { files: Record<string, Record<string, unknown>> };
function post(
  body: Buffer,
  contentType: string,
  extraHeaders = '',
): Promise<{ status: number; json: () => Echo; text: string }> {
  const head = `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n${extraHeaders}\r\n`;
  return exchangeRaw(server.port, Buffer.concat([Buffer.from(head, 'latin1'), body])).then((raw) => {
    const status = Number(raw.slice(9, 12));
    const text = Buffer.from(raw.slice(raw.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8');
    return { status, text, json: () => JSON.parse(text) as Echo };
  });
}

function multipart(
  boundary: string,
  parts: Array<{ name: string; value: string | Buffer; filename?: string; type?: string }>,
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`,
      ),
      Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe('real browser captures', () => {
  it.each(CAPTURES)('%s parses to the expected fields, filenames, types and bytes', async (dir, boundary, expected) => {
    const body = readFileSync(new URL(`${dir}/request.http`, FIXTURES));
    app.config.MAX_FORM_PARTS = 1000;
    const response = await post(body, `multipart/form-data; boundary="${boundary}"`);
    app.config.MAX_FORM_PARTS = 3;
    expect(response.status).toBe(200);
    const json = response.json();
    // text.txt ends with a newline that is not part of the field (the README's table shows the values)
    // text.txt is stored with LF line ends and a final newline; the field's value is the README's (CRLF inside).
    expect(json.fields).toEqual({
      text: [
        readFileSync(new URL(`${dir}/text.txt`, FIXTURES), 'utf8')
          .replace(/\n$/, '')
          .replace(/\n/g, '\r\n'),
      ],
    });
    for (const [field, [filename, contentType]] of Object.entries(expected)) {
      const file = readFileSync(new URL(`${dir}/${field}.png`, FIXTURES));
      expect(json.files[field]).toEqual({
        filename,
        contentType,
        size: file.length,
        hex: file.toString('hex'),
        spooled: false,
      });
    }
  });

  it("reduces IE 7's full path to the last component", async () => {
    // This capture is stored with bare LF line ends (od shows no CR anywhere); IE 7 sent CRLF, as multipart requires.
    const body = Buffer.from(
      readFileSync(new URL('ie7_full_path_request.http', FIXTURES), 'latin1').replace(/\r?\n/g, '\r\n'),
      'latin1',
    );
    const saved = app.config.MAX_FORM_PARTS;
    app.config.MAX_FORM_PARTS = 1000;
    app.config.MAX_FORM_MEMORY_SIZE = 100_000;
    const response = await post(body, 'multipart/form-data; boundary="---------------------------7da36d1b4a0164"');
    app.config.MAX_FORM_PARTS = saved;
    app.config.MAX_FORM_MEMORY_SIZE = 100;
    expect(response.status).toBe(200);
    expect(response.json().files.cb_file_upload_multiple?.filename).toBe(
      'Sellersburg Town Council Meeting 02-22-2010doc.doc',
    );
  });
});

describe('limits, at the limit and one past it', () => {
  const B = 'limitboundary';
  const type = `multipart/form-data; boundary=${B}`;
  it('MAX_FORM_MEMORY_SIZE per field', async () => {
    expect((await post(multipart(B, [{ name: 'a', value: 'x'.repeat(99) }]), type)).status).toBe(200);
    expect((await post(multipart(B, [{ name: 'a', value: 'x'.repeat(100) }]), type)).status).toBe(200);
    const over = await post(multipart(B, [{ name: 'a', value: 'x'.repeat(101) }]), type);
    expect([over.status, over.text.includes('passed the limit of 100 bytes')]).toEqual([413, true]);
  });
  it('MAX_FORM_PARTS', async () => {
    expect(
      (
        await post(
          multipart(
            B,
            [1, 2].map((n) => ({ name: `f${n}`, value: 'v' })),
          ),
          type,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await post(
          multipart(
            B,
            [1, 2, 3].map((n) => ({ name: `f${n}`, value: 'v' })),
          ),
          type,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await post(
          multipart(
            B,
            [1, 2, 3, 4].map((n) => ({ name: `f${n}`, value: 'v' })),
          ),
          type,
        )
      ).status,
    ).toBe(413);
  });
  it('a per-file limit', async () => {
    const request = (size: number) => multipart(B, [{ name: 'f', value: Buffer.alloc(size), filename: 'a.bin' }]);
    const limited = new App(import.meta.url, { name: 'files', staticFolder: null });
    limited.post('/upload', async (req) => {
      req.maxFileSize = 1000;
      return { size: (await req.files()).get('f')?.size ?? null };
    });
    const running = await serve(limited.gatewayApp, { port: 0, errors: silentStream });
    try {
      const send = (body: Buffer) =>
        exchangeRaw(
          running.port,
          Buffer.concat([
            Buffer.from(
              `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
            ),
            body,
          ]),
        );
      expect(await send(request(1000))).toMatch(/^HTTP\/1\.1 200 [\s\S]*\{"size":1000\}/);
      expect(await send(request(1001))).toMatch(/^HTTP\/1\.1 413 /);
    } finally {
      await running.close();
    }
  });

  it('MAX_CONTENT_LENGTH, declared', async () => {
    const exact = multipart(B, [{ name: 'f', value: Buffer.alloc(1000), filename: 'a.bin' }]);
    app.config.MAX_CONTENT_LENGTH = exact.length;
    expect((await post(exact, type)).status).toBe(200);
    app.config.MAX_CONTENT_LENGTH = exact.length - 1;
    expect((await post(exact, type)).status).toBe(413);
    app.config.MAX_CONTENT_LENGTH = 2_000_000;
  });
});

describe('malformed bodies and cleanup', () => {
  it('answer 400 with a clear message, and the server lives on', async () => {
    const noBoundary = await post(Buffer.from('whatever'), 'multipart/form-data');
    expect([noBoundary.status, noBoundary.text.includes('cannot be read')]).toEqual([400, true]);
    const truncated = multipart('cut', [{ name: 'f', value: 'x'.repeat(50), filename: 'a.txt' }]).subarray(0, 60);
    expect((await post(truncated, 'multipart/form-data; boundary=cut')).status).toBe(400);
    expect(
      (await post(multipart('ok', [{ name: 'a', value: 'fine' }]), 'multipart/form-data; boundary=ok')).json().fields,
    ).toEqual({ a: ['fine'] });
  });

  it('spools files past 500 kB to a 0600 temp file and removes it when the request ends', async () => {
    seenSpools = [];
    const big = Buffer.alloc(600_000, 7);
    const response = await post(
      multipart('big', [{ name: 'upload', value: big, filename: 'big.bin', type: 'application/octet-stream' }]),
      'multipart/form-data; boundary=big',
    );
    expect(response.status).toBe(200);
    expect(response.json().files.upload).toMatchObject({ size: 600_000, spooled: true });
    expect(seenSpools).toHaveLength(1);
    for (let i = 0; i < 50 && existsSync(seenSpools[0]!); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(existsSync(seenSpools[0]!)).toBe(false);
  });
});

describe('streaming parts and aborted uploads', () => {
  it('streams parts as they arrive, with files written straight to disk', async () => {
    const { createWriteStream, mkdtempSync, readFileSync: read } = await import('node:fs');
    const { pipeline } = await import('node:stream/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'flagon-parts-'));
    const streaming = new App(import.meta.url, { name: 'parts', staticFolder: null });
    streaming.post('/stream', async (req) => {
      const seen: string[] = [];
      for await (const part of req.parts()) {
        if (part.kind === 'field') seen.push(`field ${part.name}=${part.value}`);
        else if (part.name === 'skip')
          seen.push(`skipped ${part.filename}`); // never read: drained for us
        else {
          await pipeline(part.stream, createWriteStream(join(dir, 'out.bin')));
          seen.push(`file ${part.filename}`);
        }
      }
      return seen;
    });
    const running = await serve(streaming.gatewayApp, { port: 0, errors: silentStream });
    try {
      const big = Buffer.alloc(3_000_000, 9);
      const body = multipart('st', [
        { name: 'title', value: 'hello' },
        { name: 'skip', value: Buffer.alloc(100_000), filename: 'skip.bin' },
        { name: 'upload', value: big, filename: 'C:\\Users\\ada\\big.bin' },
        { name: 'after', value: 'end' },
      ]);
      const raw = await exchangeRaw(
        running.port,
        Buffer.concat([
          Buffer.from(
            `POST /stream HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=st\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
          ),
          body,
        ]),
      );
      expect(raw).toMatch(/^HTTP\/1\.1 200 /);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual([
        'field title=hello',
        'skipped skip.bin',
        'file big.bin',
        'field after=end',
      ]);
      expect(read(join(dir, 'out.bin')).equals(big)).toBe(true);
    } finally {
      await running.close();
    }
  });

  it('leaves no temp file and no open descriptor after 100 uploads aborted halfway', async () => {
    const { readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { connect } = await import('node:net');
    const temps = () => readdirSync(tmpdir()).filter((name) => name.startsWith('flagon-upload-')).length;
    const fds = () => readdirSync('/proc/self/fd').length;
    const uploads = new App(import.meta.url, { name: 'aborts', staticFolder: null });
    let started = 0;
    uploads.post('/upload', async (req) => {
      started++;
      return { n: (await req.files()).size };
    });
    const running = await serve(uploads.gatewayApp, { port: 0, errors: silentStream });
    try {
      const tempsBefore = temps();
      const fdsBefore = fds();
      const body = multipart('ab', [{ name: 'f', value: Buffer.alloc(2_000_000, 1), filename: 'a.bin' }]);
      const half = body.subarray(0, 1_000_000); // past the 500 kB spool threshold, so a temp file exists
      let sawTemp = 0;
      for (let i = 0; i < 100; i++) {
        await new Promise<void>((resolve) => {
          const socket = connect(running.port, '127.0.0.1', () => {
            socket.write(
              `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=ab\r\nContent-Length: ${body.length}\r\n\r\n`,
            );
            socket.write(half, () =>
              setTimeout(() => {
                if (temps() > tempsBefore) sawTemp++; // spooling had begun: the abort has a file to clean up
                socket.destroy();
                resolve();
              }, 15),
            );
          });
          socket.on('error', () => resolve());
        });
      }
      for (let i = 0; i < 100 && temps() > tempsBefore; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(started).toBe(100);
      expect(sawTemp).toBeGreaterThan(50);
      expect(temps()).toBe(tempsBefore);
      expect(Math.abs(fds() - fdsBefore)).toBeLessThanOrEqual(2);
    } finally {
      await running.close();
    }
  }, 60_000);
});

describe('413s reach the client and clean up', () => {
  it('answers a large upload over MAX_CONTENT_LENGTH with a 413 response, not a reset, and removes its temp file', async () => {
    const { readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { fetchRaw } = await import('../helpers/http.js');
    const temps = () => readdirSync(tmpdir()).filter((name) => name.startsWith('flagon-upload-')).length;
    const limited = new App(import.meta.url, {
      name: 'limited',
      config: { MAX_CONTENT_LENGTH: 1_000_000 },
      staticFolder: null,
    });
    limited.post('/upload', async (req) => ({ n: (await req.files()).size }));
    limited.post('/per-file', async (req) => {
      req.maxFileSize = 700_000;
      return { n: (await req.files()).size };
    });
    const running = await serve(limited.gatewayApp, { port: 0, errors: silentStream });
    try {
      const before = temps();
      const declaredOver = multipart('big', [{ name: 'f', value: Buffer.alloc(5_000_000), filename: 'a.bin' }]);
      const response = await fetchRaw(`${running.url}/upload`, {
        method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data; boundary=big' },
        body: declaredOver,
      });
      expect([response.status, response.text.includes('413 Content Too Large')]).toEqual([413, true]);
      // spooled past 500 kB, then over the per-file limit mid-file: 413, and the temp file is gone
      const perFile = multipart('pf', [{ name: 'f', value: Buffer.alloc(800_000), filename: 'b.bin' }]);
      const mid = await fetchRaw(`${running.url}/per-file`, {
        method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data; boundary=pf' },
        body: perFile,
      });
      expect(mid.status).toBe(413);
      expect(temps()).toBe(before);
    } finally {
      await running.close();
    }
  });
});
