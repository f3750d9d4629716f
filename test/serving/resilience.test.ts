import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestListener } from 'flagon/serving';
import { exchangeRaw } from '../helpers/http.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let child: ChildProcess;
let port = 0;
let pid = 0;

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/throwing-server.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TSX_TSCONFIG_PATH: 'test/tsconfig.json' },
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (data: Buffer) => resolve(data.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  ({ port, pid } = JSON.parse(line) as { port: number; pid: number });
}, 30_000);

afterAll(() => {
  child.kill();
});

/** Sends `count` GETs over `concurrency` keep-alive connections and tallies the status codes. */
async function hammer(path: string, count: number, concurrency = 50): Promise<Map<number, number>> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = new Map<number, number>();
  let next = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
          resolve();
        });
      })
        .on('error', reject)
        .end();
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await one();
      }
    }),
  );
  agent.destroy();
  return statuses;
}

describe('an app that fails on every request', () => {
  it('gets 500 for 10,000 throws and 10,000 rejections, and the server process lives on', async () => {
    expect(await hammer('/throw', 10_000)).toEqual(new Map([[500, 10_000]]));
    expect(await hammer('/reject', 10_000)).toEqual(new Map([[500, 10_000]]));
    const text = await exchangeRaw(port, 'GET /pid HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(text.endsWith(`\r\n\r\n${pid}`)).toBe(true);
    expect(child.exitCode).toBeNull();
  }, 120_000);
});

describe('createRequestListener() in a server of your own', () => {
  it('still rejects an HTTP/1.1 request without Host when Node does not', async () => {
    const server = createServer(
      { requireHostHeader: false },
      createRequestListener((_e, start) => {
        start('200 OK', []);
        return [];
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    try {
      const text = await exchangeRaw(address.port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
      expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*Bad Request: no Host header\n$/);
    } finally {
      server.close();
    }
  });
});
