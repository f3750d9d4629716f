/** @module flagon/middleware: TSGI apps that wrap TSGI apps, Werkzeug's middleware set (layer L2). Re-exports only. */
export { accessLog } from './access-log.js';
export type { AccessLogOptions } from './access-log.js';
export { dispatcher } from './dispatcher.js';
export { encodeTextChunks } from './encode-text-chunks.js';
export { PROXY_FIX_ORIGINAL, proxyFix } from './proxy-fix.js';
export { profiler } from './profiler.js';
export type { ProfiledRequest, ProfilerOptions } from './profiler.js';
export { formatProfileTable, summarizeProfile } from './profile-table.js';
export type {
  CpuProfile,
  CpuProfileCallFrame,
  CpuProfileNode,
  ProfileRestriction,
  ProfileRow,
  ProfileSummary,
  ProfileTableInput,
} from './profile-table.js';
export type { ProxyFixOptions, ProxyFixOriginal } from './proxy-fix.js';
export { sharedData } from './shared-data.js';
export type { SharedDataOptions } from './shared-data.js';
// lint lives with the spec it checks (gateway/, L0); it is middleware all the same, so it is found here too.
export { lint } from '../gateway/lint.js';
export { LintError } from '../gateway/lint-rules.js';
