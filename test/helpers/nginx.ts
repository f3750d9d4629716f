/**
 * A private nginx for the tests that put Flagon behind a real reverse proxy: a child process in the foreground
 * (`daemon off`, `master_process off`: one process, stopped by its PID), its prefix, config, pid file and temp folders
 * in a temp folder, its error log on stderr (kept for failure messages). nginx comes from .ci/install-system-deps.sh.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** nginx from PATH or where Debian puts it (/usr/sbin, often not on a user's PATH), or `null`: the tests then skip. */
export function findNginx(): string | null {
  for (const candidate of [
    ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'nginx')),
    '/usr/sbin/nginx',
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

export const NGINX = findNginx();
export const MISSING_NGINX =
  'nginx is not installed; the tests behind a real nginx are skipped. Run: sudo .ci/install-system-deps.sh';

export interface NginxProcess {
  readonly pid: number;
  /** The generated nginx.conf, as nginx read it. */
  readonly config: string;
  /** What nginx has written to its error log (stderr) so far. */
  log(): string;
  /** SIGTERM by PID (nginx's fast shutdown); resolves when the process has exited. */
  stop(): Promise<void>;
}

/**
 * Writes `dir/nginx.conf` around `http` (the text inside `http { … }`: upstreams and servers that `listen` on
 * 127.0.0.1 ports the caller chose, since nginx cannot report a port 0 it was given) and starts nginx on it. Every
 * path nginx would otherwise take from its build (/var/lib/nginx, /var/log/nginx, /run/nginx.pid) is in `dir`, so it
 * runs as any user and leaves nothing behind. Resolves when nginx has written its pid file: it does that after it
 * bound and listened on every socket, as the last step before its event loop, so a connection made then is accepted.
 * Rejects with nginx's own error (a config mistake, a port in use) when it exits first.
 */
export function startNginx(dir: string, http: string): Promise<NginxProcess> {
  const pidFile = join(dir, 'nginx.pid');
  const config = `# written by test/helpers/nginx.ts
daemon off;
master_process off;
pid ${pidFile};
error_log stderr notice;
events {
    worker_connections 256;
}
http {
    access_log off;
    client_body_temp_path ${join(dir, 'client_body')};
    proxy_temp_path ${join(dir, 'proxy')};
    fastcgi_temp_path ${join(dir, 'fastcgi')};
    uwsgi_temp_path ${join(dir, 'uwsgi')};
    scgi_temp_path ${join(dir, 'scgi')};

${http}
}
`;
  const configFile = join(dir, 'nginx.conf');
  writeFileSync(configFile, config);
  // -e stderr: the error log nginx opens before it reads the config, else /var/log/nginx/error.log (root's).
  const child: ChildProcess = spawn(NGINX!, ['-e', 'stderr', '-p', dir, '-c', configFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const watcher = watch(dir, () => check());
    const check = (): void => {
      if (!existsSync(pidFile)) return;
      watcher.close();
      resolve({
        pid: child.pid!,
        config,
        log: () => log,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
          await exited;
        },
      });
    };
    child.once('error', (error) => {
      watcher.close();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      watcher.close();
      reject(new Error(`nginx exited (${code ?? signal}) before it was ready:\n${log}\n${config}`));
    });
    check();
  });
}
