/** @module A throwaway self-signed certificate for `flagon run --cert adhoc` (layer L4), made in memory with node:crypto alone. */
// Node can make keys and signatures but not an X.509 certificate, so this file writes the certificate's DER (RFC 5280
// §4.1) itself: a fixed structure of a dozen fields. All the cryptography (the P-256 key, the ECDSA signature) is
// OpenSSL's, through node:crypto; nothing here parses input. Flask's adhoc needs the `cryptography` package; this one
// needs nothing, and it is imported only when adhoc is asked for.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * A certificate and its private key, PEM-encoded.
 *
 * @example
 * const { cert, key }: PemPair = adhocCertificate();
 */
export interface PemPair {
  cert: string;
  key: string;
}

/** How long an adhoc certificate is valid: a certificate lives as long as one `flagon run`, so a month is plenty. */
const VALID_DAYS = 30;
/** Names always in the certificate: the ones a browser on this machine uses for the dev server. */
const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'] as const;
/** Addresses that mean "every interface": no client connects to them by that name. */
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * Makes a self-signed certificate for `localhost`, `127.0.0.1` and `::1` (plus `host` when it names one address or
 * host), with a fresh P-256 key, valid from an hour ago for 30 days, for TLS servers only (extended key usage
 * serverAuth). Nothing is written to disk. Browsers warn about it, as about any certificate nobody vouches for.
 *
 * @example
 * const { cert, key } = adhocCertificate('192.168.1.20');
 * https.createServer({ cert, key }, listener);
 */
export function adhocCertificate(host?: string): PemPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const names: string[] = [...LOCAL_NAMES];
  const extra = host?.replace(/^\[|\]$/g, '');
  if (extra !== undefined && !WILDCARDS.has(extra) && !names.includes(extra.toLowerCase())) names.push(extra);
  const subject = seq(
    set(seq(oid('2.5.4.10'), utf8('Flagon development server (adhoc)'))),
    set(seq(oid('2.5.4.3'), utf8('localhost'))),
  );
  const now = Date.now();
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2')); // RFC 5758 §3.2: no parameters
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive (RFC 5280 §4.1.2.2) and without a leading zero byte (DER)
  const tbs = seq(
    explicit(0, tlv(0x02, Buffer.from([2]))), // version 3
    tlv(0x02, serial),
    ecdsaWithSha256,
    subject, // issuer: self-signed
    seq(time(new Date(now - 3_600_000)), time(new Date(now + VALID_DAYS * 86_400_000))), // an hour back for clock skew
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      seq(
        extension('2.5.29.19', true, seq()), // basicConstraints: not a CA
        extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
        extension('2.5.29.17', false, seq(...names.map(generalName))), // subjectAltName: what browsers match
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey); // ECDSA-Sig-Value in DER, as X.509 wants it
  const certificate = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.from([0]), signature));
  return { cert: pem('CERTIFICATE', certificate), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** A dNSName ([2]) or an iPAddress ([7], the address's bytes) of subjectAltName (RFC 5280 §4.2.1.6). */
function generalName(name: string): Buffer {
  const family = isIP(name);
  if (family === 4) return tlv(0x87, Buffer.from(name.split('.').map(Number)));
  if (family === 6) return tlv(0x87, ipv6Bytes(name));
  return tlv(0x82, Buffer.from(name, 'ascii'));
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const groups = (part: string): number[] => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = Buffer.alloc(16);
  for (const [i, group] of all.entries()) bytes.writeUInt16BE(group, i * 2);
  return bytes;
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5), both in UTC to the second. */
function time(date: Date): Buffer {
  const digits = date.toISOString().replace(/[-:T]|\.\d+/g, ''); // YYYYMMDDHHMMSSZ
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(digits.slice(2))) : tlv(0x18, Buffer.from(digits));
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) chunk.unshift(0x80 | (value & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, ...parts);
const set = (...parts: Buffer[]): Buffer => tlv(0x31, ...parts);
const explicit = (tag: number, inner: Buffer): Buffer => tlv(0xa0 | tag, inner);

/** One DER element: tag, definite length (short form below 128, else long form), contents. */
function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  let length: number[];
  if (body.length < 0x80) length = [body.length];
  else {
    length = [];
    for (let n = body.length; n > 0; n = Math.floor(n / 256)) length.unshift(n & 0xff);
    length.unshift(0x80 | length.length);
  }
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
