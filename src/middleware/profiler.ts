/** @module profiler (layer L2): Werkzeug's ProfilerMiddleware on V8's sampling CPU profiler (node:inspector): a table per request, and a .cpuprofile file that Chrome DevTools and speedscope open. */
import { Session } from 'node:inspector';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, unlink, writeFile } from 'node:fs/promises';
import { findSourceMap, type SourceMap } from 'node:module';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPromiseLike } from '../gateway/response.js';
import type { Body, BodyChunk, Environ, GatewayApp, StartResponse } from '../gateway/types.js';
import {
  formatProfileTable,
  quoteForLog,
  summarizeProfile,
  trimProfile,
  type CpuProfile,
  type ProfileRestriction,
} from './profile-table.js';

/**
 * What a profiled request's file name may be made of: `filenameFormat`'s placeholders, and the second argument of a
 * `filenameFormat` function.
 *
 * @example
 * const name = (environ: Environ, info: ProfiledRequest) => `${info.method}-${info.elapsed}ms.cpuprofile`;
 */
export interface ProfiledRequest {
  /** `REQUEST_METHOD`. */
  method: string;
  /** `PATH_INFO` without its outer slashes, the others made dots (`/users/7` → `users.7`); `root` for `/`. */
  path: string;
  /** Milliseconds from the app's call to the body's close, rounded. */
  elapsed: number;
  /** When the request came, in milliseconds since the epoch (Werkzeug's `{time}` is seconds: two requests a second to one path would share a name). */
  time: number;
}

/**
 * Options of {@link profiler}: Werkzeug's ProfilerMiddleware's, for V8 profiles.
 *
 * @example
 * const options: ProfilerOptions = { dir: 'profiles', sortBy: 'total', restrictions: ['app\\.ts', 20] };
 */
export interface ProfilerOptions {
  /** Where each request's table goes. Default `process.stdout`; `null` for none (with `dir`, files only). */
  stream?: { write(text: string): unknown } | null;
  /**
   * The order of the rows: `'self'` (the default; pstats' `'time'`), the time a function was on top of the stack, or
   * `'total'` (pstats' `'cumulative'`), that plus what it called. There is no `'calls'`: V8's profiler samples the
   * stack every `samplingInterval` instead of counting calls, so it does not know how often a function ran.
   */
  sortBy?: 'self' | 'total';
  /**
   * pstats' restrictions, applied in order: a number N keeps the first N rows (a number between 0 and 1, that
   * fraction), a string (a regular expression) or RegExp keeps the rows whose `url:line(function)` it matches.
   * Default: none, every row.
   */
  restrictions?: readonly ProfileRestriction[];
  /** A folder to write one `.cpuprofile` file per request into; made if missing. Default `null`: no files. */
  dir?: string | null;
  /**
   * The file name in `dir`: a string with `{method}`, `{path}`, `{elapsed}` and `{time}` placeholders (see
   * {@link ProfiledRequest}), default `'{method}.{path}.{elapsed}ms.{time}.cpuprofile'` (Werkzeug's, with the
   * extension Chrome DevTools and speedscope know), or a function of the environ and those values. Whatever it gives,
   * the name is made one safe segment (`/`, `\`, control characters and `:*?"<>|` become `_`) so that no path, however
   * crafted, writes outside `dir`; a name already taken gets `-2`, `-3`… before its extension.
   */
  filenameFormat?: string | ((environ: Environ, request: ProfiledRequest) => string);
  /** Microseconds between samples. Default 100 (V8's is 1000, too coarse for a request of a few milliseconds). */
  samplingInterval?: number;
  /**
   * Milliseconds a request waits for the profiler while another request holds it before it runs unprofiled (with a
   * note on the stream). Default 2000. See {@link profiler} for why requests queue.
   */
  queueTimeout?: number;
  /** Called with each request's profile, after its table and file are written (for tools that show profiles). */
  onProfile?: (profile: CpuProfile, request: ProfiledRequest, environ: Environ) => void;
}

const DEFAULT_FORMAT = '{method}.{path}.{elapsed}ms.{time}.cpuprofile';
const PLACEHOLDER = /\{([^{}]*)\}/g;
const FIELDS = new Set(['method', 'path', 'elapsed', 'time']);

// -- The one V8 profiler of this thread, and the queue for it -------------------------------------------------------

let session: Session | null = null;

/** The DevTools protocol over an in-process session (its replies come synchronously; a Promise all the same). */
function post<T = void>(method: string, params?: object): Promise<T> {
  if (session === null) {
    session = new Session();
    session.connect();
  }
  const connected = session;
  return new Promise((resolvePost, rejectPost) => {
    connected.post(method, params, (error, result) => (error ? rejectPost(error) : resolvePost(result as T)));
  });
}

interface Waiter {
  grant(): void;
}

/** Who holds the profiler (for the note a timed-out request prints), and who waits for it, in order. */
let holder: string | null = null;
const waiters: Waiter[] = [];

/** Resolves `true` once this request holds the profiler, or `false` after `timeout` ms of waiting. */
function acquire(label: string, timeout: number): Promise<boolean> {
  if (holder === null) {
    holder = label;
    return Promise.resolve(true);
  }
  return new Promise((resolveWait) => {
    const waiter: Waiter = {
      grant() {
        clearTimeout(timer);
        holder = label;
        resolveWait(true);
      },
    };
    const timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(waiter), 1);
      resolveWait(false);
    }, timeout);
    waiters.push(waiter);
  });
}

function release(): void {
  holder = null;
  waiters.shift()?.grant();
}

// -- File names ------------------------------------------------------------------------------------------------------

/** One file name, never a path: separators, control characters and what Windows refuses become `_`; at most 200 bytes. */
function safeSegment(name: string): string {
  let safe = name.replace(/[/\\\x00-\x1f\x7f:*?"<>|]/g, '_');
  if (safe === '' || safe === '.' || safe === '..') safe = '_';
  // NAME_MAX is 255 bytes on common file systems; room is left for a `-2` suffix. The tail (elapsed, time and the
  // extension, in the default format) is kept, the head shortened.
  const bytes = (text: string): number => new TextEncoder().encode(text).byteLength;
  if (bytes(safe) > 200) {
    const tail = safe.slice(-60);
    let head = safe.slice(0, -60);
    while (head.length > 0 && bytes(`${head}_${tail}`) > 200) head = head.slice(0, -1);
    safe = `${head}_${tail}`;
  }
  return safe;
}

function formatName(format: string, request: ProfiledRequest): string {
  return format.replace(PLACEHOLDER, (_whole, field: string) => String(request[field as keyof ProfiledRequest]));
}

/**
 * Writes the profile under a name not taken yet, adding `-2`, `-3`… before the extension when it is. The file appears
 * whole or not at all (written aside, then hard-linked into place, which fails rather than replaces), so a tool
 * watching the folder never opens half a profile.
 */
async function writeProfile(dir: string, name: string, json: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const aside = join(dir, `.${process.pid}.${++written}.cpuprofile.tmp`);
  await writeFile(aside, json);
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  try {
    for (let attempt = 1; ; attempt++) {
      const file = join(dir, attempt === 1 ? name : `${stem}-${attempt}${extension}`);
      try {
        // A file system without hard links (FAT, some network shares): an exclusive copy, whole if not atomic.
        await link(aside, file).catch((error: NodeJS.ErrnoException) =>
          error.code === 'EEXIST' ? Promise.reject(error) : copyFile(aside, file, constants.COPYFILE_EXCL),
        );
        return file;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 1000) throw error;
      }
    }
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}
let written = 0;

/**
 * Moves each call frame from the code V8 ran to the source it came from, where the runtime has a source map for it
 * (tsx's TypeScript always; other files with `--enable-source-maps`): without this, a `.ts` app's functions all sit on
 * line 1 of tsx's output. The file's URL becomes the source's, so a line number never points into another file.
 */
function mapToSources(profile: CpuProfile): void {
  const maps = new Map<string, SourceMap | undefined>();
  for (const { callFrame: frame } of profile.nodes) {
    if (frame.lineNumber < 0 || !frame.url.startsWith('file:')) continue;
    if (!maps.has(frame.url)) {
      let map: SourceMap | undefined;
      try {
        map = findSourceMap(frame.url) ?? findSourceMap(fileURLToPath(frame.url));
      } catch {
        map = undefined;
      }
      maps.set(frame.url, map);
    }
    const entry = maps.get(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry === undefined || !('originalLine' in entry) || typeof entry.originalLine !== 'number') continue;
    frame.lineNumber = entry.originalLine;
    frame.columnNumber = entry.originalColumn;
    // Sources are URLs relative to the generated file's (the Source Map spec); Node gives them absolute.
    if (entry.originalSource) frame.url = new URL(entry.originalSource, frame.url).href;
  }
}

/** A script's URL as the table shows it: a file under the current folder by its relative path. */
function location(url: string): string {
  if (!url.startsWith('file:')) return url;
  try {
    const path = fileURLToPath(url);
    const rel = relative(process.cwd(), path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  } catch {
    return url;
  }
}

// -- The middleware --------------------------------------------------------------------------------------------------

/** One profiled request: started, then finished exactly once, when the body closes or the app fails. */
class ProfileRun {
  readonly #environ: Environ;
  readonly #settings: Settings;
  readonly #started = performance.now();
  readonly #time = Date.now();
  #finished: Promise<void> | null = null;

  /**
   * The monotonic clock (`process.hrtime`, the clock V8 stamps samples with, in ns) just before `Profiler.start`, and
   * when it had started: what V8 did in between (listing the code already compiled) is cut from the profile, as is
   * what `Profiler.stop` does after the body's close.
   */
  readonly #beforeStart: bigint;
  readonly #afterStart: bigint;

  constructor(environ: Environ, settings: Settings, beforeStart: bigint, afterStart: bigint) {
    this.#environ = environ;
    this.#settings = settings;
    this.#beforeStart = beforeStart;
    this.#afterStart = afterStart;
  }

  /** Stops the profiler, hands it to the next request, then prints the table, writes the file, calls onProfile. */
  finish(): Promise<void> {
    this.#finished ??= this.#finish();
    return this.#finished;
  }

  async #finish(): Promise<void> {
    const environ = this.#environ;
    const settings = this.#settings;
    let profile: CpuProfile;
    const beforeStop = process.hrtime.bigint();
    try {
      ({ profile } = await post<{ profile: CpuProfile }>('Profiler.stop'));
    } catch (error) {
      // Never an app's error in its place, nor an unhandled rejection: the request is just not profiled.
      environ['tsgi.errors']?.write(
        `profiler: V8's profiler did not stop, so this request has no profile: ${String(error)}\n`,
      );
      return;
    } finally {
      release();
    }
    // Offsets from the moment before Profiler.start, which is V8's startTime to within some microseconds.
    const micros = (at: bigint): number => Number(at - this.#beforeStart) / 1000;
    trimProfile(profile, micros(this.#afterStart), micros(beforeStop));
    mapToSources(profile);
    const pathInfo = typeof environ.PATH_INFO === 'string' ? environ.PATH_INFO : '';
    const request: ProfiledRequest = {
      method: typeof environ.REQUEST_METHOD === 'string' ? environ.REQUEST_METHOD : 'GET',
      path: pathInfo.replace(/^\/+|\/+$/g, '').replaceAll('/', '.') || 'root',
      elapsed: Math.round(performance.now() - this.#started),
      time: this.#time,
    };
    const report = (what: string, error: unknown): void => {
      environ['tsgi.errors']?.write(`profiler: ${what}: ${error instanceof Error ? error.message : String(error)}\n`);
    };
    if (settings.stream !== null) {
      try {
        const table = formatProfileTable({
          path: pathInfo,
          summary: summarizeProfile(profile),
          sortBy: settings.sortBy,
          restrictions: settings.restrictions,
          samplingInterval: settings.samplingInterval,
          location,
        });
        settings.stream.write(table);
      } catch (error) {
        report('could not print the table', error);
      }
    }
    if (settings.dir !== null) {
      try {
        const format = settings.filenameFormat;
        const name = safeSegment(typeof format === 'string' ? formatName(format, request) : format(environ, request));
        await writeProfile(settings.dir, name, JSON.stringify(profile));
      } catch (error) {
        report(`could not write the profile into ${settings.dir}`, error);
      }
    }
    try {
      settings.onProfile?.(profile, request, environ);
    } catch (error) {
      report('onProfile threw', error);
    }
  }

  /** The app's body with a close() that ends the profile after the inner body's own close. */
  wrap(body: Body): Body {
    const close = (): Promise<void> => {
      const inner = (body as { close?: unknown } | null | undefined)?.close;
      let closed: unknown;
      try {
        closed = typeof inner === 'function' ? inner.call(body) : undefined;
      } catch (error) {
        return this.finish().then(() => Promise.reject(error));
      }
      if (!isPromiseLike(closed)) return this.finish();
      return Promise.resolve(closed).then(
        () => this.finish(),
        (error: unknown) => this.finish().then(() => Promise.reject(error)),
      );
    };
    if (Array.isArray(body)) {
      // A list stays a list (the server's fast path); a copy, since the app may return one constant array.
      const list: BodyChunk[] & { close?: () => Promise<void> } = body.slice();
      list.close = close;
      return list;
    }
    if (typeof body === 'object' && body !== null) {
      if (Symbol.asyncIterator in body) {
        const inner = body as AsyncIterable<BodyChunk>;
        return { [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](), close };
      }
      if (Symbol.iterator in body) {
        const inner = body as Iterable<BodyChunk>;
        return { [Symbol.iterator]: () => inner[Symbol.iterator](), close };
      }
    }
    // Not a body: the server answers 500 and has nothing of ours to close, so the profile ends now.
    void this.finish();
    return body;
  }
}

interface Settings {
  stream: { write(text: string): unknown } | null;
  sortBy: 'self' | 'total';
  restrictions: readonly ProfileRestriction[];
  dir: string | null;
  filenameFormat: string | ((environ: Environ, request: ProfiledRequest) => string);
  samplingInterval: number;
  queueTimeout: number;
  onProfile: ProfilerOptions['onProfile'];
}

function settingsOf(options: ProfilerOptions): Settings {
  const sortBy = options.sortBy ?? 'self';
  if (sortBy !== 'self' && sortBy !== 'total') {
    throw new TypeError(
      `profiler(): sortBy is ${JSON.stringify(sortBy)}; use 'self' or 'total' (V8's sampling profiler counts no calls, so there is no 'calls')`,
    );
  }
  const stream = options.stream === undefined ? process.stdout : options.stream;
  if (stream !== null && typeof stream?.write !== 'function')
    throw new TypeError('profiler(app, { stream }): stream needs a write(text) method, or null for no tables');
  const restrictions = options.restrictions ?? [];
  for (const restriction of restrictions) {
    const ok =
      (typeof restriction === 'number' && restriction >= 0 && Number.isFinite(restriction)) ||
      typeof restriction === 'string' ||
      restriction instanceof RegExp;
    if (!ok)
      throw new TypeError(
        `profiler(): restriction ${String(restriction)} is neither a row count (10), a fraction (0.2) nor a pattern ('app\\.ts' or /app\\.ts/)`,
      );
  }
  const filenameFormat = options.filenameFormat ?? DEFAULT_FORMAT;
  if (typeof filenameFormat === 'string') {
    for (const [, field] of filenameFormat.matchAll(PLACEHOLDER))
      if (!FIELDS.has(field!))
        throw new TypeError(
          `profiler(): filenameFormat has {${field}}; the placeholders are {method}, {path}, {elapsed} and {time}`,
        );
  } else if (typeof filenameFormat !== 'function') {
    throw new TypeError(
      'profiler(): filenameFormat is a string with placeholders or a function (environ, request) => name',
    );
  }
  const samplingInterval = options.samplingInterval ?? 100;
  if (!Number.isInteger(samplingInterval) || samplingInterval < 1)
    throw new TypeError(`profiler(): samplingInterval is microseconds, a whole number from 1; not ${samplingInterval}`);
  const queueTimeout = options.queueTimeout ?? 2000;
  if (!(queueTimeout >= 0)) throw new TypeError(`profiler(): queueTimeout is milliseconds from 0; not ${queueTimeout}`);
  return {
    stream,
    sortBy,
    restrictions,
    dir: options.dir == null ? null : resolve(options.dir),
    filenameFormat,
    samplingInterval,
    queueTimeout,
    onProfile: options.onProfile,
  };
}

/**
 * Profiles each request with V8's CPU profiler (through `node:inspector`), Werkzeug's `ProfilerMiddleware`: prints a
 * table of the functions it spent time in to `stream` (`PATH: '/users/7'`, then self ms, total ms, function and
 * `url:line` per row), and with `dir` writes a `.cpuprofile` file per request, which Chrome DevTools' Performance
 * panel and speedscope (https://www.speedscope.app) open as a flame chart.
 *
 * A profile covers the request from the app's call to the body's `close()`, streams included: a stream's time waiting
 * for its data or for the client shows as `(idle)`. Werkzeug's profiles the app's call only and buffers the body to
 * do so; here the body is not buffered, so a stream stays a stream.
 *
 * V8's profiler samples the stack (every `samplingInterval` µs) instead of counting calls as cProfile does, so the
 * table has times and no call counts, and a function shorter than the interval may be missed; for a function that
 * only ran briefly, lower the interval or repeat the request.
 *
 * There is one V8 profiler per thread, and concurrent requests interleave on that thread: a profile taken while two
 * requests run holds both requests' work, which would make the table lie. So profiled requests take turns: one holds
 * the profiler until its body closes, and the next waits. A request that waits longer than `queueTimeout` (a long
 * stream holds the profiler, or a request waits for another to the same server) runs unprofiled instead, with a note
 * on `stream`, and the profile then running holds its work too. For development only: requests queue, and each waits
 * for V8's profiler to start (it lists every compiled function first: tens of milliseconds, cut from the profile).
 *
 * @example
 * import { profiler } from 'flagon/middleware';
 * import { serve } from 'flagon/serving';
 *
 * await serve(profiler(app.gatewayApp, { dir: 'profiles', restrictions: [20] }), { port: 8000 });
 * // --------------------------------------------------------------------------------
 * // PATH: '/users/7'
 * //          312 samples in 34.215 ms (one every 100 µs; a sampling profiler counts no calls)
 * // …
 * //    self ms   total ms  function        url:line
 * //     30.120     30.120  slowFibonacci   app.ts:12
 */
export function profiler(app: GatewayApp, options: ProfilerOptions = {}): GatewayApp {
  if (typeof app !== 'function')
    throw new TypeError('profiler(app, options): app is not a TSGI app; pass app.gatewayApp for a Flagon App');
  const settings = settingsOf(options);
  return async function profiled(environ: Environ, startResponse: StartResponse): Promise<Body> {
    const label = `${String(environ.REQUEST_METHOD)} ${quoteForLog(String(environ.PATH_INFO ?? ''))}`;
    if (!(await acquire(label, settings.queueTimeout))) {
      settings.stream?.write(
        `PATH: ${quoteForLog(String(environ.PATH_INFO ?? ''))}: not profiled; the profiler was still busy with ${holder ?? 'another request'} after ${settings.queueTimeout} ms (a stream, or a request waiting for this one?), and that profile includes this request's work\n`,
      );
      return app(environ, startResponse);
    }
    let beforeStart: bigint;
    let afterStart: bigint;
    try {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: settings.samplingInterval });
      beforeStart = process.hrtime.bigint();
      await post('Profiler.start');
      afterStart = process.hrtime.bigint();
    } catch (error) {
      release();
      environ['tsgi.errors']?.write(
        `profiler: V8's profiler did not start, so this request is not profiled: ${String(error)}\n`,
      );
      return app(environ, startResponse);
    }
    const run = new ProfileRun(environ, settings, beforeStart, afterStart);
    let body: Body;
    try {
      const result = app(environ, startResponse);
      body = isPromiseLike(result) ? await result : result;
    } catch (error) {
      await run.finish();
      throw error;
    }
    return run.wrap(body);
  };
}
