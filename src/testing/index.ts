/** @module flagon/testing: drive TSGI apps in process, without sockets; `testClient(app)`. Re-exports only. */
export { collectingStream, createEnviron } from './environ.js';
export type { BodyInit, CollectingStream, EnvironOptions, QueryInit } from './environ.js';
export { runApp } from './run-app.js';
export type { AppResponse } from './run-app.js';
export type { CookieJar } from './cookie-jar.js';
export { TestClient, TestResponse, testClient } from './client.js';
export type { TestClientOptions, TestRequestOptions } from './client.js';
