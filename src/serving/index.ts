/** @module flagon/serving: the production bridge: serve TSGI apps on node:http (the development server is flagon/dev). Re-exports only. */
export { serve, SERVE_DEFAULTS } from './serve.js';
export type { RunningServer, ServeOptions } from './serve.js';
export { createRequestListener } from './listener.js';
export type { ListenerOptions, NodeRequestListener } from './listener.js';
export { silentStream, stderrStream } from './error-stream.js';
export { APP_LOAD_ERROR, parseBind, prefork, WORKER_BOOT_ERROR } from './prefork.js';
export type { Bind, PreforkOptions } from './prefork.js';
export { defineServeConfig } from './serve-settings.js';
export type { ServeConfig, ServeSettings } from './serve-settings.js';
