/** @module The primary of prefork() (layer L4): keeps the workers running, as gunicorn's arbiter, and answers its signals. */
import cluster, { type Worker } from 'node:cluster';
import { lstatSync, unlinkSync } from 'node:fs';
import { inspect } from 'node:util';
import {
  APP_LOAD_ERROR,
  type Bind,
  heartbeatInterval,
  messageKind,
  type PreforkOptions,
  WORKER_BOOT_ERROR,
} from './prefork-protocol.js';

/** A worker as the primary sees it: booting, serving, or leaving (told to stop, or killed). */
interface Member {
  worker: Worker;
  pid: number;
  state: 'booting' | 'ready' | 'leaving';
  /** It asked to be replaced, and its replacement is on its way. */
  retiring?: boolean;
  /** Whether it ever served (it may have been told to leave while still booting). */
  booted: boolean;
  lastBeat: number;
  /** Called when it is ready; when it dies before, `failed` decides what happens (default: the primary stops). */
  ready?: () => void;
  failed?: () => void;
}

/** Runs in the primary; resolves with the exit code once every worker is gone. */
export async function runArbiter(options: PreforkOptions, binds: readonly Bind[]): Promise<number> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (options.preload) {
    try {
      await options.load();
    } catch (error) {
      process.stderr.write(`Failed to load the app (--preload):\n${inspect(error)}\n`);
      return APP_LOAD_ERROR;
    }
  }
  for (const bind of binds) if ('path' in bind) removeStaleSocket(bind.path);
  // The workers accept from the shared listening socket themselves, as gunicorn's do, rather than by node's default
  // round-robin, where the primary accepts and hands each connection over IPC: a connection handed to a worker at
  // the moment it dies is lost (seen under kill -9 at 2,000 req/s: a request that hung for 55 s, then was reset),
  // while a dead worker accepts nothing. NODE_CLUSTER_SCHED_POLICY=rr brings node's way back.
  if (!process.env.NODE_CLUSTER_SCHED_POLICY) cluster.schedulingPolicy = cluster.SCHED_NONE;
  return new Arbiter(options, log).run();
}

class Arbiter {
  private readonly members = new Map<Worker, Member>();
  private readonly listening = new Set<string>();
  private readonly gracefulTimeout: number;
  private readonly timeout: number;
  private readonly secure: boolean;
  private readonly workerEnv: PreforkOptions['workerEnv'];
  /** The variables every worker forked now gets: worked out at the start and on each SIGHUP, never per fork. */
  private env: Readonly<Record<string, string | undefined>> | undefined;
  private target: number;
  private stopping = false;
  private reloading = false;
  private exitCode = 0;
  /** Resolves run()'s promise; set by run(). */
  private done: (code: number) => void = () => undefined;
  /** Takes the signal handlers and the watchdog away; set by run(). */
  private finished = (): void => undefined;
  private readonly signals: Partial<Record<NodeJS.Signals, () => void>> = {
    SIGTERM: () => this.stop('SIGTERM'),
    SIGINT: () => this.stop('SIGINT'),
    SIGHUP: () => this.reload(),
    SIGTTIN: () => this.resize(+1),
    SIGTTOU: () => this.resize(-1),
  };

  constructor(
    options: PreforkOptions,
    private readonly log: (line: string) => void,
  ) {
    this.target = options.workers;
    this.gracefulTimeout = options.gracefulTimeout ?? 30_000;
    this.timeout = options.timeout ?? 30_000;
    this.secure = Boolean(options.tls);
    this.workerEnv = options.workerEnv;
    this.env = this.readWorkerEnv("Could not read the workers' environment; they get the primary's") ?? undefined;
  }

  /** `workerEnv()`, or `null` after logging why it failed (a dotenv file that cannot be read, say). */
  private readWorkerEnv(failure: string): Readonly<Record<string, string | undefined>> | undefined | null {
    try {
      return this.workerEnv?.();
    } catch (error) {
      this.log(`${failure}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  run(): Promise<number> {
    return new Promise<number>((resolve) => {
      this.done = resolve;
      for (const [signal, handler] of Object.entries(this.signals)) process.on(signal, handler);
      cluster.on('listening', (_worker, address) => this.announce(address));
      cluster.on('exit', (worker, code, signal) => this.exited(worker, code, signal));
      const watchdog =
        this.timeout > 0 ? setInterval(() => this.checkHeartbeats(), heartbeatInterval(this.timeout)) : null;
      this.finished = () => {
        if (watchdog) clearInterval(watchdog);
        for (const [signal, handler] of Object.entries(this.signals)) process.off(signal, handler);
      };
      for (let i = 0; i < this.target; i += 1) this.spawn();
    });
  }

  /** Forks a worker; `ready` runs once it serves, `failed` if it dies before (default: stop with WORKER_BOOT_ERROR). */
  private spawn(ready?: () => void, failed?: () => void): Member {
    const worker = cluster.fork(this.env);
    const member: Member = {
      worker,
      pid: worker.process.pid ?? 0,
      state: 'booting',
      booted: false,
      lastBeat: Date.now(),
      ready,
      failed,
    };
    this.members.set(worker, member);
    this.log(`Booting worker with pid: ${member.pid}`);
    // A message sent to a worker that has just died (its end closed, its exit not yet seen here) fails with EPIPE or
    // ERR_IPC_CHANNEL_CLOSED, emitted as 'error': unheard, that would crash the primary. Its exit event follows.
    worker.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_IPC_CHANNEL_CLOSED')
        this.log(`Worker (pid:${member.pid}) channel error: ${error.message}`);
    });
    worker.on('message', (message: unknown) => {
      const kind = messageKind(message);
      member.lastBeat = Date.now();
      if (kind === 'ready' && member.state === 'booting') {
        member.state = 'ready';
        member.booted = true;
        this.log(`Worker booted (pid: ${member.pid})`);
        member.ready?.();
      } else if (kind === 'drained') {
        // Killed by the graceful timeout in between, the worker has no channel left: sending would throw.
        if (member.worker.isConnected()) member.worker.send({ flagon: 'exit' });
      } else if (kind === 'retire' && member.state === 'ready' && !member.retiring && !this.stopping) {
        // Once: a second retire (an exception after --max-requests) must not start a second replacement.
        member.retiring = true;
        const { reason } = message as { reason: string };
        this.log(`Worker (pid:${member.pid}) ${reason}: replacing it`);
        this.replace(member);
      }
    });
    return member;
  }

  /** A new worker first; once it serves, the old one drains. If the new one cannot boot, the old one keeps serving. */
  private replace(old: Member): void {
    this.spawn(
      () => this.dismiss(old),
      () => this.log(`Worker (pid:${old.pid}) keeps serving: its replacement failed to boot (its error is above)`),
    );
  }

  /** Tells a worker to stop accepting, finish its requests and exit; kills it after the graceful timeout. */
  private dismiss(member: Member): void {
    if (member.state === 'leaving') return;
    member.state = 'leaving';
    if (member.worker.isConnected()) member.worker.send({ flagon: 'stop' });
    setTimeout(() => {
      if (member.worker.isDead()) return;
      this.log(`Worker (pid:${member.pid}) did not stop within ${this.gracefulTimeout} ms: killing it`);
      this.exitCode ||= 1;
      member.worker.process.kill('SIGKILL');
    }, this.gracefulTimeout).unref();
  }

  private stop(signal: NodeJS.Signals): void {
    if (this.stopping) {
      // A second signal: no more waiting.
      for (const member of this.members.values()) member.worker.process.kill('SIGKILL');
      this.exitCode ||= 1;
      return;
    }
    this.log(`Handling signal: ${signal}; stopping the workers (up to ${this.gracefulTimeout} ms)`);
    this.halt(0);
  }

  private halt(code: number): void {
    this.stopping = true;
    this.exitCode ||= code;
    for (const member of this.members.values()) this.dismiss(member);
    this.finishIfDone();
  }

  /** SIGHUP: as many new workers as there should be, with the code now on disk; once all serve, the old ones drain. */
  private reload(): void {
    if (this.stopping) return;
    if (this.reloading) {
      this.log('Handling signal: SIGHUP; a reload is already under way: ignored');
      return;
    }
    // The new workers get the dotenv files as they are now; the old env comes back if the reload fails.
    const env = this.readWorkerEnv("Reload failed: the new workers' environment could not be read");
    if (env === null) {
      this.log('Reload abandoned; the old workers keep serving');
      return;
    }
    const previousEnv = this.env;
    this.env = env;
    this.reloading = true;
    const old = [...this.members.values()].filter((member) => member.state !== 'leaving');
    this.log(`Handling signal: SIGHUP; starting ${this.target} new workers, then stopping the ${old.length} old ones`);
    const fresh: Member[] = [];
    let waiting = this.target;
    let failed = false;
    const onReady = (member: Member): void => {
      if (failed) this.dismiss(member);
      else if (--waiting === 0) {
        this.reloading = false;
        for (const member of old) this.dismiss(member);
        this.log(`Reload done: ${fresh.length} new workers serving; the old ones are draining`);
      }
    };
    const onFailed = (): void => {
      if (failed) return;
      failed = true;
      this.reloading = false;
      this.env = previousEnv;
      for (const member of fresh) if (member.state === 'ready') this.dismiss(member);
      this.log('Reload failed: a new worker could not boot (its error is above); the old workers keep serving');
    };
    for (let i = 0; i < this.target; i += 1) {
      const member = this.spawn(() => onReady(member), onFailed);
      fresh.push(member);
    }
  }

  /** SIGTTIN (+1) and SIGTTOU (-1): one worker more, or the oldest one less; never fewer than one. */
  private resize(by: 1 | -1): void {
    if (this.stopping) return;
    if (by < 0 && this.target === 1) {
      this.log('Handling signal: SIGTTOU; one worker is the fewest: ignored');
      return;
    }
    this.target += by;
    this.log(`Handling signal: ${by > 0 ? 'SIGTTIN' : 'SIGTTOU'}; workers: ${this.target}`);
    if (by > 0) {
      this.spawn();
      return;
    }
    const oldest = [...this.members.values()].find((member) => member.state !== 'leaving');
    if (oldest) this.dismiss(oldest);
  }

  private checkHeartbeats(): void {
    const now = Date.now();
    for (const member of this.members.values()) {
      if (member.state === 'leaving' || now - member.lastBeat <= this.timeout) continue;
      this.log(
        `WORKER TIMEOUT (pid:${member.pid}): no heartbeat for ${now - member.lastBeat} ms (over --timeout ${this.timeout} ms); its event loop is blocked: killing it`,
      );
      member.worker.process.kill('SIGKILL');
      member.lastBeat = Number.POSITIVE_INFINITY; // once
    }
  }

  private exited(worker: Worker, code: number, signal: string | null): void {
    const member = this.members.get(worker);
    if (!member) return;
    this.members.delete(worker);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (member.state === 'leaving') this.log(`Worker (pid:${member.pid}) stopped (exit ${how})`);
    if (this.stopping) {
      // A worker that never served (a failed reload's) says nothing of how the stop went.
      if (code !== 0 && member.booted) this.exitCode ||= 1;
    } else if (member.state === 'booting') {
      if (member.failed) member.failed();
      else {
        // It never served: the app or a bind is broken, and a new worker would fail the same way.
        process.stderr.write(`Worker (pid:${member.pid}) failed to boot (exit ${how}): stopping\n`);
        this.halt(WORKER_BOOT_ERROR);
      }
    } else if (member.state === 'ready') {
      this.log(`Worker (pid:${member.pid}) exited with ${how}: replacing it`);
      this.spawn();
    }
    this.finishIfDone();
  }

  /** Set once the arbiter has said why it shuts down: a halt from a worker's exit handler finishes once, not twice. */
  private over = false;

  private finishIfDone(): void {
    if (!this.stopping || this.members.size > 0 || this.over) return;
    this.over = true;
    this.finished();
    const why =
      this.exitCode === WORKER_BOOT_ERROR
        ? 'worker failed to boot'
        : this.exitCode === 0
          ? 'all workers stopped'
          : 'all workers stopped, not all cleanly';
    this.log(`Shutting down: ${why}`);
    this.done(this.exitCode);
  }

  /** `Listening at: …` once per bind, when the first worker listens on it. */
  private announce(address: { address: string; port: number; addressType: number | string }): void {
    const scheme = this.secure ? 'https' : 'http';
    const name =
      address.addressType === -1 || typeof address.port !== 'number'
        ? `unix:${address.address}`
        : `${scheme}://${address.address.includes(':') ? `[${address.address}]` : address.address || '127.0.0.1'}:${address.port}`;
    if (this.listening.has(name)) return;
    this.listening.add(name);
    this.log(`Listening at: ${name} (${process.pid})`);
  }
}

/** Removes a UNIX socket left by a server that did not close it; any other kind of file is left alone. */
function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
