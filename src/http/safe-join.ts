/** @module Safe file paths from untrusted input (layer L1): safeJoin for serving files, secureFilename for saving uploads. */
import { posix } from 'node:path';

/**
 * Joins untrusted path segments onto a trusted directory, or returns `null` when any segment could escape it: an
 * absolute path, a `..` segment, a backslash, a Windows drive, or a NUL byte. Nothing is percent-decoded here, so
 * `%2e%2e` is a file name, never `..` (decode once, at the edge). Returns a normalised path below `directory`.
 *
 * @example
 * safeJoin('/srv/static', 'css/site.css');   // '/srv/static/css/site.css'
 * safeJoin('/srv/static', '../etc/passwd');  // null
 * safeJoin('/srv/static', '/etc/passwd');    // null
 */
export function safeJoin(directory: string, ...untrusted: string[]): string | null {
  const parts: string[] = [];
  for (const part of untrusted) {
    if (part.includes('\0') || part.includes('\\') || part.startsWith('/') || /^[A-Za-z]:/.test(part)) return null;
    const segments = part.split('/');
    if (segments.includes('..')) return null;
    parts.push(...segments.filter((segment) => segment !== '' && segment !== '.'));
  }
  return parts.length === 0 ? posix.normalize(directory) : posix.join(directory, ...parts);
}

const WINDOWS_DEVICES = new Set(['CON', 'PRN', 'AUX', 'NUL', 'COM1', 'COM2', 'COM3', 'COM4', 'LPT1', 'LPT2', 'LPT3']);

/**
 * A file name safe to save on any file system, from one a client sent: ASCII letters, digits, `_ . -` only, no path
 * separators, no leading dots, no Windows device names. May return `''`: pick a name of your own then.
 *
 * @example
 * secureFilename('My cool movie.mov');      // 'My_cool_movie.mov'
 * secureFilename('../../../etc/passwd');    // 'etc_passwd'
 * secureFilename('i contain cool \xfcml\xe4uts.txt'); // 'i_contain_cool_umlauts.txt'
 */
export function secureFilename(name: string): string {
  let text = name.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  text = text.replace(/[/\\]/g, ' ');
  text = text
    .split(/\s+/)
    .join('_')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .replace(/^[._]+|[._]+$/g, '');
  if (WINDOWS_DEVICES.has(text.split('.')[0]!.toUpperCase())) text = `_${text}`;
  return text;
}
