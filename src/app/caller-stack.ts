/** @module Setup errors that point at the user's line (layer L3): a bad rule's stack starts in the app's code. */
import { fileURLToPath } from 'node:url';

// Flagon's own files, from source (src/) or built (dist/), in this repository or in an app's node_modules/flagon.
const OWN_FILES = fileURLToPath(new URL('../', import.meta.url));
const DEEP_ENOUGH = 50;

/**
 * Runs a setup step (adding a rule) so that an error it throws points at the app's code: frames are recorded deeply
 * enough to reach the caller, then Flagon's own frames on top are dropped. A bad rule (`'/hello/<name'`) then shows
 * the user's `app.get(…)` line first, in the terminal and on the debug page, where ten frames of the router showed.
 *
 * @example
 * blameCaller(() => this.addUrlRule(rule, options));
 */
export function blameCaller<T>(step: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(limit, DEEP_ENOUGH);
  try {
    return step();
  } catch (error) {
    if (error instanceof Error && typeof error.stack === 'string') error.stack = fromCaller(error.stack, limit);
    throw error;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function fromCaller(stack: string, limit: number): string {
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((line) => line.startsWith('    at '));
  if (firstFrame === -1) return stack;
  const frames = lines.slice(firstFrame);
  const callerAt = frames.findIndex((frame) => !frame.includes(OWN_FILES) && !frame.includes('(node:'));
  if (callerAt <= 0) return lines.slice(0, firstFrame + limit).join('\n');
  return [...lines.slice(0, firstFrame), ...frames.slice(callerAt, callerAt + limit)].join('\n');
}
