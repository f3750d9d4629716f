/** @module The HTTP status table (layer L1): code to reason phrase, with RFC 9110 §15's names (as Python 3.13's HTTPStatus, which Werkzeug uses). */

/**
 * Reason phrases by status code.
 *
 * @example
 * STATUS_CODES[404]; // 'Not Found'
 */
export const STATUS_CODES: Readonly<Record<number, string>> = Object.freeze({
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  510: 'Not Extended',
  511: 'Network Authentication Required',
});

const STATUS_LINES = new Map(Object.entries(STATUS_CODES).map(([code, reason]) => [Number(code), `${code} ${reason}`]));

/**
 * The TSGI status line for a code: `'404 Not Found'`; unknown codes get `'UNKNOWN'` as Werkzeug does.
 *
 * @example
 * statusLine(201); // '201 Created'
 */
export function statusLine(code: number): string {
  const known = STATUS_LINES.get(code); // every response asks: the known lines are made once
  if (known !== undefined) return known;
  if (!Number.isInteger(code) || code < 100 || code > 999)
    throw new RangeError(`${code} is not an HTTP status code (100-999)`);
  return `${code} UNKNOWN`;
}

/**
 * Whether a response with this status may carry a body (RFC 9110 §6.4.1: not 1xx, 204 or 304).
 *
 * @example
 * statusAllowsBody(304); // false
 */
export function statusAllowsBody(code: number): boolean {
  return code >= 200 && code !== 204 && code !== 304;
}
