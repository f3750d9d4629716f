/**
 * ARCHITECTURE.md: "Only tests of serving/, dev/, adapters/ and the end-to-end suites open sockets." A test elsewhere
 * drives its app in-process, through the test client. This checks the imports that open sockets (a server, a socket,
 * the real-HTTP helpers, a browser) in every test file outside those folders.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const testRoot = fileURLToPath(new URL('..', import.meta.url));

/** Folders whose tests may open sockets: the servers, the dev server, the adapters, and the end-to-end suites. */
const SOCKET_FOLDERS = new Set([
  'serving',
  'dev',
  'adapters',
  'e2e',
  'cli', // runs the flagon command and talks to it over HTTP
  'examples',
  'create-app',
  'adversarial', // attacks sent over real sockets
  'helpers',
  'fixtures', // programs the tests above start
  'architecture', // reads the sources, and names these modules in strings
]);

/**
 * Single files outside those folders, each with the reason a socket belongs in it. Keep this list short: a new test
 * that needs a server goes to test/e2e/.
 */
const ALLOWED_FILES = new Map([
  ['middleware/access-log.test.ts', 'what the log line says of bytes actually sent and a client gone mid-body'],
  ['middleware/profiler.test.ts', 'a streamed body profiled until the server closes it'],
  ['conformance/werkzeug-serving.test.ts', "Werkzeug's test_serving.py: the dev and production servers over sockets"],
]);

const SOCKET_IMPORT =
  /from '(node:http|node:https|node:net|node:tls|node:http2|flagon\/serving|playwright-core|(?:\.\.\/)+helpers\/http\.js|(?:\.\.\/)+src\/serving\/[^']+)'/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The files that import something that opens sockets, outside the folders and files allowed to. */
function socketOffenders(root: string): string[] {
  return testFiles(root)
    .map((file) => relative(root, file).split('\\').join('/'))
    .filter((file) => !SOCKET_FOLDERS.has(file.split('/')[0]!) && !ALLOWED_FILES.has(file))
    .filter((file) => file.split('/').length > 1) // the config at the top (vitest.config.ts) runs no test
    .filter((file) => SOCKET_IMPORT.test(readFileSync(join(root, file), 'utf8')));
}

describe('tests that open sockets', () => {
  it('live in serving/, dev/, adapters/ or an end-to-end folder (or are listed with their reason)', () => {
    expect(socketOffenders(testRoot)).toEqual([]);
  });

  it('recognises the imports that open sockets', () => {
    for (const line of [
      "import { serve } from 'flagon/serving';",
      "import { createServer } from 'node:net';",
      "import { fetchRaw } from '../helpers/http.js';",
      "import { chromium } from 'playwright-core';",
      "import { NodeExchange } from '../../src/serving/exchange.js';",
    ])
      expect(SOCKET_IMPORT.test(line), line).toBe(true);
    expect(SOCKET_IMPORT.test("import { createEnviron } from 'flagon/testing';")).toBe(false);
    expect(SOCKET_IMPORT.test("import { makeProject } from '../helpers/dev-server.js';")).toBe(false);
  });
});
