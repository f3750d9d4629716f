/**
 * A steady load for tests of servers that restart under it: `rate` GET requests a second on keep-alive connections,
 * recording every answer and every failure. A request that fails on a reused connection before any byte of its
 * answer arrived is sent once more on a new one, as RFC 9112 §9.3.1 allows for idempotent requests and as node's
 * docs advise (their `req.reusedSocket`, which this tracks itself: node's misses sockets handed straight to queued
 * requests): the server may close an idle keep-alive connection just as a request is sent on
 * it, and no client can tell that from a lost request. Such retries are counted apart.
 */
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';

export interface LoadAnswer {
  status: number;
  body: string;
  pid: number;
  /** Milliseconds since the load started, when the answer was complete. */
  at: number;
}

export interface LoadFailure {
  error: string;
  /** The worker that last answered on this request's connection (for a retry, on the first one's), when one had. */
  pid: number | null;
  at: number;
}

export interface LoadResult {
  sent: number;
  answers: LoadAnswer[];
  failures: LoadFailure[];
  /** Requests sent a second time after their reused connection was closed under them. */
  retried: number;
}

export interface Load {
  /** Stops sending; resolves once every request sent has been answered or has failed. */
  stop(): Promise<LoadResult>;
  /** Answers so far. */
  readonly answers: readonly LoadAnswer[];
  /** `Date.now()` when the load started: the zero of every `at`. */
  readonly startedAt: number;
}

const kPid = Symbol('load.pid');
type PidSocket = Socket & { [kPid]?: number };

/** Starts the load on `http://127.0.0.1:port/path`: `rate` requests a second, sent in batches every 10 ms. */
export function steadyLoad(port: number, path: string, rate: number): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const result: LoadResult = { sent: 0, answers: [], failures: [], retried: 0 };
  const started = Date.now();
  let pending = 0;
  let drained: (() => void) | null = null;
  const settle = (): void => {
    pending -= 1;
    if (pending === 0) drained?.();
  };
  /** `firstPid`: for a retry, the worker whose connection the first attempt was on. */
  const send = (retry: boolean, firstPid: number | null = null): void => {
    let pid: number | null = firstPid;
    let socket: PidSocket | null = null;
    /** Whether the connection had answered a request before this one: a persistent connection, reused. */
    let reused = false;
    // A retry goes on a new connection: the pool may hold more connections the server is closing.
    const req = request({ host: '127.0.0.1', port, path, agent: retry ? false : agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        const answeredBy = Number(res.headers['x-worker-pid']);
        if (socket) socket[kPid] = answeredBy; // res.socket is gone by now on a kept-alive connection
        result.answers.push({ status: res.statusCode!, body, pid: answeredBy, at: Date.now() - started });
        settle();
      });
      res.on('error', (error) => {
        result.failures.push({ error: error.message, pid, at: Date.now() - started });
        settle();
      });
    });
    req.on('socket', (assigned: PidSocket) => {
      socket = assigned;
      reused = assigned[kPid] !== undefined;
      pid = assigned[kPid] ?? firstPid;
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // node's req.reusedSocket misses a socket handed straight to a queued request: count answers per socket instead.
      if (!retry && reused && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
        result.retried += 1;
        send(true, pid);
      } else {
        result.failures.push({ error: `${error.code ?? ''} ${error.message}`, pid, at: Date.now() - started });
      }
      settle();
    });
    pending += 1;
    if (!retry) result.sent += 1;
    req.end();
  };
  const perTick = Math.max(1, Math.round(rate / 100));
  let ticks = 0;
  const timer = setInterval(() => {
    // Catch up after a late tick, so the rate holds on a busy machine.
    const due = Math.floor((Date.now() - started) / 10) + 1;
    for (; ticks < due; ticks += 1) for (let i = 0; i < perTick; i += 1) send(false);
  }, 10);
  return {
    answers: result.answers,
    startedAt: started,
    stop() {
      clearInterval(timer);
      return new Promise<LoadResult>((resolve) => {
        const finish = (): void => {
          agent.destroy();
          resolve(result);
        };
        if (pending === 0) finish();
        else drained = finish;
      });
    },
  };
}
