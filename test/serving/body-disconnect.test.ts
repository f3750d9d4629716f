/** A client that disconnects while a view reads the body, over real HTTP: a ClientDisconnected (400), never a crash. */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from 'flagon';
import type { Body, ErrorStream, GatewayApp } from 'flagon/gateway';
import { BadRequest, ClientDisconnected } from 'flagon/http';
import { serve, type RunningServer } from 'flagon/serving';
import type { Request } from 'flagon/wrappers';
import { fetchRaw } from '../helpers/http.js';

const collected: string[] = [];
const errors: ErrorStream = {
  write: (text) => {
    collected.push(text);
  },
  flush: () => undefined,
};
const logged: string[] = [];
const serverErrors: unknown[] = [];
const caught: unknown[] = [];
let entered: (() => void) | null = null;
let closed: (() => void) | null = null;

const app = new App(import.meta.url, { name: 'disconnects', staticFolder: null });
app.logger.error = (message: string) => {
  logged.push(message);
}; // the App logs a crash here ("Exception on …")
app.errorHandler(500, (error) => {
  serverErrors.push(error);
  return ['server error', 500];
});
const readers: Record<string, (req: Request) => Promise<unknown>> = {
  json: (req) => req.json(),
  text: (req) => req.text(),
  bytes: (req) => req.bytes(),
  form: (req) => req.form(),
};
for (const [name, read] of Object.entries(readers)) {
  app.post(`/${name}`, { endpoint: name }, async (req) => {
    entered?.();
    try {
      await read(req);
    } catch (error) {
      caught.push(error);
      throw error;
    }
    return 'read';
  });
}
app.get('/', () => 'alive');

/** Tells the test when the server has closed a response: the request is over, whatever happened to it. */
function onClose(inner: GatewayApp): GatewayApp {
  return async (environ, startResponse) => {
    const body: Body = await inner(environ, startResponse);
    const close = async (): Promise<void> => {
      try {
        await body.close?.();
      } finally {
        closed?.();
      }
    };
    return Array.isArray(body) ? Object.assign([...(body as Uint8Array[])], { close }) : Object.assign(body, { close });
  };
}

let server: RunningServer;
beforeAll(async () => {
  server = await serve(onClose(app.gatewayApp), { port: 0, errors });
});
afterAll(() => server.close());

const TYPES: Record<string, string> = {
  json: 'application/json',
  text: 'text/plain',
  bytes: 'application/octet-stream',
  form: 'application/x-www-form-urlencoded',
};

describe('a client that disconnects mid-body', () => {
  it.each(Object.keys(readers))(
    'during %s(): ClientDisconnected, no crash log, no 500 handler, the server lives',
    async (name) => {
      caught.length = 0;
      const inView = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const over = new Promise<void>((resolve) => {
        closed = resolve;
      });
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      // Half of the declared 1,000 bytes, then the connection goes while the view awaits the rest.
      socket.write(
        `POST /${name} HTTP/1.1\r\nHost: x\r\nContent-Type: ${TYPES[name]}\r\nContent-Length: 1000\r\n\r\n${name === 'form' ? 'a=' : '"'}${'x'.repeat(498)}`,
      );
      await inView;
      socket.destroy();
      await over;
      expect(caught).toHaveLength(1);
      expect(caught[0]).toBeInstanceOf(ClientDisconnected);
      expect(caught[0]).toBeInstanceOf(BadRequest);
      expect(logged).toEqual([]);
      expect(serverErrors).toEqual([]);
      expect(collected).toEqual([]);
      const alive = await fetchRaw(`${server.url}/`);
      expect([alive.status, alive.text]).toEqual([200, 'alive']);
    },
  );
});
