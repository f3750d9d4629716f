/** For symlinks.test.ts: with every file descriptor taken, sendFromDirectory must not call an existing file missing. */
import { openSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HTTPError } from 'flagon/http';
import { sendFromDirectory } from 'flagon/wrappers';

const root = mkdtempSync(join(tmpdir(), 'flagon-fds-'));
writeFileSync(join(root, 'here.txt'), 'here');
const held: number[] = [];
try {
  for (;;) held.push(openSync('/dev/null', 'r'));
} catch {
  // EMFILE: every descriptor the limit allows is taken
}
let outcome: string;
try {
  await sendFromDirectory(root, 'here.txt');
  outcome = 'sent';
} catch (error) {
  outcome = error instanceof HTTPError ? String(error.status) : String(error);
}
process.stdout.write(`${JSON.stringify({ held: held.length, outcome })}\n`);
process.exit(0);
