/**
 * examples/shortly, Werkzeug's tutorial app on the toolkit, against a private redis-server (test/helpers/redis.ts),
 * through the test client: shorten, look at the details, follow the link and watch the count, and the errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { TestClient } from 'flagon/testing';
import { base36Encode, createApp, isValidUrl, type Shortly } from '../../examples/shortly/shortly.js';
import { MISSING_REDIS, REDIS_SERVER, type RedisProcess, startRedis } from '../helpers/redis.js';

if (REDIS_SERVER === null) console.warn(`test/examples/shortly.test.ts: ${MISSING_REDIS}`);

describe('shortly helpers', () => {
  it('numbers short ids in base 36 and takes only http and https URLs', () => {
    expect([0, 1, 35, 36, 1295, 1296].map(base36Encode)).toEqual(['0', '1', 'z', '10', 'zz', '100']);
    expect(() => base36Encode(-1)).toThrow('give a non-negative integer');
    expect(['https://example.com/a?b=c', 'http://127.0.0.1:8080'].map(isValidUrl)).toEqual([true, true]);
    expect(
      ['javascript:alert(1)', 'ftp://example.com/', '/relative', 'example.com', 'http://', ''].map(isValidUrl),
    ).toEqual([false, false, false, false, false, false]);
  });
});

describe.skipIf(REDIS_SERVER === null)('examples/shortly', () => {
  let dir: string;
  let redis: RedisProcess;
  let shortly: Shortly;
  let client: TestClient;
  let redisClient: ReturnType<typeof createClient>; // the test's own view of the keys

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagon-shortly-'));
    redis = await startRedis(dir);
    shortly = await createApp({ redisUrl: redis.url });
    redisClient = createClient({ url: redis.url });
    await redisClient.connect();
  });
  afterAll(async () => {
    await shortly?.close();
    await redisClient?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await redisClient.flushAll();
    client = new TestClient(shortly);
  });

  async function shorten(url: string): Promise<string> {
    const response = await client.post('/', { form: { url } });
    expect(response.status).toBe(302);
    return response.headers.get('Location')!;
  }

  it('shows the form', async () => {
    const response = await client.get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<form action="" method=post>');
    expect(response.text).not.toContain('class=error');
  });

  it('shortens a URL: base-36 ids from last-url-id, and the keys of the tutorial', async () => {
    expect(await shorten('https://example.com/first')).toBe('/1+');
    await redisClient.set('last-url-id', '35');
    expect(await shorten('https://example.com/36th')).toBe('/10+');
    expect(await redisClient.get('url-target:10')).toBe('https://example.com/36th');
    expect(await redisClient.get('reverse-url:https://example.com/36th')).toBe('10');
  });

  it('shows the detail page of a short link, escaped', async () => {
    const location = await shorten('https://example.com:8443/search?q=<b>&x=1');
    const response = await client.get(location);
    expect(response.status).toBe(200);
    expect(response.text).toContain('<h2><a href="/1">/1</a></h2>');
    expect(response.text).toContain('<dd><a href="/1">example.com:8443</a>'); // the hostname filter
    expect(response.text).toContain('<div>https://example.com:8443/search?q=&lt;b&gt;&amp;x=1</div>');
    expect(response.text).toMatch(/<dd class=clicks>0\s/);
  });

  it('follows the short link to its target, and the count rises', async () => {
    await shorten('https://example.com/target');
    for (const expected of [1, 2, 3]) {
      const response = await client.get('/1');
      expect([response.status, response.headers.get('Location')]).toEqual([302, 'https://example.com/target']);
      expect(await redisClient.get('click-count:1')).toBe(String(expected));
    }
    expect((await client.get('/1+')).text).toMatch(/<dd class=clicks>3\s/);
  });

  it('gives the same id to the same URL twice', async () => {
    const first = await shorten('http://example.org/same');
    const other = await shorten('http://example.org/other');
    const again = await shorten('http://example.org/same');
    expect([first, other, again]).toEqual(['/1+', '/2+', '/1+']);
    expect(await redisClient.get('last-url-id')).toBe('2');
  });

  it('gives one id to a new URL shortened twice at once (SET NX on the reverse key)', async () => {
    const [first, second] = await Promise.all([
      shorten('https://example.com/race'),
      shorten('https://example.com/race'),
    ]);
    expect([first, second]).toEqual(['/1+', '/1+']);
    expect((await client.get('/1+')).text).toContain('<div>https://example.com/race</div>');
  });

  it('answers an invalid URL with the form again, the error and the URL as typed', async () => {
    for (const url of ['javascript:alert(1)', 'not a url', '<script>x</script>']) {
      const response = await client.post('/', { form: { url } });
      expect(response.status).toBe(200);
      expect(response.text).toContain('<p class=error><strong>Error:</strong> Please enter a valid URL');
      expect(response.text).not.toContain('<script>x</script>');
    }
    expect((await client.post('/', { form: { url: '<script>x</script>' } })).text).toContain(
      'value="&lt;script&gt;x&lt;/script&gt;"',
    );
    expect(await redisClient.get('last-url-id')).toBeNull();
  });

  it('answers an unknown id with its own 404 page, for the link and the details', async () => {
    for (const path of ['/nope', '/nope+', '/a/b']) {
      const response = await client.get(path);
      expect(response.status).toBe(404);
      expect(response.text).toContain('<h2>Page not found</h2>');
    }
    expect(await redisClient.get('click-count:nope')).toBeNull();
  });

  it('answers other routing errors as HTTP errors: a 405 with Allow', async () => {
    await shorten('https://example.com/');
    const response = await client.post('/1');
    expect([response.status, response.headers.get('Allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('serves its style sheet through sharedData', async () => {
    const response = await client.get('/static/style.css');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect(response.text).toContain('.urlinput');
  });
});
