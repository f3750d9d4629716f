/** @module The development server's request log in Werkzeug's format, coloured by status on a terminal (layer L4). */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The fields of one log line.
 *
 * @example
 * const entry: RequestLogEntry = { remoteAddr: '127.0.0.1', method: 'GET', target: '/', httpVersion: '1.1', status: 200, time: new Date() };
 */
export interface RequestLogEntry {
  remoteAddr: string;
  method: string;
  /** The request target as sent (path and query, still percent-encoded). */
  target: string;
  httpVersion: string;
  status: number;
  time: Date;
}

/**
 * Formats a log line as Werkzeug's dev server does (the Common Log Format without size), local time:
 * `127.0.0.1 - - [21/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 -`. With `colour`, the request line and status
 * take Werkzeug's colours: 1xx bold, 200 plain, 304 cyan, 3xx green, 404 yellow, 4xx bold red, 5xx bold magenta.
 *
 * @example
 * formatRequestLog({ remoteAddr: '127.0.0.1', method: 'GET', target: '/', httpVersion: '1.1', status: 200, time: new Date() });
 */
export function formatRequestLog(entry: RequestLogEntry, colour = false): string {
  const t = entry.time;
  const when = `${pad(t.getDate())}/${MONTHS[t.getMonth()]}/${t.getFullYear()} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  // Control characters in the target would let a client forge log lines or drive the terminal; show them escaped.
  const target = entry.target.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  let tail = `"${entry.method} ${target} HTTP/${entry.httpVersion}" ${entry.status}`;
  if (colour) tail = paint(tail, entry.status);
  return `${entry.remoteAddr} - - [${when}] ${tail} -`;
}

function paint(text: string, status: number): string {
  const code = String(status);
  let style: string;
  if (code[0] === '1') style = '1';
  else if (status === 200) return text;
  else if (status === 304) style = '36';
  else if (code[0] === '3') style = '32';
  else if (status === 404) style = '33';
  else if (code[0] === '4') style = '1;31';
  else style = '1;35';
  return `\x1b[${style}m${text}\x1b[0m`;
}

/**
 * Logs every finished response of a node:http server, one line each, to `write` (stderr by default, as Werkzeug).
 * Colour is on when stderr is a terminal and `NO_COLOR` is unset.
 *
 * @example
 * const { server } = await serve(app, { port: 0 });
 * logRequests(server);
 */
export function logRequests(
  server: Server,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  colour = process.stderr.isTTY === true && !process.env.NO_COLOR,
): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Read now: by 'finish' node may have let go of the socket (a 413 to a chunked body still arriving), and reading
    // its address then threw, an uncaught error that ended the dev server.
    const remoteAddr = req.socket?.remoteAddress ?? '-';
    res.once('finish', () => {
      write(
        formatRequestLog(
          {
            remoteAddr,
            method: req.method ?? '-',
            target: req.url ?? '-',
            httpVersion: req.httpVersion,
            status: res.statusCode,
            time: new Date(),
          },
          colour,
        ),
      );
    });
  });
}
