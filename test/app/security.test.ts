import { describe, expect, it } from 'vitest';
import { App } from 'flagon';
import { checkPasswordHash, csrfToken, generatePasswordHash } from 'flagon/app';

// Made with Python's hashlib.scrypt / pbkdf2_hmac, the primitives Werkzeug's generate_password_hash uses.
const WERKZEUG_SCRYPT =
  'scrypt:32768:8:1$Q5vX7wRz0aBcDeFg$df27bca9d04f73d0fdf7dbf100eccc9b3e2eb55604c7dd1cb72b5ab3c7a991549ccf2b706669688c132273dcc2d96a4d2fe4d015b25f2342f93a0679de4cb54a';
const WERKZEUG_PBKDF2 =
  'pbkdf2:sha256:600000$Q5vX7wRz0aBcDeFg$b879d728284b519cc5d2d8e76a48075e05bb3cfcb70f48de824ddbf1f457b864';

describe('password hashes', () => {
  it("use scrypt n=32768 r=8 p=1 in Werkzeug's format, and check in constant time", async () => {
    const stored = await generatePasswordHash('correct horse');
    expect(stored).toMatch(/^scrypt:32768:8:1\$[A-Za-z0-9]{16}\$[0-9a-f]{128}$/);
    expect(await checkPasswordHash(stored, 'correct horse')).toBe(true);
    expect(await checkPasswordHash(stored, 'correct horsE')).toBe(false);
    expect(await generatePasswordHash('correct horse')).not.toBe(stored);
  });

  it('offer pbkdf2-sha256 and verify hashes made the way Werkzeug makes them', async () => {
    const stored = await generatePasswordHash('pw', { method: 'pbkdf2:sha256:1000' });
    expect(stored).toMatch(/^pbkdf2:sha256:1000\$[A-Za-z0-9]{16}\$[0-9a-f]{64}$/);
    expect(await checkPasswordHash(stored, 'pw')).toBe(true);
    expect(await checkPasswordHash(WERKZEUG_SCRYPT, 'correct horse')).toBe(true);
    expect(await checkPasswordHash(WERKZEUG_PBKDF2, 'correct horse')).toBe(true);
    expect(await checkPasswordHash(WERKZEUG_PBKDF2, 'wrong')).toBe(false);
    for (const bad of ['', 'plain', 'md5$x$abc', 'scrypt:32768:8:1$salt$zz'])
      expect(await checkPasswordHash(bad, 'x')).toBe(false);
  });

  it('refuse a hash without salt, and read pbkdf2 with any digest as Werkzeug writes it', async () => {
    // Unsalted, every user with one password had one hash (`scrypt:32768:8:1$$…`).
    for (const saltLength of [0, -3, 1.5])
      await expect(generatePasswordHash('pw', { saltLength })).rejects.toThrow('saltLength must be');
    // Made by Werkzeug 3.1 (python3: generate_password_hash('secret', 'pbkdf2:<digest>:1000')): the key is as long
    // as the digest, 20 bytes for sha1, 48 for sha384 (Flagon wrote 64 for any digest but sha256).
    const werkzeug = [
      'pbkdf2:sha1:1000$pqrpkIEYgSb7rCrb$f3d32e20c07a3d8bd07c357245becbd769c8a2b5',
      'pbkdf2:sha384:1000$Lkk1KuKdjspJmM5H$4d4b60fdc8288e260bb4ae7c817eaa93186507a9a4a9f81903ea9bd35044e49efd523cdde58db1ff401b2db090653c09',
      'pbkdf2:sha3_256:1000$WqVzCN51z8ztIoTr$b168f5cbc8e564f9b048983c01c8d0278ea61e313ec72b3cde7ad8ca0eb6a7cb',
    ];
    for (const stored of werkzeug) expect(await checkPasswordHash(stored, 'secret')).toBe(true);
    // A sha1 hash earlier Flagon wrote (a 64-byte key) still checks: the stored length decides.
    expect(
      await checkPasswordHash(
        'pbkdf2:sha1:1000$abcdefghijklmnop$d21799432cbd2ecfc4de9a7db33fd8691909eb28ddd67c1ffc8ad5fc510bab16e6f80e1f312a2a9054267e6cb7e23665aae4c68085d80a56aed7667d854bd856',
        'secret',
      ),
    ).toBe(true);
    const sha1 = await generatePasswordHash('secret', { method: 'pbkdf2:sha1:1000' });
    expect(sha1).toMatch(/^pbkdf2:sha1:1000\$[A-Za-z0-9]{16}\$[0-9a-f]{40}$/);
  });
});

describe('CSRF protection', () => {
  const build = () => {
    const app = new App(import.meta.url, { config: { TESTING: true, SECRET_KEY: 'csrf' }, staticFolder: null });
    app.get('/form', () => csrfToken());
    app.post('/submit', () => 'accepted');
    app.post('/hook', function hook() {
      return 'webhook';
    });
    app.enableCsrf({ exempt: ['hook'] });
    return app;
  };

  it("refuses unsafe methods without the session's token, with 400", async () => {
    const client = build().testClient();
    const token = (await client.get('/form')).text;
    expect(token).toMatch(/^[\w-]{43}$/);
    const missing = await client.post('/submit', { form: { a: '1' } });
    expect([missing.status, missing.text.includes('The CSRF token is missing.')]).toEqual([400, true]);
    expect((await client.post('/submit', { form: { csrf_token: 'x'.repeat(43) } })).text).toContain(
      'The CSRF token is invalid.',
    );
    expect((await client.post('/submit', { form: { csrf_token: token } })).text).toBe('accepted');
    expect((await client.post('/submit', { headers: { 'X-CSRF-Token': token } })).text).toBe('accepted');
  });

  it('skips exempt endpoints and safe methods', async () => {
    const client = build().testClient();
    expect((await client.post('/hook', { json: { event: 'paid' } })).text).toBe('webhook');
    expect((await client.get('/form')).status).toBe(200);
  });
});

describe('TRUSTED_HOSTS', () => {
  it('answers 400 to other hosts', async () => {
    const app = new App(import.meta.url, {
      config: { TESTING: true, TRUSTED_HOSTS: ['example.com', '.example.org'] },
      staticFolder: null,
    });
    app.get('/', () => 'ok');
    const client = app.testClient();
    expect((await client.get('/', { headers: { Host: 'example.com' } })).status).toBe(200);
    expect((await client.get('/', { headers: { Host: 'api.example.org:8080' } })).status).toBe(200);
    const evil = await client.get('/', { headers: { Host: 'evil.com' } });
    expect([evil.status, evil.text.includes('not in TRUSTED_HOSTS')]).toEqual([400, true]);
  });
});
