/**
 * Every adapter with a TSGI 1.1 app whose body chunks are strings: node:http, Express and Fastify mounts over real
 * HTTP, the Fetch handler (and back through fromFetchHandler), fromNodeListener, and CGI. Content-Length always counts
 * UTF-8 bytes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import {
  flagonPlugin,
  fromFetchHandler,
  fromNodeListener,
  runCgi,
  toFetchHandler,
  toNodeHandler,
} from 'flagon/adapters';
import type { Body, BodyChunk, ErrorStream, GatewayApp } from 'flagon/gateway';
import { createEnviron, runApp } from 'flagon/testing';
import { fetchRaw } from '../helpers/http.js';

const silent: ErrorStream = { write: () => {}, flush: () => {} };
const SNOWMAN = 'héllo ☃'; // 10 UTF-8 bytes
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Answers `/list` with a list of strings, `/stream` with an async generator, `/write` with write(), `/mixed` with both kinds. */
const stringApp: GatewayApp = (environ, startResponse) => {
  const write = startResponse('200 OK', [['Content-Type', 'text/plain; charset=utf-8']]);
  switch (environ.PATH_INFO) {
    case '/list':
      return [SNOWMAN, '!'];
    case '/stream':
      return (async function* () {
        yield SNOWMAN;
        yield '';
        yield '!';
      })();
    case '/write':
      write(SNOWMAN);
      write('');
      write('!');
      return [];
    default:
      return (function* (): Generator<BodyChunk> {
        yield SNOWMAN;
        yield bytes('!');
      })();
  }
};
const PATHS = ['/list', '/stream', '/write', '/mixed'];

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Each path of stringApp under `base`: the text, and the Content-Length the list gets. */
async function checkOverHttp(base: string): Promise<void> {
  for (const path of PATHS) {
    const response = await fetchRaw(`${base}${path}`);
    expect([path, response.status, response.text, response.complete]).toEqual([path, 200, `${SNOWMAN}!`, true]);
    if (path === '/list') expect(response.headers['content-length']).toBe('11');
  }
}

describe('node-style hosts', () => {
  it('toNodeHandler in node:http', async () => {
    await checkOverHttp(`${await listen(toNodeHandler(stringApp, { prefix: '/flagon', errors: silent }))}/flagon`);
  });

  it('toNodeHandler in Express', async () => {
    const host = express();
    host.use('/flagon', toNodeHandler(stringApp, { errors: silent }));
    await checkOverHttp(`${await listen(host)}/flagon`);
  });

  it('flagonPlugin in Fastify', async () => {
    const fastify = Fastify();
    await fastify.register(flagonPlugin, { app: stringApp, prefix: '/flagon', errors: silent });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      await checkOverHttp(`http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}/flagon`);
    } finally {
      await fastify.close();
    }
  });
});

describe('toFetchHandler', () => {
  const handler = toFetchHandler(stringApp, { errors: silent });

  it('answers each kind of string body with the right text, and a list with its UTF-8 Content-Length', async () => {
    for (const path of PATHS) {
      const response = await handler(new Request(`http://localhost${path}`));
      expect([path, response.status, await response.text()]).toEqual([path, 200, `${SNOWMAN}!`]);
    }
    expect((await handler(new Request('http://localhost/list'))).headers.get('content-length')).toBe('11');
    expect((await handler(new Request('http://localhost/write'))).headers.get('content-length')).toBe('11'); // write() only: length known at the end
  });

  it('gives one string chunk its byte length, and HEAD the same length with no body', async () => {
    const one = toFetchHandler((_environ, startResponse) => {
      startResponse('200 OK', []);
      return [SNOWMAN];
    });
    const get = await one(new Request('http://localhost/'));
    expect([get.headers.get('content-length'), new Uint8Array(await get.arrayBuffer()).byteLength]).toEqual(['10', 10]);
    const head = await one(new Request('http://localhost/', { method: 'HEAD' }));
    expect([head.headers.get('content-length'), head.body]).toEqual(['10', null]);
  });

  it('streams string chunks as bytes', async () => {
    const response = await handler(new Request('http://localhost/stream'));
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(first.value)).toBe(SNOWMAN);
    await reader.cancel();
  });

  it('goes back to TSGI through fromFetchHandler with the text intact', async () => {
    const roundTrip = fromFetchHandler(handler);
    for (const path of PATHS)
      expect([path, (await runApp(roundTrip, createEnviron(path))).text]).toEqual([path, `${SNOWMAN}!`]);
  });
});

describe('fromNodeListener around a mounted string app', () => {
  it('passes the text through a node listener and back', async () => {
    const app = fromNodeListener(toNodeHandler(stringApp, { errors: silent }));
    for (const path of PATHS)
      expect([path, (await runApp(app, createEnviron(path))).text]).toEqual([path, `${SNOWMAN}!`]);
  });
});

describe('runCgi', () => {
  async function cgi(app: GatewayApp, path: string): Promise<Buffer> {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const env = {
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '/app.cgi',
      PATH_INFO: path,
      SERVER_NAME: 'example.org',
      SERVER_PORT: '80',
      SERVER_PROTOCOL: 'HTTP/1.1',
    };
    expect(await runCgi(app, { env, stdin: [], stdout, stderr: { write: () => true } })).toBe(0);
    return Buffer.concat(chunks);
  }

  it("writes string chunks as UTF-8, and a list's Content-Length in bytes", async () => {
    for (const path of PATHS) {
      const out = await cgi(stringApp, path);
      const split = out.indexOf('\r\n\r\n');
      expect([path, out.subarray(split + 4).toString('utf8')]).toEqual([path, `${SNOWMAN}!`]);
      if (path === '/list') expect(out.subarray(0, split).toString('latin1')).toContain('Content-Length: 11');
    }
  });

  it('answers 500 to a chunk that is neither a string nor bytes', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('latin1');
    });
    let log = '';
    const broken: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', []);
      return [{}] as unknown as Body;
    };
    const status = await runCgi(broken, {
      env: { REQUEST_METHOD: 'GET', PATH_INFO: '/' },
      stdin: [],
      stdout,
      stderr: {
        write: (text: string) => {
          log += text;
          return true;
        },
      },
    });
    expect([
      status,
      out.startsWith('Status: 500 Internal Server Error'),
      log.includes('body chunk 0 is an object (Object)'),
    ]).toEqual([1, true, true]);
  });
});
