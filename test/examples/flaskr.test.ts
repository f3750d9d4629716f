/**
 * examples/flaskr type-checks as a program of its own: it declares AppGlobals, AppSession and AppConfig, which must
 * not reach the main test program (where the other examples use g and the session undeclared). Its behaviour is
 * tested by its own tests, examples/flaskr/tests/, the port of the tutorial's.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

it('examples/flaskr and its tests type-check with their declared g, session and config', async () => {
  const tsc = run(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}examples/flaskr`]);
  await expect(tsc).resolves.toMatchObject({ stdout: '' });
}, 60_000);
