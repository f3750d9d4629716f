/** @module flagon/serving: serve TSGI apps on node:http. Re-exports only. */
export { serve, SERVE_DEFAULTS } from './serve.js';
export type { RunningServer, ServeOptions } from './serve.js';
export { createRequestListener } from './listener.js';
export type { ListenerOptions, NodeRequestListener } from './listener.js';
export { silentStream, stderrStream } from './error-stream.js';
export { startApp } from './app-run.js';
export type { RunOptions } from './app-run.js';
