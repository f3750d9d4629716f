/** @module Builds a TSGI environ from a node:http request in one pass (layer L4); see docs/gateway.md §3 and §6. */
import type { IncomingMessage } from 'node:http';
import { addRequestHeaders, TSGI_VERSION } from '../gateway/environ.js';
import { splitRequestTarget } from '../gateway/url.js';
import type { Environ, ErrorStream, InputStream } from '../gateway/types.js';
import { absoluteTargetAuthority } from '../http/request-gate.js';

/** What the server knows about itself, fixed for its lifetime, so nothing here is recomputed per request. */
export interface ServerInfo {
  scheme: 'http' | 'https';
  errors: ErrorStream;
  /** SERVER_NAME and SERVER_PORT; when unknown (a listener mounted in someone else's server), read off the socket. */
  name: string | undefined;
  port: string | undefined;
  multiprocess: boolean;
}

/** A connection's two ends as environ strings: they never change while it lives, so they are read once per connection. */
interface Addresses {
  localAddress: string;
  localPort: string;
  remoteAddress: string;
  remotePort: string;
}

const kAddresses = Symbol('flagon.addresses');
type AddressedSocket = IncomingMessage['socket'] & { [kAddresses]?: Addresses };

function addressesOf(socket: AddressedSocket): Addresses {
  let addresses = socket[kAddresses];
  if (addresses === undefined) {
    addresses = {
      localAddress: socket.localAddress ?? '',
      localPort: socket.localPort === undefined ? '' : String(socket.localPort),
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort === undefined ? '' : String(socket.remotePort),
    };
    // A socket not connected yet (or a test double) may not know its addresses: keep only a complete answer.
    if (addresses.remoteAddress !== '' && addresses.localAddress !== '') socket[kAddresses] = addresses;
  }
  return addresses;
}

/**
 * The environ for one request that passed the request gate (`checkRequestHead`). Cheap by construction: no
 * `req.headers` object, no URL object, no decoding unless the path has a `%`, and `tsgi.input` is the request stream
 * itself.
 */
export function buildEnviron(req: IncomingMessage, server: ServerInfo): Environ {
  const target = req.url ?? '/';
  let pathInfo = target;
  let queryString = '';
  // The gate refused targets with a '#', so a path without '%' is PATH_INFO as it stands.
  if (target.charCodeAt(0) === 47 /* / */ && !target.includes('%')) {
    const question = target.indexOf('?');
    if (question >= 0) {
      pathInfo = target.slice(0, question);
      queryString = target.slice(question + 1);
    }
  } else {
    ({ pathInfo, queryString } = splitRequestTarget(target));
  }
  const addresses = addressesOf(req.socket);
  const environ: Environ = {
    REQUEST_METHOD: req.method ?? 'GET',
    SCRIPT_NAME: '',
    PATH_INFO: pathInfo,
    QUERY_STRING: queryString,
    REQUEST_URI: target,
    SERVER_NAME: server.name ?? addresses.localAddress,
    SERVER_PORT: server.port ?? addresses.localPort,
    SERVER_PROTOCOL: req.httpVersion === '1.1' ? 'HTTP/1.1' : `HTTP/${req.httpVersion}`,
    REMOTE_ADDR: addresses.remoteAddress,
    REMOTE_PORT: addresses.remotePort,
    'tsgi.version': TSGI_VERSION,
    'tsgi.url_scheme': server.scheme,
    'tsgi.input': req as InputStream,
    'tsgi.input_terminated': true,
    'tsgi.errors': server.errors,
    'tsgi.multithread': false,
    'tsgi.multiprocess': server.multiprocess,
    'tsgi.run_once': false,
  };
  addRequestHeaders(environ, req.rawHeaders);
  if (target.charCodeAt(0) !== 47 /* / */) {
    // RFC 9112 §3.2.2: with an absolute-form target the server uses its authority, not the Host field (as Werkzeug).
    const authority = absoluteTargetAuthority(target);
    if (authority) environ.HTTP_HOST = authority;
  }
  return environ;
}
