/**
 * Slowloris: 200 connections that trickle a request head one byte at a time must neither starve a normal keep-alive
 * client nor reach the app, and with a short `headersTimeout` the server closes them itself.
 */
import { EventEmitter, once } from 'node:events';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayApp } from 'flagon/gateway';
import { serve, type RunningServer, type ServeOptions } from 'flagon/serving';
import { collectingStream } from 'flagon/testing';
import { fetchRaw } from '../helpers/http.js';

const TRICKLERS = 200;
/** Each trickling socket sends one byte per tick. */
const TICK_MS = 75;
const CLIENT_REQUESTS = 50;

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** Counts the requests that reach the app, by path. */
function countingApp(): GatewayApp & { calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const app: GatewayApp = (environ, startResponse) => {
    calls.set(environ.PATH_INFO, (calls.get(environ.PATH_INFO) ?? 0) + 1);
    startResponse('200 OK', [['Content-Type', 'text/plain']]);
    return [new TextEncoder().encode('ok')];
  };
  return Object.assign(app, { calls });
}

async function start(
  options: ServeOptions = {},
): Promise<{ server: RunningServer; app: ReturnType<typeof countingApp>; accepted: () => number }> {
  const app = countingApp();
  const server = await serve(app, { port: 0, errors: collectingStream(), ...options });
  running.push(server);
  let accepted = 0;
  server.server.on('connection', () => {
    accepted++;
  });
  return { server, app, accepted: () => accepted };
}

interface Trickler {
  socket: Socket;
  /** Resolves when the socket closes; `byServer` when the client had not destroyed it. */
  closed: Promise<{ byServer: boolean; answer: string }>;
}

/**
 * Opens `count` connections that send a request head one byte per tick and never finish it: the request line, a
 * Host, then an `X-Slow` header whose value grows forever. `tick` fires after each round of writes.
 */
async function trickle(
  port: number,
  count: number,
): Promise<{ tricklers: Trickler[]; tick: EventEmitter; stop(): Promise<void> }> {
  const head = `GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: `;
  const tick = new EventEmitter();
  const tricklers: Trickler[] = [];
  const sent: number[] = [];
  let destroying = false;
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined); // a reset or EPIPE once the server gave up on it; 'close' follows
    let answer = '';
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
    });
    const closed = new Promise<{ byServer: boolean; answer: string }>((resolve) => {
      socket.on('close', () => resolve({ byServer: !destroying, answer }));
    });
    tricklers.push({ socket, closed });
    sent.push(0);
  }
  await Promise.all(tricklers.map(({ socket }) => once(socket, 'connect')));
  const timer = setInterval(() => {
    tricklers.forEach(({ socket }, i) => {
      if (socket.destroyed || !socket.writable) return;
      const n = sent[i]!++;
      socket.write(n < head.length ? head[n]! : 'a');
    });
    tick.emit('tick');
  }, TICK_MS);
  return {
    tricklers,
    tick,
    async stop() {
      clearInterval(timer);
      destroying = true;
      for (const { socket } of tricklers) socket.destroy();
      await Promise.all(tricklers.map((t) => t.closed));
    },
  };
}

/** Resolves once `predicate` holds, checking after each event `emitter` sends. */
async function until(emitter: EventEmitter, event: string, predicate: () => boolean): Promise<void> {
  while (!predicate()) await once(emitter, event);
}

describe('slowloris', () => {
  it(`a keep-alive client gets ${CLIENT_REQUESTS} answers while ${TRICKLERS} connections trickle their heads`, async () => {
    const { server, app, accepted } = await start();
    const slow = await trickle(server.port, TRICKLERS);
    await until(server.server, 'connection', () => accepted() >= TRICKLERS);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers: Array<{ status: number; body: string; reused: boolean }> = [];
    try {
      for (let i = 0; i < CLIENT_REQUESTS; i++) {
        await once(slow.tick, 'tick'); // one request per round of trickled bytes, so the two overlap all along
        answers.push(
          await new Promise((resolve, reject) => {
            const req = request({ host: '127.0.0.1', port: server.port, path: '/ok', agent }, (res) => {
              let body = '';
              res.setEncoding('latin1');
              res.on('data', (chunk: string) => {
                body += chunk;
              });
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body, reused: req.reusedSocket }));
            });
            req.on('error', reject);
            req.end();
          }),
        );
      }
    } finally {
      agent.destroy();
    }
    expect(answers.filter((a) => a.status !== 200 || a.body !== 'ok')).toEqual([]);
    expect(answers.slice(1).every((a) => a.reused)).toBe(true); // one connection, kept alive throughout
    expect(app.calls.get('/slow')).toBeUndefined();
    await slow.stop();
    const after = await fetchRaw(`${server.url}/ok`);
    expect([after.status, after.text]).toEqual([200, 'ok']);
    expect(app.calls.get('/ok')).toBe(CLIENT_REQUESTS + 1);
  }, 60_000);

  it(`with a short headersTimeout the server closes all ${TRICKLERS} trickling connections itself`, async () => {
    // serve() checks the deadlines every connectionsCheckingInterval (1 s; node alone would wait 30 s).
    const { server, app, accepted } = await start({ headersTimeout: 1_000 });
    const slow = await trickle(server.port, TRICKLERS);
    await until(server.server, 'connection', () => accepted() >= TRICKLERS);
    let outcomes: Array<{ byServer: boolean; answer: string }>;
    try {
      outcomes = await Promise.all(slow.tricklers.map((t) => t.closed));
    } finally {
      await slow.stop();
    }
    expect(outcomes.filter((o) => !o.byServer).length).toBe(0);
    // Closed without a word or with 408; never an answer from the app.
    expect(
      outcomes
        .filter((o) => o.answer !== '' && !o.answer.startsWith('HTTP/1.1 408 '))
        .map((o) => o.answer.slice(0, 40)),
    ).toEqual([]);
    expect(app.calls.get('/slow')).toBeUndefined();
    const after = await fetchRaw(`${server.url}/ok`);
    expect([after.status, after.text]).toEqual([200, 'ok']);
  }, 90_000);
});
