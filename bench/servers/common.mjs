// Shared by the benchmark servers: report the port once listening, and answer CPU-usage requests over IPC,
// so the runner can compute CPU microseconds per request for exactly the measured window.
import { pathToFileURL } from 'node:url';

export const BODY = Buffer.from('Hello, World!');
export const CONTENT_TYPE = 'text/plain; charset=utf-8';

export function ready(port) {
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  });
  process.send({ port });
}

/** Whether the module at `url` is the script node was started with (the servers listen only then). */
export function isMain(url) {
  return process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
}
