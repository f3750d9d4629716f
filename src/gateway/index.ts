/** @module flagon/gateway: the TSGI 1.1 interface (types, environ and URL helpers, lint). Re-exports only. */
export type {
  Body,
  BodyChunk,
  BodyChunks,
  Environ,
  ErrorStream,
  GatewayApp,
  HeaderList,
  InputStream,
  StartResponse,
  TSGIVersion,
  WriteFn,
} from './types.js';
export {
  TSGI_VERSION,
  addRequestHeaders,
  environKeyForHeader,
  getContentLength,
  joinHeaderValue,
  requestHeaders,
} from './environ.js';
export { decodePathInfo, getCurrentUrl, getHost, quotePath, shiftPathInfo, splitRequestTarget } from './url.js';
export type { CurrentUrlOptions, RequestTarget } from './url.js';
export {
  HTTP_TOKEN,
  checkStartResponse,
  chunkByteLength,
  isBodyChunk,
  isHopByHop,
  parseStatusCode,
  toBytes,
} from './response.js';
export { lint } from './lint.js';
export { LINT_RULES, LintError, checkEnviron } from './lint-rules.js';
export type { LintRule, LintSide } from './lint-rules.js';
