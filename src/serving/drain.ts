/** @module Draining a node:http server gracefully (layer L4): stop accepting, finish every request, lose none in between. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

const kLast = Symbol('flagon.lastResponse');
type Tracked = Socket & { [kLast]?: ServerResponse };

/** How long a connection that has sent no request yet may stay once draining began. */
const FRESH_GRACE = 1_000;

/**
 * Drains a server the way a worker of `flagon serve` stops: it stops accepting, every request already received is
 * answered (with `Connection: close`, once draining), a keep-alive connection is closed as soon as it is idle, and a
 * connection accepted a moment before is given a second to send its request instead of being cut. (http.Server's
 * own `close()` destroys every connection without a request in progress, and a client whose new connection is cut
 * before its request was read sees a reset it cannot tell from a lost request, so it does not retry.)
 *
 * @example
 * const drain = new ServerDrain(server, false);
 * server.on('request', (req, res) => { drain.request(req, res); listener(req, res); });
 * process.on('SIGTERM', () => drain.start(() => process.exit(0)));
 */
export class ServerDrain {
  private readonly sockets = new Set<Tracked>();
  /** Whether {@link ServerDrain.start} has been called. */
  draining = false;

  constructor(
    private readonly server: Server,
    secure: boolean,
  ) {
    server.on(secure ? 'secureConnection' : 'connection', (socket: Tracked) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /**
   * Notes a request before the app runs: its connection is no longer fresh, and once draining its answer closes it.
   *
   * @example
   * server.on('request', (req, res) => drain.request(req, res));
   */
  request(req: IncomingMessage, res: ServerResponse): void {
    (req.socket as Tracked)[kLast] = res;
    if (this.draining) res.shouldKeepAlive = false;
  }

  /**
   * Stops accepting and closes connections as they become idle (checked every 100 ms); `closed` runs once the last
   * one is gone.
   *
   * @example
   * drain.start(() => console.log('drained'));
   */
  start(closed: () => void): void {
    if (this.draining) return;
    this.draining = true;
    NetServer.prototype.close.call(this.server, () => closed());
    const began = Date.now();
    const sweep = (): void => {
      for (const socket of this.sockets) {
        const last = socket[kLast];
        if (last === undefined ? Date.now() - began > FRESH_GRACE : last.writableFinished) socket.destroy();
      }
    };
    sweep();
    setInterval(sweep, 100).unref();
  }
}
