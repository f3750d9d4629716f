import { describe, expect, it } from 'vitest';
import { asciiHost, normalizeHost, subdomainOf } from '../../src/routing/domain.js';

describe('normalizeHost', () => {
  it('lower-cases and drops the default port of the scheme only', () => {
    expect(normalizeHost('Example.COM:80')).toBe('example.com');
    expect(normalizeHost('example.com:443', 'https')).toBe('example.com');
    expect(normalizeHost('example.com:443')).toBe('example.com:443');
    expect(normalizeHost('example.com:8080', 'https')).toBe('example.com:8080');
  });
});

describe('subdomainOf, as Werkzeug bind_to_environ', () => {
  it('takes the labels before the server name', () => {
    expect(subdomainOf('example.com', 'example.com')).toBe('');
    expect(subdomainOf('api.example.com', 'example.com')).toBe('api');
    expect(subdomainOf('a.b.EXAMPLE.com', 'example.com')).toBe('a.b');
  });

  it('compares the port when the server name has one', () => {
    expect(subdomainOf('api.dev.local:5000', 'dev.local:5000')).toBe('api');
    expect(subdomainOf('api.dev.local', 'dev.local:5000')).toBeNull();
    expect(subdomainOf('api.dev.local:5001', 'dev.local:5000')).toBeNull();
    // A default port is no port: https://dev.local is dev.local:443.
    expect(subdomainOf('api.dev.local', 'dev.local:443', 'https')).toBe('api');
  });

  it('takes any port when the server name has none (Flagon leniency)', () => {
    expect(subdomainOf('api.example.com:8000', 'example.com')).toBe('api');
  });

  it('is null for a host outside the server name', () => {
    expect(subdomainOf('127.0.0.1:5000', 'example.com')).toBeNull();
    expect(subdomainOf('example.org', 'example.com')).toBeNull();
    expect(subdomainOf('com', 'example.com')).toBeNull();
    expect(subdomainOf('notexample.com', 'example.com')).toBeNull();
  });

  it('compares a Unicode host in its IDNA form', () => {
    expect(subdomainOf('api.☃.example', 'xn--n3h.example')).toBe('api');
  });
});

describe('asciiHost', () => {
  it('turns a Unicode name into IDNA and keeps the port', () => {
    expect(asciiHost('☃.example.com')).toBe('xn--n3h.example.com');
    expect(asciiHost('bücher.example:8080')).toBe('xn--bcher-kva.example:8080');
  });

  it('leaves ASCII hosts and IPv6 literals alone', () => {
    expect(asciiHost('Example.com:80')).toBe('Example.com:80');
    expect(asciiHost('[::1]:5000')).toBe('[::1]:5000');
  });
});
