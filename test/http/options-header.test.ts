import { describe, expect, it } from 'vitest';
import { dumpOptionsHeader, parseOptionsHeader } from 'flagon/http';

describe('options headers', () => {
  it('read Content-Disposition as browsers send it', () => {
    const [value, options] = parseOptionsHeader(
      'form-data; name="file"; filename="a \\"b\\".txt"; filename*=UTF-8\'\'%E2%82%AC.txt',
    );
    expect(value).toBe('form-data');
    expect({ ...options }).toEqual({ name: 'file', filename: '€.txt' });
  });

  it('prefer filename* to filename in either order (RFC 6266 §4.3)', () => {
    expect(parseOptionsHeader("attachment; filename*=UTF-8''%E2%82%AC.txt; filename=EUR.txt")[1].filename).toBe(
      '€.txt',
    );
    expect(parseOptionsHeader('attachment; filename=a.txt; filename=b.txt')[1].filename).toBe('b.txt');
  });

  it('dump a value with parameters, writing *-keys as given', () => {
    expect(
      dumpOptionsHeader('attachment', {
        filename: 'report 1.pdf',
        'filename*': "UTF-8''report%201.pdf",
        size: undefined,
      }),
    ).toBe('attachment; filename="report 1.pdf"; filename*=UTF-8\'\'report%201.pdf');
    expect(dumpOptionsHeader(null, { a: 'b' })).toBe('a=b');
  });

  it('round-trip parameters that need quoting', () => {
    const options = { charset: 'utf-8', boundary: 'a;b "c"' };
    const [value, parsed] = parseOptionsHeader(dumpOptionsHeader('multipart/form-data', options));
    expect([value, { ...parsed }]).toEqual(['multipart/form-data', options]);
  });

  it('read ISO-8859-1 extended values as latin-1, not windows-1252', () => {
    // 0x80 is a control character in ISO-8859-1 and '€' in windows-1252 (what TextDecoder's 'latin1' label means).
    expect(parseOptionsHeader("v; a*=iso-8859-1''%80%E9")[1].a).toBe('\u0080é');
  });
});
