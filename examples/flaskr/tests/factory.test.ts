/** Flask's tutorial: tests/test_factory.py. */
import { expect } from 'vitest';
import { createApp } from '../flaskr/app.js';
import { test } from './conftest.js';

test('createApp() is not testing; createApp({ TESTING: true }) is', () => {
  expect(createApp().testing).toBe(false);
  expect(createApp({ TESTING: true }).testing).toBe(true);
});

test('/hello says hello', async ({ client }) => {
  const response = await client.get('/hello');
  expect(response.text).toBe('Hello, World!');
});
