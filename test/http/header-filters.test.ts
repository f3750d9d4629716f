import { describe, expect, it } from 'vitest';
import type { HeaderList } from 'flagon/gateway';
import { Headers, removeEntityHeaders, removeHopByHopHeaders } from 'flagon/http';

describe('header filters', () => {
  it('keep Expires and Content-Location on a 304 unless told otherwise', () => {
    const list: HeaderList = [
      ['ETag', '"a"'],
      ['Expires', '0'],
      ['Content-Location', '/a'],
      ['last-modified', 'x'],
      ['Allow', 'GET'],
    ];
    removeEntityHeaders(list);
    expect(list).toEqual([
      ['ETag', '"a"'],
      ['Expires', '0'],
      ['Content-Location', '/a'],
    ]);
    const headers = new Headers(list);
    removeEntityHeaders(headers, ['Content-Location']);
    expect([...headers]).toEqual([
      ['ETag', '"a"'],
      ['Content-Location', '/a'],
    ]);
  });

  it('drop the fields Connection names, every repeat of a name, and the RFC 2616 hop-by-hop ones', () => {
    const list: HeaderList = [
      ['Connection', 'close, X-Trace'],
      ['connection', 'Upgrade'],
      ['X-Trace', '1'],
      ['x-trace', '2'],
      ['Upgrade', 'websocket'],
      ['Proxy-Authorization', 'Basic x'],
      ['TE', 'trailers'],
      ['Trailer', 'X'],
      ['Vary', 'Cookie'],
    ];
    const headers = new Headers(list);
    removeHopByHopHeaders(list);
    removeHopByHopHeaders(headers);
    expect(list).toEqual([['Vary', 'Cookie']]);
    expect([...headers]).toEqual([['Vary', 'Cookie']]);
  });
});
