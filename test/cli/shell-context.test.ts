/** `flagon shell`'s app context: one for the session, as `flask shell` pushes one, torn down when the shell exits. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { App, appcontextPopped, appcontextPushed, g } from 'flagon';
import { startShell } from '../../src/cli/shell.js';

describe('startShell', () => {
  it('keeps g from line to line and runs the teardown-appcontext hooks once, at exit', async () => {
    const app = new App(import.meta.url, { name: 'shell-app', staticFolder: null });
    const closed: unknown[] = [];
    app.teardownAppcontext(() => {
      closed.push(g.db);
    });
    // The session is one app context, told at both ends (Flask's shell pushes one with app.app_context()).
    const told: string[] = [];
    const pushed = () => told.push('pushed');
    const popped = () => told.push('popped');
    appcontextPushed.connect(pushed, app);
    appcontextPopped.connect(popped, app);
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const repl = startShell(app, '/srv/app.ts', { input, output });
    Object.assign(repl.context, { g }); // as flagon shell does
    const exited = new Promise<void>((resolve) => repl.on('exit', () => resolve()));
    input.write("g.db = 'connection'\n");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the REPL evaluates this template literal
    input.write('`still ${g.db}`\n');
    input.write('.exit\n');
    await exited;
    expect(printed).toContain(`Instance: ${app.instancePath}\n`);
    expect(printed).toContain("'still connection'");
    expect(closed).toEqual(['connection']);
    expect(told).toEqual(['pushed', 'popped']);
    appcontextPushed.disconnect(pushed, app);
    appcontextPopped.disconnect(popped, app);
  });
});
