/**
 * Every body limit at limit−1, limit and limit+1, with a declared Content-Length and with a chunked body: 200 with the
 * byte (or part) count echoed up to the limit, 413 past it.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Request, Response } from 'flagon';
import type { GatewayApp } from 'flagon/gateway';
import { serve, type RunningServer } from 'flagon/serving';
import { collectingStream } from 'flagon/testing';

type Framing = 'length' | 'chunked';
const FRAMINGS: readonly Framing[] = ['length', 'chunked'];
const BOUNDARY = 'adversarial-boundary-31f9';
const MIB = 1_048_576;

interface Answer {
  status: number;
  body: string;
}

/**
 * POSTs `body` on a fresh connection, framed by Content-Length or as three chunks, and reads the answer until the
 * server closes (the request says `Connection: close`). A write the server refused to read is not an error here:
 * what counts is the answer it sent.
 */
function post(port: number, path: string, contentType: string, body: Buffer, framing: Framing): Promise<Answer> {
  const framingHeader = framing === 'length' ? `Content-Length: ${body.length}` : 'Transfer-Encoding: chunked';
  const head = Buffer.from(
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\n${framingHeader}\r\nConnection: close\r\n\r\n`,
    'latin1',
  );
  let payload: Buffer;
  if (framing === 'length') {
    payload = Buffer.concat([head, body]);
  } else {
    const cuts = [0, Math.floor(body.length / 3), Math.floor((2 * body.length) / 3), body.length];
    const parts: Buffer[] = [head];
    for (let i = 0; i < 3; i++) {
      const piece = body.subarray(cuts[i], cuts[i + 1]);
      if (piece.length > 0) parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    payload = Buffer.concat(parts);
  }
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(payload));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // EPIPE/ECONNRESET after the server answered early; 'close' follows
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(raw);
      const headEnd = raw.indexOf('\r\n\r\n');
      resolve({
        status: match ? Number(match[1]) : 0,
        body: headEnd < 0 ? (raw === '' ? '(closed without a response)' : raw) : raw.slice(headEnd + 4),
      });
    });
  });
}

const ascii = (n: number, fill = 'a'): Buffer => Buffer.alloc(n, fill);
/** A JSON string literal of exactly `n` bytes. */
const jsonOf = (n: number): Buffer => Buffer.from(`"${'j'.repeat(n - 2)}"`);
/** An urlencoded form of exactly `n` bytes. */
const formOf = (n: number): Buffer => Buffer.from(`a=${'f'.repeat(n - 2)}`);
function multipart(parts: Array<{ name: string; value: Buffer; filename?: string }>): Buffer {
  const out: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.filename === undefined ? '' : 'Content-Type: application/octet-stream\r\n';
    out.push(
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`),
      part.value,
      Buffer.from('\r\n'),
    );
  }
  out.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(out);
}
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** An App with `config` whose routes echo what they read: bytes, a JSON body, an urlencoded or multipart form. */
function echoApp(config: Record<string, unknown>): App {
  const app = new App(import.meta.url, { name: 'limits', config, staticFolder: null });
  app.post('/bytes', async (req) => String((await req.bytes()).byteLength));
  app.post('/text', async (req) => String(Buffer.byteLength(await req.text())));
  app.post('/json', async (req) => String(Buffer.byteLength(JSON.stringify(await req.json()))));
  app.post('/form', async (req) => {
    const form = await req.form();
    return String(form.get('a') === undefined ? -1 : form.get('a')!.length + 2); // the bytes of `a=<value>`
  });
  app.post('/field', async (req) => String((await req.form()).get('field')?.length ?? -1));
  app.post('/parts', async (req) => String((await req.form()).size));
  return app;
}

/** A plain TSGI app from Request.application with the request option maxFileSize. */
const fileApp: GatewayApp = Request.application(
  async (req) => {
    const file = (await req.files()).get('f');
    return new Response(String(file?.size ?? -1));
  },
  { maxFileSize: 1000 },
);

interface Limit {
  name: string;
  app: () => GatewayApp;
  limit: number;
  path: string;
  contentType: string;
  /** The request body that carries `n` units (bytes, or parts for MAX_FORM_PARTS). */
  body: (n: number) => Buffer;
}

const LIMITS: readonly Limit[] = [
  {
    name: 'MAX_CONTENT_LENGTH through bytes()',
    app: () => echoApp({ MAX_CONTENT_LENGTH: 1000 }).gatewayApp,
    limit: 1000,
    path: '/bytes',
    contentType: 'application/octet-stream',
    body: ascii,
  },
  {
    name: 'MAX_CONTENT_LENGTH through json()',
    app: () => echoApp({ MAX_CONTENT_LENGTH: 1000 }).gatewayApp,
    limit: 1000,
    path: '/json',
    contentType: 'application/json',
    body: jsonOf,
  },
  {
    name: 'MAX_CONTENT_LENGTH through form()',
    app: () => echoApp({ MAX_CONTENT_LENGTH: 1000 }).gatewayApp,
    limit: 1000,
    path: '/form',
    contentType: 'application/x-www-form-urlencoded',
    body: formOf,
  },
  {
    name: 'MAX_FORM_MEMORY_SIZE, urlencoded form',
    app: () => echoApp({ MAX_FORM_MEMORY_SIZE: 1000 }).gatewayApp,
    limit: 1000,
    path: '/form',
    contentType: 'application/x-www-form-urlencoded',
    body: formOf,
  },
  {
    name: 'MAX_FORM_MEMORY_SIZE, multipart text field',
    app: () => echoApp({ MAX_FORM_MEMORY_SIZE: 1000 }).gatewayApp,
    limit: 1000,
    path: '/field',
    contentType: MULTIPART,
    body: (n) => multipart([{ name: 'field', value: ascii(n, 'v') }]),
  },
  {
    name: 'MAX_FORM_PARTS',
    app: () => echoApp({ MAX_FORM_PARTS: 5 }).gatewayApp,
    limit: 5,
    path: '/parts',
    contentType: MULTIPART,
    body: (n) => multipart(Array.from({ length: n }, (_, i) => ({ name: `p${i}`, value: Buffer.from(`value ${i}`) }))),
  },
  {
    name: 'maxFileSize (request option), multipart file',
    app: () => fileApp,
    limit: 1000,
    path: '/',
    contentType: MULTIPART,
    body: (n) => multipart([{ name: 'f', filename: 'f.bin', value: ascii(n, 'F') }]),
  },
  {
    name: 'MAX_BODY_MEMORY_SIZE default (1 MiB) through bytes()',
    app: () => echoApp({}).gatewayApp,
    limit: MIB,
    path: '/bytes',
    contentType: 'application/octet-stream',
    body: ascii,
  },
  {
    name: 'MAX_BODY_MEMORY_SIZE 2000 through bytes()',
    app: () => echoApp({ MAX_BODY_MEMORY_SIZE: 2000 }).gatewayApp,
    limit: 2000,
    path: '/bytes',
    contentType: 'application/octet-stream',
    body: ascii,
  },
  {
    name: 'MAX_BODY_MEMORY_SIZE 2000 through text()',
    app: () => echoApp({ MAX_BODY_MEMORY_SIZE: 2000 }).gatewayApp,
    limit: 2000,
    path: '/text',
    contentType: 'text/plain',
    body: ascii,
  },
  {
    name: 'MAX_BODY_MEMORY_SIZE 2000 through json()',
    app: () => echoApp({ MAX_BODY_MEMORY_SIZE: 2000 }).gatewayApp,
    limit: 2000,
    path: '/json',
    contentType: 'application/json',
    body: jsonOf,
  },
  {
    name: 'MAX_BODY_MEMORY_SIZE 2000 through form()',
    app: () => echoApp({ MAX_BODY_MEMORY_SIZE: 2000 }).gatewayApp,
    limit: 2000,
    path: '/form',
    contentType: 'application/x-www-form-urlencoded',
    body: formOf,
  },
];

const servers = new Map<string, RunningServer>();
beforeAll(async () => {
  for (const limit of LIMITS)
    servers.set(limit.name, await serve(limit.app(), { port: 0, errors: collectingStream() }));
});
afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.close()));
});

describe('body limits at limit−1, limit and limit+1', () => {
  for (const limit of LIMITS) {
    for (const framing of FRAMINGS) {
      it(`${limit.name}, ${framing === 'length' ? 'Content-Length' : 'chunked'}`, async () => {
        const port = servers.get(limit.name)!.port;
        const seen: Array<[number, number, string]> = [];
        for (const n of [limit.limit - 1, limit.limit, limit.limit + 1]) {
          const answer = await post(port, limit.path, limit.contentType, limit.body(n), framing);
          seen.push([n, answer.status, answer.status === 200 ? answer.body : answer.body.slice(0, 60)]);
        }
        const n = limit.limit;
        expect(seen.map(([size, status, body]) => [size, status, status === 200 ? body : ''])).toEqual([
          [n - 1, 200, String(n - 1)],
          [n, 200, String(n)],
          [n + 1, 413, ''],
        ]);
      });
    }
  }
});
