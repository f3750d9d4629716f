// A node:cluster primary for the baselines of bench/cluster/run.mjs, as `flagon serve` runs one: it forks the workers
// (default SCHED_RR: the primary accepts every connection and hands it to a worker in turn), and prints the same
// lines as flagon serve's primary (`Listening at: …`, `Worker booted (pid: …)`), so the runner waits on them all alike.
// SIGTERM: the workers close their listeners and idle connections, then the primary exits 0.
import cluster from 'node:cluster';

/**
 * Runs `httpServer()` (a node:http server not listening yet, as bench/servers/*-app.mjs export) in `workers` workers
 * on 127.0.0.1, the port from argv[2] (0: one the kernel picks, shared by every worker).
 */
export function runCluster(httpServer, workers = 2) {
  const port = Number(process.argv[2] ?? 0);
  if (cluster.isPrimary) {
    let announced = false;
    cluster.on('listening', (_worker, address) => {
      if (announced) return;
      announced = true;
      process.stdout.write(`Listening at: http://${address.address}:${address.port} (${process.pid})\n`);
    });
    cluster.on('message', (worker, message) => {
      if (message === 'ready') process.stdout.write(`Worker booted (pid: ${worker.process.pid})\n`);
    });
    let stopping = false;
    let exited = 0; // counted here: a worker can still be in cluster.workers at its 'exit' when its IPC closes later
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping) {
        process.stderr.write(`Worker (pid:${worker.process.pid}) exited with ${signal ?? code}\n`);
        process.exit(1);
      }
      if (++exited === workers) process.exit(0);
    });
    process.on('SIGTERM', () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers)) worker.send('stop');
    });
    for (let i = 0; i < workers; i++) cluster.fork();
    return;
  }
  httpServer().then((server) => {
    server.listen(port, '127.0.0.1', () => process.send('ready'));
    process.on('message', (message) => {
      if (message !== 'stop') return;
      server.close(() => process.exit(0));
      server.closeIdleConnections();
    });
  });
}
