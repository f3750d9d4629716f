/**
 * What the tests share, as vitest fixtures: a test that names `client` in its first argument gets a test client of a
 * fresh app (an empty store), with TESTING on so that an error in a view reaches the test as itself.
 */
import type { TestClient } from 'flagon/testing';
import { test as base, expect } from 'vitest';
import { createApp } from '../app.js';

export const test = base.extend<{ client: TestClient }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a fixture needs from this pattern
  client: async ({}, use) => {
    await use(createApp({ TESTING: true }).testClient());
  },
});

/** A note's fields as the API sends them, for `toEqual`: the timestamps are whatever time it was. */
export const note = (fields: { id: number; title: string; body?: string; tags?: string[] }) => ({
  body: '',
  tags: [],
  ...fields,
  created: expect.stringMatching(ISO_TIME),
  updated: expect.stringMatching(ISO_TIME),
});

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
