/** @module HTTPS for the development server (layer L4): `--cert FILE --key FILE` or `--cert adhoc` checked and read into PEM text, before any port is bound. */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { FlagonError } from '../gateway/errors.js';

/**
 * A certificate (with any intermediates after it) and its private key, as PEM text: what the dev server's HTTPS
 * listens with, and what the reloader hands to each of its children.
 *
 * @example
 * const tls: TlsMaterial = { cert: certPem, key: keyPem, adhoc: false };
 */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** A throwaway self-signed certificate made for this run (`--cert adhoc`). */
  adhoc: boolean;
}

/**
 * Where the certificate comes from: `cert` is a PEM file with `key` its private key's PEM file, or `'adhoc'` (no
 * `key`) for a throwaway self-signed certificate, as Flask's `--cert`/`--key` and `ssl_context`.
 *
 * @example
 * const files: TlsFiles = { cert: 'dev-cert.pem', key: 'dev-key.pem' };
 */
export interface TlsFiles {
  cert?: string | null;
  key?: string | null;
}

/**
 * How to name the two settings in error messages: `--cert`/`--key` on the command line, `options.cert`/`options.key`
 * for `app.run()`.
 *
 * @example
 * const names: TlsOptionNames = { cert: '--cert', key: '--key' };
 */
export interface TlsOptionNames {
  cert: string;
  key: string;
}

const RUN_NAMES: TlsOptionNames = { cert: 'options.cert', key: 'options.key' };

/**
 * Checks `cert`/`key` and reads them: `null` when neither is given (plain HTTP); for `'adhoc'`, a new self-signed
 * certificate for localhost, 127.0.0.1 and ::1 (and `host`, when it names one), made in memory by a module loaded only
 * then; for files, their PEM text after checking that each parses, that the key is the certificate's and that
 * OpenSSL takes the pair. A mistake throws a `FlagonError` (`FLAGON_ERR_BAD_ARGUMENT`) that names the file, what is
 * wrong with it and the fix. Relative paths are from the current folder.
 *
 * @example
 * const tls = await loadTls({ cert: 'adhoc' });
 * const server = createDevServer(app.gatewayApp, { debug: true, host: '127.0.0.1', port: 5000, tls });
 */
export async function loadTls(
  files: TlsFiles,
  options: { names?: TlsOptionNames; host?: string; cwd?: string } = {},
): Promise<TlsMaterial | null> {
  const names = options.names ?? RUN_NAMES;
  const { cert, key } = files;
  if (!cert) {
    if (key) fail(`${names.key} needs ${names.cert}: give the certificate's file too, or leave out ${names.key}`);
    return null;
  }
  if (cert.toLowerCase() === 'adhoc') {
    if (key)
      fail(
        `${names.key} is not used with ${names.cert} adhoc: the throwaway certificate brings its own key. Leave out ${names.key}, or give ${names.cert} a certificate file`,
      );
    const { adhocCertificate } = await import('./adhoc-cert.js');
    return { ...adhocCertificate(options.host), adhoc: true };
  }
  if (!key)
    fail(
      `${names.cert} ${cert} needs ${names.key}: the file of that certificate's private key (or use ${names.cert} adhoc for a throwaway self-signed certificate)`,
    );
  const cwd = options.cwd ?? process.cwd();
  const certPem = readPem(resolve(cwd, cert), cert, names.cert, "certificate's PEM file, or adhoc for a throwaway one");
  const keyPem = readPem(resolve(cwd, key), key, names.key, "private key's PEM file");
  const certificate = parseCertificate(certPem, cert, names);
  const privateKey = parseKey(keyPem, key, names);
  if (!certificate.checkPrivateKey(privateKey))
    fail(
      `${names.key} ${key} is not the private key of the certificate in ${names.cert} ${cert}: their public keys differ. Give the key the certificate was made with`,
    );
  try {
    createSecureContext({ cert: certPem, key: keyPem });
  } catch (error) {
    fail(`${names.cert} ${cert} with ${names.key} ${key}: OpenSSL refuses them (${(error as Error).message})`);
  }
  return { cert: certPem, key: keyPem, adhoc: false };
}

/** The file's text, or an error that says why it cannot be read and what `option` wants instead. */
function readPem(path: string, given: string, option: string, wanted: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `no such file (${path})`
        : code === 'EISDIR'
          ? 'that is a folder, not a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'the file cannot be read (permission denied)'
            : `the file cannot be read (${(error as Error).message})`;
    return fail(`${option} ${given}: ${why}. Give the ${wanted}`);
  }
}

function parseCertificate(text: string, file: string, names: TlsOptionNames): X509Certificate {
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text))
      fail(`${names.cert} ${file} holds a private key, not a certificate: are ${names.cert} and ${names.key} swapped?`);
    fail(
      `${names.cert} ${file} is not a PEM certificate: it has no '-----BEGIN CERTIFICATE-----' line. (A DER file converts with: openssl x509 -inform der -in ${file} -out cert.pem)`,
    );
  }
  try {
    return new X509Certificate(text);
  } catch (error) {
    return fail(
      `${names.cert} ${file} has a '-----BEGIN CERTIFICATE-----' block that does not parse (${(error as Error).message}): give a valid PEM certificate`,
    );
  }
}

function parseKey(text: string, file: string, names: TlsOptionNames): KeyObject {
  try {
    return createPrivateKey(text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MISSING_PASSPHRASE' || /ENCRYPTED/.test(text))
      fail(
        `${names.key} ${file} is encrypted with a passphrase, which the development server cannot ask for: write an unencrypted copy with: openssl pkey -in ${file} -out key-plain.pem`,
      );
    if (!/PRIVATE KEY-----/.test(text) && text.includes('-----BEGIN CERTIFICATE-----'))
      fail(`${names.key} ${file} holds a certificate, not a private key: are ${names.cert} and ${names.key} swapped?`);
    return fail(`${names.key} ${file} is not a PEM private key (${(error as Error).message}): give the key's PEM file`);
  }
}

function fail(message: string): never {
  throw new FlagonError('FLAGON_ERR_BAD_ARGUMENT', message);
}
