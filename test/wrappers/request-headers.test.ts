/**
 * The request headers Werkzeug's Request reads for you (referrer, userAgent, origin, the conditional headers, …) and
 * `values()`, beyond the cases ported in test/conformance/werkzeug-wrappers.test.ts: absent and malformed headers,
 * and a GET body that values() must leave unread.
 */
import { describe, expect, it } from 'vitest';
import { App } from 'flagon';
import { createEnviron, type EnvironOptions } from 'flagon/testing';
import { Request, Response } from 'flagon/wrappers';

const make = (path = '/', options: EnvironOptions = {}): Request => new Request(createEnviron(path, options));
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('header properties', () => {
  it('read as absent when the client sent no such header', () => {
    const request = make();
    expect([request.referrer, request.origin, request.accessControlRequestMethod]).toEqual([null, null, null]);
    expect([request.date, request.ifModifiedSince, request.ifUnmodifiedSince]).toEqual([null, null, null]);
    expect([request.maxForwards, request.contentEncoding, request.contentMd5]).toEqual([null, null, null]);
    expect(request.accessControlRequestHeaders).toBeNull();
    expect(request.userAgent.string).toBe('');
    expect(request.ifMatch.isEmpty && request.ifNoneMatch.isEmpty).toBe(true);
    expect([request.ifRange.etag, request.ifRange.date]).toEqual([null, null]);
    expect([...request.pragma]).toEqual([]);
    expect(request.accessRoute).toEqual(['127.0.0.1']);
  });

  it('read a malformed date or Max-Forwards as absent, not as a 500', () => {
    const request = make('/', {
      headers: { Date: 'yesterday', 'If-Modified-Since': '2008-01-22', 'Max-Forwards': '-3' },
    });
    expect([request.date, request.ifModifiedSince, request.maxForwards]).toEqual([null, null, null]);
    expect(make('/', { headers: { 'Max-Forwards': '1e3' } }).maxForwards).toBeNull();
    expect(make('/', { headers: { 'Max-Forwards': ' 7 ' } }).maxForwards).toBe(7);
  });

  it('split X-Forwarded-For into the access route, client first, dropping empty items', () => {
    const request = make('/', { headers: { 'X-Forwarded-For': ' 203.0.113.7 , 10.0.0.2,,' }, remoteAddr: '10.0.0.3' });
    expect(request.accessRoute).toEqual(['203.0.113.7', '10.0.0.2']);
    expect(Object.isFrozen(request.accessRoute)).toBe(true); // one array for every reader: none may change it
    expect(make('/', { headers: { 'X-Forwarded-For': '"203.0.113.7", 10.0.0.2' } }).accessRoute[0]).toBe('203.0.113.7');
    expect(request.remoteAddr).toBe('10.0.0.3');
  });

  it('parse each header once and keep it', () => {
    const request = make('/', { headers: { 'User-Agent': 'curl/8.5.0', 'If-None-Match': '"v1"', Pragma: 'no-cache' } });
    expect(request.userAgent).toBe(request.userAgent);
    expect(request.ifNoneMatch).toBe(request.ifNoneMatch);
    expect(request.pragma.has('No-Cache')).toBe(true);
    expect(`${request.userAgent}`).toBe('curl/8.5.0');
  });

  it('read If-Range as a date or an entity tag', () => {
    expect(make('/', { headers: { 'If-Range': '"v2"' } }).ifRange.etag).toBe('v2');
    expect(make('/', { headers: { 'If-Range': 'Thu, 01 Jan 1970 00:00:00 GMT' } }).ifRange.date?.getTime()).toBe(0);
  });

  it('are read by a subclass of Request too, and are not own properties (a spread request stays small)', () => {
    class AuditedRequest extends Request {
      get isFromPartner(): boolean {
        return this.referrer?.startsWith('https://partner.example/') ?? false;
      }
    }
    const request = new AuditedRequest(createEnviron('/', { headers: { Referer: 'https://partner.example/a' } }));
    expect([request.referrer, request.isFromPartner]).toEqual(['https://partner.example/a', true]);
    expect(Object.keys(request)).toEqual(['environ']);
  });

  it('reach a view through the App, as Flask users write them', async () => {
    const app = new App(import.meta.url, { staticFolder: null });
    app.get('/back', (req) => ({ from: req.referrer, agent: req.userAgent.string }));
    const response = await app.testClient().get('/back', { headers: { Referer: '/list', 'User-Agent': 'test/1' } });
    expect(response.json).toEqual({ from: '/list', agent: 'test/1' });
  });

  it('give a view the Range it was asked for, to answer 206 with the Content-Range it makes', async () => {
    const app = new App(import.meta.url, { staticFolder: null });
    const blob = new TextEncoder().encode('0123456789');
    app.get('/blob', (req) => {
      const part = req.range?.rangeForLength(blob.length);
      if (!part) return new Response(blob);
      const response = new Response(blob.subarray(part.start, part.end + 1), { status: 206 });
      response.contentRange = req.range!.makeContentRange(blob.length);
      return response;
    });
    const client = app.testClient();
    const partial = await client.get('/blob', { headers: { Range: 'bytes=-3' } });
    expect([partial.status, partial.headers.get('Content-Range'), partial.text]).toEqual([206, 'bytes 7-9/10', '789']);
    expect((await client.get('/blob', { headers: { Range: 'bytes=0-1,4-5' } })).status).toBe(200);
    expect(make('/', { headers: { Range: 'bytes=9-1' } }).range).toBeNull();
  });
});

describe('values()', () => {
  it('gives the arguments first, then the form, for every method with a body but GET', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']) {
      const values = await make('/?a=1', { method, body: 'a=2&b=3', headers: FORM }).values();
      expect([method, values.getAll('a'), values.get('b')]).toEqual([method, ['1', '2'], '3']);
    }
  });

  it('leaves a GET body unread, so the view can still read it', async () => {
    const request = make('/?a=1', { method: 'GET', body: 'a=2', headers: FORM });
    expect([...(await request.values())]).toEqual([['a', '1']]);
    expect(await request.text()).toBe('a=2');
  });

  it('is a copy: changing it changes neither args nor the form', async () => {
    const request = make('/?a=1', { method: 'POST', body: 'b=2', headers: FORM });
    const values = await request.values();
    values.set('a', 'x').add('c', '3');
    expect([request.args.get('a'), (await request.form()).has('c')]).toEqual(['1', false]);
  });
});
