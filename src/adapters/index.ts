/** @module flagon/adapters: run TSGI apps inside other hosts (node:http, Connect, Express, Fastify, CGI, Fetch runtimes), and other apps (Fetch apps, node listeners) as TSGI apps. Re-exports only. */
export { MountError, toNodeHandler } from './node.js';
export type { MountErrorCode, NodeHandler, NodeHandlerOptions } from './node.js';
export { flagonPlugin } from './fastify.js';
export type { FastifyHost, FlagonPluginOptions } from './fastify.js';
export { runCgi } from './cgi.js';
export type { CgiOptions } from './cgi.js';
export { toFetchHandler } from './fetch.js';
export type { FetchHandler, FetchHandlerOptions } from './fetch.js';
export { fromFetchHandler } from './from-fetch.js';
export type { FetchApp, FromFetchOptions } from './from-fetch.js';
export { fromNodeListener } from './from-node.js';
export type { NodeListener } from './from-node.js';
