import { describe, expect, it } from 'vitest';
import { contentTypeFor, mimeTypeFor, safeJoin, secureFilename } from 'flagon/http';

describe('safeJoin', () => {
  it('joins plain relative paths', () => {
    expect(safeJoin('/srv/static', 'css/site.css')).toBe('/srv/static/css/site.css');
    expect(safeJoin('/srv/static', 'a', 'b/c.txt')).toBe('/srv/static/a/b/c.txt');
    expect(safeJoin('/srv/static', './a//b')).toBe('/srv/static/a/b');
  });
  it.each([
    ['../etc/passwd'],
    ['a/../../etc/passwd'],
    ['a/..'],
    ['..'],
    ['/etc/passwd'],
    ['a\\..\\b'],
    ['..\\windows'],
    ['C:/Windows'],
    ['c:secret'],
    ['file\0.txt'],
  ])('rejects %j', (path) => {
    expect(safeJoin('/srv/static', path)).toBeNull();
  });
  it('decodes nothing: an encoded dot-dot is just a name', () => {
    expect(safeJoin('/srv/static', '%2e%2e/x')).toBe('/srv/static/%2e%2e/x');
  });
});

describe('secureFilename', () => {
  it.each([
    ['My cool movie.mov', 'My_cool_movie.mov'],
    ['../../../etc/passwd', 'etc_passwd'],
    ['i contain cool \u00fcml\u00e4uts.txt', 'i_contain_cool_umlauts.txt'],
    ['..', ''],
    ['.bashrc', 'bashrc'],
    ['CON.txt', '_CON.txt'],
    ['a/b\\c', 'a_b_c'],
  ])('%j → %j', (input, expected) => {
    expect(secureFilename(input)).toBe(expected);
  });
});

describe('media types', () => {
  it('look up by extension, case-insensitive', () => {
    expect(mimeTypeFor('a/b/report.PDF')).toBe('application/pdf');
    expect(mimeTypeFor('style.css')).toBe('text/css');
    expect(mimeTypeFor('noext')).toBe('application/octet-stream');
    expect(mimeTypeFor('dir.v2/file')).toBe('application/octet-stream');
  });
  it('add a charset to text types only', () => {
    expect(contentTypeFor('text/plain')).toBe('text/plain; charset=utf-8');
    expect(contentTypeFor('image/svg+xml')).toBe('image/svg+xml; charset=utf-8');
    expect(contentTypeFor('image/png')).toBe('image/png');
    expect(contentTypeFor('text/csv; charset=latin-1')).toBe('text/csv; charset=latin-1');
  });
});
