/**
 * A complete TSGI server on node:net alone, to show what a server does and that any compliant server can run any
 * TSGI app. One request per connection, no chunked request bodies, no timeouts: read it, do not deploy it.
 * Run: `npx tsx examples/raw-socket-server/server.ts`, then open http://127.0.0.1:5000/?name=Ada
 */
import { createServer, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { addRequestHeaders, chunkByteLength, splitRequestTarget, TSGI_VERSION } from 'flagon/gateway';
import type { Body, BodyChunk, Environ, GatewayApp, HeaderList } from 'flagon/gateway';

/** 1. Read until the blank line that ends the head, then the body by Content-Length. */
async function readRequest(socket: Socket): Promise<{ head: string; body: Buffer } | null> {
  let buffered = Buffer.alloc(0);
  let headEnd = -1;
  let length = 0;
  for await (const chunk of socket.iterator({ destroyOnReturn: false })) {
    buffered = Buffer.concat([buffered, chunk as Buffer]);
    if (headEnd < 0) {
      headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (buffered.length > 16_384) return null;
        continue;
      }
      length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(buffered.subarray(0, headEnd).toString('latin1'))?.[1] ?? 0);
    }
    if (buffered.length >= headEnd + 4 + length) {
      return {
        head: buffered.subarray(0, headEnd).toString('latin1'),
        body: buffered.subarray(headEnd + 4, headEnd + 4 + length),
      };
    }
  }
  return null;
}

/** 2. Turn the request line and headers into an environ (docs/gateway.md §3). */
function buildEnviron(head: string, body: Buffer, socket: Socket, port: number): Environ | null {
  const [requestLine = '', ...headerLines] = head.split('\r\n');
  const [method, target, protocol] = requestLine.split(' ');
  if (!method || !target?.startsWith('/') || !protocol?.startsWith('HTTP/')) return null;
  const { pathInfo, queryString } = splitRequestTarget(target);
  const environ: Environ = {
    REQUEST_METHOD: method,
    SCRIPT_NAME: '',
    PATH_INFO: pathInfo,
    QUERY_STRING: queryString,
    REQUEST_URI: target,
    SERVER_NAME: '127.0.0.1',
    SERVER_PORT: String(port),
    SERVER_PROTOCOL: protocol,
    REMOTE_ADDR: socket.remoteAddress ?? '',
    REMOTE_PORT: String(socket.remotePort ?? ''),
    'tsgi.version': TSGI_VERSION,
    'tsgi.url_scheme': 'http',
    'tsgi.input': (async function* () {
      if (body.length) yield body;
    })(),
    'tsgi.input_terminated': true,
    'tsgi.errors': { write: (text) => process.stderr.write(text), flush: () => {} },
    'tsgi.multithread': false,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
  };
  const flat = headerLines.flatMap((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  addRequestHeaders(environ, flat);
  return environ;
}

/**
 * 3. Call the app, then write the status line, the headers and the body; always call close() (§5.3, §6).
 * A chunk is bytes or a string (TSGI 1.1): socket.write() sends a string as UTF-8, and a length counts its UTF-8 bytes.
 */
async function respond(app: GatewayApp, environ: Environ, socket: Socket): Promise<void> {
  let status = '500 Internal Server Error';
  let headers: HeaderList = [];
  let sent = false;
  const sendHead = (length?: number): void => {
    const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
    const framing = length === undefined ? '' : `Content-Length: ${length}\r\n`; // unknown length: closing the connection ends the body
    socket.write(`HTTP/1.1 ${status}\r\n${lines}${framing}Connection: close\r\n\r\n`, 'latin1');
    sent = true;
  };
  const write = (chunk: BodyChunk): void => {
    if (chunk.length === 0) return;
    if (!sent) sendHead();
    socket.write(chunk);
  };
  let body: Body | undefined;
  try {
    body = await app(environ, (newStatus, newHeaders, excInfo) => {
      if (excInfo !== undefined && sent) throw excInfo;
      [status, headers] = [newStatus, newHeaders];
      return write;
    });
    const hasLength = headers.some(([name]) => name.toLowerCase() === 'content-length');
    if (Array.isArray(body) && !sent)
      sendHead(hasLength ? undefined : body.reduce((n: number, c: BodyChunk) => n + chunkByteLength(c), 0));
    for await (const chunk of body) {
      if (chunk.length === 0) continue; // empty, string or bytes
      if (!sent) sendHead();
      if (environ.REQUEST_METHOD !== 'HEAD') socket.write(chunk);
    }
    if (!sent) sendHead(0);
    socket.end();
  } catch (error) {
    process.stderr.write(`error in the app: ${String(error)}\n`);
    if (sent)
      socket.destroy(); // the client must see a truncated response, not a clean end
    else
      socket.end(
        'HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 22\r\nConnection: close\r\n\r\nInternal Server Error\n',
      );
  } finally {
    await body?.close?.();
  }
}

/** Listens on host:port and serves each connection's one request with `app`. */
export async function serveRaw(app: GatewayApp, port = 5000, host = '127.0.0.1') {
  const server = createServer(async (socket) => {
    socket.on('error', () => socket.destroy());
    const request = await readRequest(socket);
    const environ = request && buildEnviron(request.head, request.body, socket, bound);
    if (!environ) {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    await respond(app, environ, socket);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { hello } = await import('../hello-gateway/app.js');
  const server = await serveRaw(hello, Number(process.env.PORT ?? 5000));
  console.log(` * Raw socket server serving 'hello' on ${server.url}/?name=World`);
}
