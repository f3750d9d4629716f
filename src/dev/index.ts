/** @module flagon/dev: the development server (layer L4): `run(app)` (the root App's `app.run()`), the reloader and its watcher, the debug page, stack frames, the request log, HTTPS (`loadTls`), and the app loader `flagon run` uses. Re-exports only. */
export { run } from './app-run.js';
export type { RunOptions, RunningApp } from './app-run.js';
export { debuggedApp, hostCheck, isLocalHost, renderDebugPage } from './debug-page.js';
export type { DebugOptions } from './debug-page.js';
export { attachProfile, inspector, RequestRing } from './inspector.js';
export type { InspectedRequest, InspectorOptions } from './inspector.js';
export { stackFrames } from './stack-frames.js';
export type { SourceLine, StackFrame } from './stack-frames.js';
export { formatRequestLog, logRequests } from './request-log.js';
export type { RequestLogEntry } from './request-log.js';
export { banner, createDevServer, devServerUrl, drainServer, listenOn } from './dev-server.js';
export type { DevProfileOptions, DevServerOptions } from './dev-server.js';
export { loadTls } from './tls.js';
export type { TlsFiles, TlsMaterial, TlsOptionNames } from './tls.js';
export { startReloader } from './reloader.js';
export type { Reloader, ReloaderOptions } from './reloader.js';
export {
  APP_CANDIDATES,
  AppLoadError,
  importApp,
  locateApp,
  NoAppError,
  projectRoot,
  applyDotenv,
  readDotenv,
  registerTypeScript,
} from './app-loader.js';
export type { AppSpec } from './app-loader.js';
export { globToRegExp, watchTree, WATCHED_EXTENSIONS, WATCH_IGNORED_DIRS } from './watcher.js';
export type { TreeWatcher, WatchOptions } from './watcher.js';
