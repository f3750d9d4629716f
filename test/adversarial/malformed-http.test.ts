/**
 * Malformed HTTP over raw sockets: every case of test/fixtures/adversarial/malformed-cases.ts is answered with a
 * 4xx/5xx (the exact status where the RFC names one) or a close, and never reaches the app (or, for path cases, never
 * serves a file from outside the static folder).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayApp } from 'flagon/gateway';
import { serve, type RunningServer } from 'flagon/serving';
import { collectingStream } from 'flagon/testing';
import {
  HELLO_TEXT,
  MALFORMED_CASES,
  SECRET_MARKER,
  type Category,
  type MalformedCase,
} from '../fixtures/adversarial/malformed-cases.js';
import { makeSiteApp } from '../fixtures/adversarial/site/app.js';

/** How long one case may take before it counts as "no answer and no close": a failure bound, never a wait. */
const CASE_LIMIT_MS = 10_000;
/** Cases run this many at a time; the app tells them apart by the client's port. */
const CONCURRENCY = 8;

interface Calls {
  entered: number;
  completed: number;
}
/** App calls by the client port they came from (REMOTE_PORT). */
const callsByPort = new Map<string, Calls>();

/** A TSGI app that records every call, reads the body to its end, records that too, and answers 200. */
const countingApp: GatewayApp = async (environ, startResponse) => {
  const calls = callsByPort.get(environ.REMOTE_PORT) ?? { entered: 0, completed: 0 };
  callsByPort.set(environ.REMOTE_PORT, calls);
  calls.entered++;
  for await (const chunk of environ['tsgi.input']) void chunk;
  calls.completed++;
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return [new TextEncoder().encode('reached the app')];
};

let gateServer: RunningServer;
let siteServer: RunningServer;
const errors = collectingStream();
beforeAll(async () => {
  gateServer = await serve(countingApp, { port: 0, errors });
  siteServer = await serve(makeSiteApp().gatewayApp, { port: 0, errors });
});
afterAll(async () => {
  await Promise.all([gateServer?.close(), siteServer?.close()]);
});

interface Outcome {
  /** The status of the first final response, or null when none arrived. */
  status: number | null;
  /** Everything received, as latin1. */
  text: string;
  /** The body of the first response. */
  body: string;
  closed: boolean;
  timedOut: boolean;
  port: string;
}

/** Where the first final response ends in `text`, or -1 while it is incomplete (or delimited by the close). */
function responseEnd(text: string, head: boolean): { status: number; end: number; bodyStart: number } | null {
  let start = 0;
  for (;;) {
    const headEnd = text.indexOf('\r\n\r\n', start);
    if (headEnd < 0) return null;
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(text.slice(start));
    const status = match ? Number(match[1]) : Number.NaN;
    if (status >= 100 && status < 200) {
      start = headEnd + 4;
      continue;
    } // 100 Continue and friends
    const headers = text.slice(start, headEnd);
    const bodyStart = headEnd + 4;
    if (head || status === 204 || status === 304) return { status, end: bodyStart, bodyStart };
    const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(headers);
    if (length)
      return {
        status,
        end: text.length >= bodyStart + Number(length[1]) ? bodyStart + Number(length[1]) : -1,
        bodyStart,
      };
    if (/\r\ntransfer-encoding:[ \t]*chunked/i.test(headers)) {
      const last = text.indexOf('\r\n0\r\n\r\n', bodyStart - 2);
      return { status, end: last < 0 ? -1 : last + 7, bodyStart };
    }
    return { status, end: -1, bodyStart }; // delimited by the close
  }
}

/** Sends one case's bytes on a fresh connection and reports what came back. */
function exchange(port: number, testCase: MalformedCase): Promise<Outcome> {
  const head = testCase.raw.startsWith('HEAD ');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    let settled = false;
    let clientPort = '';
    const finish = (timedOut: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      socket.destroy();
      const parsed = responseEnd(text, head);
      const status = parsed && !Number.isNaN(parsed.status) ? parsed.status : text === '' ? null : Number.NaN;
      resolve({ status, text, body: parsed ? text.slice(parsed.bodyStart) : '', closed, timedOut, port: clientPort });
    };
    const limit = setTimeout(() => finish(true), CASE_LIMIT_MS);
    socket.on('connect', () => {
      clientPort = String(socket.localPort);
      callsByPort.delete(clientPort); // a port seen before belonged to an earlier, finished case
      socket.write(Buffer.from(testCase.raw, 'latin1'));
      if (testCase.fin) socket.end();
    });
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
      const parsed = responseEnd(text, head);
      // A complete answer settles the case, unless the case needs to see the server close the connection.
      if (parsed && parsed.end >= 0 && !testCase.close) finish(false);
    });
    socket.on('error', () => undefined); // a reset is a close; 'close' follows
    socket.on('close', () => {
      closed = true;
      finish(false);
    });
  });
}

const isErrorStatus = (status: number | null): boolean => status !== null && status >= 400 && status <= 599;
const seen = (outcome: Outcome): string => {
  const first = outcome.text.split('\r\n', 1)[0] ?? '';
  if (outcome.status === null)
    return outcome.timedOut ? `no answer and no close within ${CASE_LIMIT_MS} ms` : 'closed without a response';
  return `${JSON.stringify(first.slice(0, 60))}${outcome.closed ? ', then closed' : ', connection left open'}`;
};

/** Why the outcome breaks the case's expectation, or null when it meets it. */
function judge(testCase: MalformedCase, outcome: Outcome): string | null {
  const problems: string[] = [];
  const calls = callsByPort.get(outcome.port);
  if (testCase.guard === 'no-call' && calls && calls.entered > 0) problems.push('the app was called');
  if (testCase.guard === 'no-body' && calls && calls.completed > 0) problems.push('the app read the whole body');
  if (testCase.guard === 'no-leak') {
    if (outcome.status === null || outcome.status < 400 || outcome.status > 499) problems.push('expected a 4xx');
    if (outcome.body.includes(SECRET_MARKER) || /root:.*:0:0:/.test(outcome.body))
      problems.push('a file outside the static folder was served');
  } else if (testCase.status !== undefined) {
    if (outcome.status !== testCase.status && !(testCase.orClose && outcome.status === null && outcome.closed)) {
      problems.push(`expected ${testCase.status}${testCase.orClose ? ' or a close' : ''}`);
    }
  } else if (!(isErrorStatus(outcome.status) || (outcome.status === null && outcome.closed))) {
    problems.push('expected a 4xx/5xx or a close');
  }
  if (testCase.close && !outcome.closed) problems.push('expected the connection closed');
  if (outcome.timedOut && problems.length === 0) problems.push(`no close within ${CASE_LIMIT_MS} ms`);
  return problems.length === 0
    ? null
    : `${testCase.category} / ${testCase.name}: ${problems.join('; ')} (seen: ${seen(outcome)})`;
}

/** Runs cases a few at a time; resolves with one line per failed case. */
async function runCases(cases: readonly MalformedCase[]): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) {
        const testCase = cases[next++]!;
        const port = testCase.guard === 'no-leak' ? siteServer.port : gateServer.port;
        let outcome = await exchange(port, testCase);
        let failure = judge(testCase, outcome);
        // A path case may be redirected (merged slashes, a trailing slash): then the place it points to must be a 4xx.
        const location = /\r\nlocation:[ \t]*([^\r]*)/i.exec(outcome.text)?.[1];
        if (failure && testCase.guard === 'no-leak' && outcome.status! >= 300 && outcome.status! < 400 && location) {
          const target = location.replace(/^https?:\/\/[^/]*/i, '');
          outcome = await exchange(port, {
            ...testCase,
            raw: `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
          });
          failure = judge({ ...testCase, name: `${testCase.name} (redirected to ${target})` }, outcome);
        }
        if (failure) failures.push(failure);
      }
    }),
  );
  return failures;
}

const CATEGORIES: readonly Category[] = [
  'request-line',
  'version',
  'target',
  'host',
  'header-syntax',
  'content-length',
  'duplicates',
  'smuggling',
  'chunks',
  'oversized',
  'path',
];

describe('the malformed-HTTP corpus', () => {
  it('has at least 150 cases, with unique names, in every category, one byte per character', () => {
    expect(MALFORMED_CASES.length).toBeGreaterThanOrEqual(150);
    const names = MALFORMED_CASES.map((c) => `${c.category} / ${c.name}`);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    for (const category of CATEGORIES)
      expect(
        MALFORMED_CASES.some((c) => c.category === category),
        category,
      ).toBe(true);
    expect(MALFORMED_CASES.filter((c) => /[^\x00-\xff]/.test(c.raw)).map((c) => c.name)).toEqual([]);
  });

  it('serves the static folder and reaches the counting app when the request is well-formed (the controls)', async () => {
    const control = (raw: string): MalformedCase => ({ category: 'path', name: 'control', raw, guard: 'no-leak' });
    const hello = await exchange(
      siteServer.port,
      control('GET /static/hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );
    expect([hello.status, hello.body]).toEqual([200, HELLO_TEXT]);
    const encoded = await exchange(
      siteServer.port,
      control('GET /static/%68ello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );
    expect([encoded.status, encoded.body]).toEqual([200, HELLO_TEXT]);
    const plain = await exchange(gateServer.port, {
      ...control('POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'),
      guard: 'no-call',
    });
    expect([plain.status, callsByPort.get(plain.port)]).toEqual([200, { entered: 1, completed: 1 }]);
  });

  for (const category of CATEGORIES) {
    const cases = MALFORMED_CASES.filter((c) => c.category === category);
    it(`${category}: ${cases.length} cases are refused${category === 'path' ? ' without a leak' : ''}`, async () => {
      expect(await runCases(cases)).toEqual([]);
    }, 60_000);
  }
});
