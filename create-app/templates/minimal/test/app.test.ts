import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../app.js';

describe('the app', () => {
  // With TESTING, an error in a view reaches the test as itself instead of becoming a 500 page.
  beforeAll(() => {
    app.config.TESTING = true;
  });

  it('says hello', async () => {
    const response = await app.testClient().get('/');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<h1>Hello from Flagon!</h1>');
  });

  it('greets by name, as JSON', async () => {
    const response = await app.testClient().get('/hello/Ada');
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json).toEqual({ greeting: 'Hello, Ada!' });
  });

  it('answers the route written as a decorator', async () => {
    expect((await app.testClient().get('/health')).json).toEqual({ status: 'ok' });
  });

  it('answers 404 for an unknown path', async () => {
    expect((await app.testClient().get('/nowhere')).status).toBe(404);
  });
});
