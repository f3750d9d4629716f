/** apiDocs when the optional peer dependency swagger-ui-dist is not installed: an error that says what to install. */
import { describe, expect, it, vi } from 'vitest';

// node:module's require.resolve, as apiDocs uses it, without swagger-ui-dist: as in an app that never installed it.
vi.mock('node:module', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:module')>();
  const createRequire = (from: string | URL): NodeJS.Require => {
    const real = actual.createRequire(from);
    const resolve = ((id: string, options?: { paths?: string[] }) => {
      if (id === 'swagger-ui-dist' || id.startsWith('swagger-ui-dist/'))
        throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      return real.resolve(id, options);
    }) as NodeJS.RequireResolve;
    resolve.paths = real.resolve.paths;
    return Object.assign(((id: string) => real(id)) as NodeJS.Require, real, { resolve });
  };
  return { ...actual, default: { ...actual, createRequire }, createRequire };
});

describe('apiDocs without swagger-ui-dist', () => {
  it('throws an error that names the package and the command to install it', async () => {
    const { App } = await import('flagon');
    const { apiDocs } = await import('flagon/app');
    const app = new App(import.meta.url, { config: { TESTING: true }, staticFolder: null });
    expect(() => apiDocs(app)).toThrow(/npm install swagger-ui-dist/);
    expect(() => apiDocs(app)).toThrow(/optional peer dependency/);
  });
});
