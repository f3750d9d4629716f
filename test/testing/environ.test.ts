/** createEnviron: the base URL and the server name and port it implies, as Werkzeug's EnvironBuilder. */
import { describe, expect, it } from 'vitest';
import { createEnviron } from 'flagon/testing';

const server = (environ: Record<string, unknown>) => [
  environ['tsgi.url_scheme'],
  environ.HTTP_HOST,
  environ.SERVER_NAME,
  environ.SERVER_PORT,
  environ.SCRIPT_NAME,
  environ.PATH_INFO,
];

describe('createEnviron', () => {
  it('takes scheme, host and script root from a baseUrl', () => {
    expect(server(createEnviron('/users', { baseUrl: 'https://example.com:8443/app/' }))).toEqual([
      'https',
      'example.com:8443',
      'example.com',
      '8443',
      '/app',
      '/users',
    ]);
    expect(server(createEnviron('/x', { baseUrl: 'http://b.test/caf%C3%A9' }))).toEqual([
      'http',
      'b.test',
      'b.test',
      '80',
      '/café',
      '/x',
    ]);
  });

  it('lets scheme, host and scriptName win over the baseUrl', () => {
    expect(
      server(createEnviron('/x', { baseUrl: 'https://a.test/a', scheme: 'http', host: 'h.test', scriptName: '/s' })),
    ).toEqual(['http', 'h.test', 'h.test', '80', '/s', '/x']);
  });

  it('derives SERVER_NAME and SERVER_PORT from the host, IPv6 included', () => {
    expect(server(createEnviron('/', { host: 'example.com:8080' }))).toEqual([
      'http',
      'example.com:8080',
      'example.com',
      '8080',
      '',
      '/',
    ]);
    expect(server(createEnviron('/', { host: '[::1]:5000' }))).toEqual([
      'http',
      '[::1]:5000',
      '[::1]',
      '5000',
      '',
      '/',
    ]);
    expect(server(createEnviron('/', { host: '[::1]', scheme: 'https' }))).toEqual([
      'https',
      '[::1]',
      '[::1]',
      '443',
      '',
      '/',
    ]);
    expect(server(createEnviron('/', { host: 'example.com:8080', serverName: 'srv', serverPort: 1 }))).toEqual([
      'http',
      'example.com:8080',
      'srv',
      '1',
      '',
      '/',
    ]);
  });

  it('refuses a baseUrl that is not http(s), or has a query string, naming the fix', () => {
    expect(() => createEnviron('/', { baseUrl: 'example.com' })).toThrow(/is not an http\(s\) URL; give one such as/);
    expect(() => createEnviron('/', { baseUrl: 'http://a.test/#x' })).toThrow(/pass those with the path instead/);
  });
});
