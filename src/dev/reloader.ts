/** @module The reloader (layer L4): the parent process of `flagon run --reload`, owning the socket that its children take turns to listen on. */
// It binds the listening socket once and never closes it. On a change, a child that is already warm loads the new
// code while the old one still serves; then the old one stops accepting, the new one starts, and connections that
// arrive in between wait in the socket's backlog: none is refused.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getSystemErrorName } from 'node:util';
import { freshDotenv, type AppSpec } from './app-loader.js';
import { banner, type DevProfileOptions, devServerUrl } from './dev-server.js';
import type { ChildMessage, ParentMessage } from './dev-worker.js';
import type { TlsMaterial } from './tls.js';
import { watchTree, type TreeWatcher } from './watcher.js';

/**
 * Options of {@link startReloader}.
 *
 * @example
 * const options: ReloaderOptions = { app: { file: '/srv/app.ts', name: null }, host: '127.0.0.1', port: 5000, debug: true, watch: ['/srv'] };
 */
export interface ReloaderOptions {
  /** The app's module (`flagon run`), loaded by warm children; or `null` to re-run this process's script (`app.run`). */
  app: AppSpec | null;
  host: string;
  port: number;
  debug: boolean;
  /** Folders and files to watch. */
  watch: readonly string[];
  /** Glob patterns not to watch (`--exclude-patterns`). */
  exclude?: readonly string[];
  /** Where the banner and reload notices go. Default: standard output. */
  write?: (text: string) => void;
  /** Serve HTTPS: every child listens with this certificate (made once, so an adhoc one survives reloads). */
  tls?: TlsMaterial | null;
  /** Profile each request in every child (`flagon run --profile`). */
  profile?: DevProfileOptions | null;
  /** The debug page in debug mode (`flagon run --no-debugger` turns it off). Default `true`. */
  debugger?: boolean;
  /** The request inspector in debug mode (`flagon run --no-inspector` turns it off). Default `true`. */
  inspector?: boolean;
}

/**
 * A running reloader, from {@link startReloader}.
 *
 * @example
 * const reloader = await startReloader(options);
 * console.log(reloader.url);
 * await reloader.close();
 */
export interface Reloader {
  url: string;
  port: number;
  close(): Promise<void>;
}

type NativeHandle = { getsockname(out: { port?: number }): number; close(): void };
// node:net's own helper for a bound, not yet listening socket (what cluster hands to its workers). Listening on it
// is left to the children, so the parent never accepts a connection itself.
const createServerHandle = (
  net as unknown as { _createServerHandle(address: string, port: number, addressType: number): NativeHandle | number }
)._createServerHandle;
const WORKER = new URL('./dev-worker.js', import.meta.url);

class Child {
  readonly process: ChildProcess;
  readonly #waiting = new Map<ChildMessage['type'], (message: ChildMessage) => void>();
  #exit: ((code: string) => void) | null = null;
  exited = false;
  expectedExit = false;
  /** Set on a warm child: resolves when it has loaded tsx and Flagon and waits for `load`. */
  ready: Promise<unknown> | null = null;
  onUnexpectedExit: (code: string) => void = () => undefined;

  constructor(child: ChildProcess) {
    this.process = child;
    child.on('message', (message: ChildMessage) => {
      this.#waiting.get(message.type)?.(message);
      this.#waiting.delete(message.type);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      const how = signal ?? `code ${code}`;
      this.#exit?.(how);
      if (!this.expectedExit) this.onUnexpectedExit(how);
    });
  }

  /** Waits for a message of `type`; rejects if the child exits first. */
  expect<T extends ChildMessage['type']>(type: T, timeoutMs = 0): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error('exited'));
      let timer: NodeJS.Timeout | null = null;
      if (timeoutMs > 0) timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      this.#exit = (how) => reject(new Error(`the app process exited (${how})`));
      this.#waiting.set(type, (message) => {
        if (timer) clearTimeout(timer);
        resolve(message as Extract<ChildMessage, { type: T }>);
      });
    });
  }

  send(message: ParentMessage, handle?: NativeHandle): void {
    if (!this.exited && this.process.connected) this.process.send(message, handle as net.Server | undefined);
  }

  kill(): void {
    this.expectedExit = true;
    if (!this.exited) this.process.kill('SIGKILL');
  }
}

/**
 * Binds the socket, starts the first child, watches the files and reloads on change. Resolves once the first child
 * listens (or serves the page explaining why the app did not load), with the banner printed.
 *
 * @example
 * await startReloader({ app: locateApp(undefined, process.cwd()), host: '127.0.0.1', port: 5000, debug: true, watch: [process.cwd()] });
 */
export async function startReloader(options: ReloaderOptions): Promise<Reloader> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const handle = await bind(options.host, options.port);
  const address: { port?: number } = {};
  if (handle.getsockname(address) !== 0 || !address.port) {
    // libuv reports EADDRINUSE late (at listen, in a child); a socket that has no address was never bound.
    handle.close();
    throw Object.assign(
      new Error(
        `cannot listen on ${options.host}:${options.port} (EADDRINUSE): the port is in use; stop the other server or pass another --port (0 picks a free one)`,
      ),
      { code: 'EADDRINUSE' },
    );
  }
  const port = address.port;
  const tls = options.tls ?? null;
  const url = devServerUrl(options.host, port, tls !== null);
  const warm = options.app ? flagonEntry(options.app.file) : null;
  let active: Child | null = null;
  let standby: Child | null = null;
  let busy = false;
  let pending: string | null = null;
  let closed = false;

  const spawnWorker = (): Child =>
    new Child(
      fork(WORKER, warm ? [warm] : [], { stdio: 'inherit', execArgv: [...process.execArgv, '--enable-source-maps'] }),
    );
  const spawnScript = (): Child =>
    new Child(
      spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, FLAGON_RUN_MAIN: 'true', FLAGON_RUN_HOST: options.host, FLAGON_RUN_PORT: String(port) },
      }),
    );
  const nextStandby = (): void => {
    if (options.app && !closed) {
      standby = spawnWorker();
      standby.ready = standby.expect('standby');
      standby.ready.catch(() => undefined);
    }
  };

  /** A child with the app loaded (`ok`), or with a page saying why it is not (a dotenv file it cannot read, too). */
  const prepare = async (): Promise<{ child: Child; name: string; ok: boolean }> => {
    try {
      if (options.app) {
        const env = freshDotenv(options.app.file);
        const child = (standby as Child | null) ?? spawnWorker();
        const ready = child.ready ?? child.expect('standby');
        standby = null;
        await ready;
        const { profile } = options;
        child.send({
          type: 'load',
          spec: options.app,
          debug: options.debug,
          debugger: options.debugger ?? true,
          inspector: options.inspector ?? true,
          host: options.host,
          port,
          env: env.values,
          unset: env.unset,
          profile,
        });
        const { name, ok } = await child.expect('loaded');
        return { child, name, ok };
      }
      const child = spawnScript();
      const { name, ok } = await child.expect('loaded');
      return { child, name, ok };
    } catch (error) {
      const child = spawnWorker();
      await child.expect('standby');
      const message = `${(error as Error).message} while loading the app. Its error is in the terminal.`;
      child.send({
        type: 'page',
        title: 'The app process exited while it loaded. Fix the error and save: the server reloads by itself.',
        message,
        debug: options.debug,
        debugger: options.debugger ?? true,
        host: options.host,
        port,
      });
      await child.expect('loaded');
      return { child, name: options.app?.file ?? 'app', ok: false };
    }
  };

  const swap = async (next: Child): Promise<void> => {
    const old = active;
    if (old && !old.exited) {
      old.expectedExit = true;
      old.send({ type: 'drain' });
      await old.expect('stopped', 1_000).catch(() => old.kill()); // a child stuck in a loop is killed, not waited for
    }
    next.send({ type: 'listen', tls }, handle);
    await next.expect('listening');
    active = next;
    next.onUnexpectedExit = (how) => {
      if (active !== next || closed) return;
      active = null;
      write(` * The app process exited (${how}). Waiting for a change to restart it; meanwhile a page says so.\n`);
      void reload(null);
    };
  };

  const reload = async (file: string | null): Promise<void> => {
    if (busy) {
      pending = file ?? pending ?? '';
      return;
    }
    busy = true;
    try {
      if (file) write(` * Detected change in '${file}', reloading\n`);
      const started = performance.now();
      const { child, ok } = file === null && active === null ? await crashedPage() : await prepare();
      await swap(child);
      if (file && ok) write(` * Reloaded in ${Math.round(performance.now() - started)} ms\n`);
      else if (file) write(' * The app failed to load (its error is above); a page says so until the next change.\n');
      if (!standby) nextStandby();
    } finally {
      busy = false;
    }
    if (pending !== null && !closed) {
      const again = pending;
      pending = null;
      await reload(again || null);
    }
  };

  // After a crash, the page stays until a file changes: restarting at once could loop forever.
  const crashedPage = async (): Promise<{ child: Child; name: string; ok: boolean }> => {
    const child = spawnWorker();
    await child.expect('standby');
    child.send({
      type: 'page',
      title: 'The app process exited. Fix the cause and save: the server restarts it.',
      message: 'The app process exited; its error is in the terminal.',
      debug: options.debug,
      debugger: options.debugger ?? true,
      host: options.host,
      port,
    });
    await child.expect('loaded');
    return { child, name: 'app', ok: false };
  };

  const first = await prepare();
  await swap(first.child);
  nextStandby();
  const watcher: TreeWatcher = watchTree({ roots: options.watch, exclude: options.exclude }, (changed) => {
    void reload(changed).catch((error: unknown) => write(` * Reload failed: ${(error as Error).message}\n`));
  });
  write(
    banner({
      name: first.name,
      debug: options.debug,
      debugger: options.debugger,
      url,
      host: options.host,
      colour: process.stdout.isTTY,
      adhoc: tls?.adhoc,
    }),
  );
  write(
    ` * Restarting with fs.watch (${watcher.size} ${watcher.size === 1 ? 'folder or file' : 'folders and files'} watched under ${options.watch.map((p) => relative(process.cwd(), p) || '.').join(', ')})\n`,
  );
  if (options.debug && options.debugger !== false) write(' * Debugger is active!\n');

  return {
    url,
    port,
    async close() {
      closed = true;
      watcher.close();
      for (const child of [active, standby]) child?.kill();
      handle.close();
    },
  };
}

async function bind(host: string, port: number): Promise<NativeHandle> {
  const address = net.isIP(host) ? host : (await lookup(host)).address;
  const handle = createServerHandle(address, port, net.isIPv6(address) ? 6 : 4);
  if (typeof handle === 'number') {
    const code = getSystemErrorName(handle);
    const hint = code === 'EADDRINUSE' ? `: stop the other server or pass another --port (0 picks a free one)` : '';
    throw Object.assign(new Error(`cannot listen on ${host}:${port} (${code})${hint}`), { code });
  }
  return handle;
}

/** The Flagon the app imports, resolved from its folder, so the warm child loads the very same modules. */
function flagonEntry(appFile: string): string | null {
  try {
    return pathToFileURL(createRequire(appFile).resolve('flagon')).href;
  } catch {
    return new URL('../index.js', import.meta.url).href;
  }
}
