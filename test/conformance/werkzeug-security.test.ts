/**
 * Port of Werkzeug's tests/test_security.py (github.com/pallets/werkzeug, tag 3.1.8, commit
 * c1a26b45fb06d5e086b4d6be820c3302f588d815): `safeJoin` (from 'flagon/http') and `generatePasswordHash` /
 * `checkPasswordHash` (from 'flagon/app', async: scrypt and PBKDF2 run off the main thread). BSD-3-Clause,
 * Copyright 2007 Pallets: see LICENSE-pallets.txt. One `it` per upstream test (parametrized cases loop inside it).
 * pytest's `monkeypatch.setattr("os.name", …)` is `process.platform` redefined for the test.
 */
import { describe, expect, it } from 'vitest';
import { FlagonError } from 'flagon';
import { checkPasswordHash, generatePasswordHash } from 'flagon/app';
import { safeJoin } from 'flagon/http';
import { rejection } from './flask-context.js';

/** pytest's `monkeypatch.setattr("os.name", …)`: `fn` runs with `process.platform` set to `platform`. */
function onPlatform<T>(platform: NodeJS.Platform, fn: () => T): T {
  const original = Object.getOwnPropertyDescriptor(process, 'platform')!;
  Object.defineProperty(process, 'platform', { ...original, value: platform });
  try {
    return fn();
  } finally {
    Object.defineProperty(process, 'platform', original);
  }
}

describe('werkzeug tests/test_security.py', () => {
  it('test_default_password_method', async () => {
    const value = await generatePasswordHash('secret');
    expect(value.startsWith('scrypt:')).toBe(true);
  });

  it('test_scrypt', async () => {
    const value = await generatePasswordHash('secret', { method: 'scrypt' });
    expect(await checkPasswordHash(value, 'secret')).toBe(true);
    expect(value.startsWith('scrypt:32768:8:1$')).toBe(true);
  });

  it('test_pbkdf2', async () => {
    const value = await generatePasswordHash('secret', { method: 'pbkdf2' });
    expect(await checkPasswordHash(value, 'secret')).toBe(true);
    expect(value.startsWith('pbkdf2:sha256:1000000$')).toBe(true);
  });

  it('test_salted_hashes', async () => {
    const hash1 = await generatePasswordHash('secret');
    const hash2 = await generatePasswordHash('secret');
    expect(hash1).not.toBe(hash2);
    expect(await checkPasswordHash(hash1, 'secret')).toBe(true);
    expect(await checkPasswordHash(hash2, 'secret')).toBe(true);
  });

  it('test_require_salt', async () => {
    await expect(generatePasswordHash('secret', { saltLength: 0 })).rejects.toThrow('saltLength must be');
  });

  it('test_invalid_method', async () => {
    // Werkzeug's ValueError("Invalid hash method 'sha256'.") is a FlagonError with code FLAGON_ERR_CONFIG.
    const error = await rejection(generatePasswordHash('secret', { method: 'sha256' }));
    expect(error).toBeInstanceOf(FlagonError);
    expect((error as FlagonError).code).toBe('FLAGON_ERR_CONFIG');
    expect((error as FlagonError).message).toContain("'sha256'");
  });

  it('test_safe_join', () => {
    const rows: Array<[string, string | null]> = [
      ['b/c', 'a/b/c'],
      ['../b/c', null],
      ['//b/c', null],
    ];
    for (const [path, expected] of rows) expect(safeJoin('a', path)).toBe(expected);
  });

  // DIFFERENCE: on POSIX, Werkzeug keeps a backslash as part of a file name (safe_join("a", "b\\c") is "a/b\\c");
  // Flagon refuses a backslash on every OS (null), since the same app may run on Windows, where it is a separator.
  it.fails('test_safe_join (a backslash on POSIX)', () => {
    expect(safeJoin('a', 'b\\c')).toBe('a/b\\c');
  });

  it.skip('test_safe_join_os_sep', () => {
    // N/A: monkeypatches werkzeug.security._os_alt_seps, a private module variable; Flagon's refused characters
    // (backslash, NUL) are fixed, for every OS.
  });

  // DIFFERENCE: Werkzeug joins an empty trusted directory as "." so that "c:test.txt" stays relative
  // ("./c:test.txt"); Flagon refuses any untrusted part that starts with a drive ("c:") on every OS (null).
  it.fails('test_safe_join_empty_trusted', () => {
    expect(safeJoin('', 'c:test.txt')).toBe('./c:test.txt');
  });

  // MISSING: on Windows, Werkzeug refuses special device names in any segment (CON, NUL, COM1, LPT1, CONIN$…, with
  // or without an extension or trailing spaces), which would open a device rather than a file; Flagon's safeJoin
  // joins them on every platform.
  it.fails('test_safe_join_windows_special', () => {
    for (const name of ['CON', 'CON.txt', 'CON.txt.html', 'CON  ', 'CON . txt', 'b/CON']) {
      expect(onPlatform('win32', () => safeJoin('a', name))).toBeNull();
    }
  });

  it('test_safe_join_not_windows_special', () => {
    expect(onPlatform('linux', () => safeJoin('a', 'CON'))).toBe('a/CON');
  });
});
