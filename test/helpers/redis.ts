/**
 * A private redis-server for the tests that need Redis (test/sessions, test/serving/behind-nginx): no TCP port, a
 * unix socket in a temp folder, no persistence. Started and stopped by PID; ready when it says so on stdout.
 * redis-server comes from .ci/install-system-deps.sh.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** redis-server from PATH or where Debian puts it, or `null` (the tests then skip and say why). */
export function findRedisServer(): string | null {
  for (const candidate of [
    ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'redis-server')),
    '/usr/bin/redis-server',
  ]) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

export const REDIS_SERVER = findRedisServer();
export const MISSING_REDIS =
  'redis-server is not installed; the Redis session tests are skipped. Run: sudo .ci/install-system-deps.sh';

export interface RedisProcess {
  readonly pid: number;
  /** `unix://…/redis.sock`, for RedisSessionStore and createClient. */
  readonly url: string;
  /** SIGTERM by PID; resolves when the process has exited. */
  stop(): Promise<void>;
}

/** Starts redis-server on `dir/redis.sock` and resolves once it prints that it accepts connections. */
export function startRedis(dir: string): Promise<RedisProcess> {
  const socket = join(dir, 'redis.sock');
  const child: ChildProcess = spawn(
    REDIS_SERVER!,
    ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer): void => {
      log += chunk.toString('utf8');
      // Redis 7.0: "The server is now ready to accept connections at …"; 7.2 and later: "Ready to accept connections".
      if (!/ready to accept connections/i.test(log)) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume(); // keep draining, so a chatty server never blocks on a full pipe
      resolve({
        pid: child.pid!,
        url: `unix://${socket}`,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${log}`)));
  });
}
