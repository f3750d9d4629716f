/** For symlinks.test.ts: with every file descriptor taken, sendFromDirectory must not call an existing file missing. */
import { openSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HTTPError } from 'flagon/http';
import { sendFromDirectory } from 'flagon/wrappers';

const root = mkdtempSync(join(tmpdir(), 'flagon-fds-'));
writeFileSync(join(root, 'here.txt'), 'here');
const held: number[] = [];
const fill = (): void => {
  try {
    for (;;) held.push(openSync('/dev/null', 'r'));
  } catch {
    // EMFILE: every descriptor the limit allows is taken
  }
};
// Node may free a descriptor of its own between the fill and the open (a loader thread closing a file), so each try
// fills again; what matters is that no try calls the existing file missing.
const outcomes: string[] = [];
for (let attempt = 0; attempt < 10; attempt++) {
  fill();
  try {
    (await sendFromDirectory(root, 'here.txt')).close(); // an unsent Response still holds its file: release it
    outcomes.push('sent');
  } catch (error) {
    outcomes.push(error instanceof HTTPError ? String(error.status) : String(error));
  }
}
process.stdout.write(`${JSON.stringify({ held: held.length, outcomes })}\n`);
process.exit(0);
