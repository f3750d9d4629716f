/**
 * `flagon <name>`: an app's own commands (app.cli), run by the real `flagon` command in a child process. The command
 * runs from src/ through tsx, and the project's tsconfig points 'flagon' at src/ too, so the CLI and the app share one
 * copy of the framework (as they share node_modules/flagon in an installed project; app-commands-packed.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExitedProcess, makeProject, REPO, runToExit } from '../helpers/dev-server.js';

const TSX = join(REPO, 'node_modules/tsx/dist/loader.mjs');
const MAIN = join(REPO, 'src/cli/main.ts');
const TSCONFIG = JSON.stringify({
  compilerOptions: {
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    paths: { flagon: [join(REPO, 'src/index.ts')], 'flagon/*': [join(REPO, 'src/*/index.ts')] },
  },
});

const APP = `import { writeFileSync } from 'node:fs';
import { App, Blueprint, currentApp, g } from 'flagon';
import { CliError, UsageError } from 'flagon/app';

export const app = new App(import.meta.url, { name: 'tasks' });
app.teardownAppcontext(async (error) => {
  await new Promise((resolve) => setImmediate(resolve));
  console.log(\`teardown db=\${String(g.db)} error=\${error === null ? 'null' : (error as Error).message}\`);
  writeFileSync(new URL('./closed.txt', import.meta.url), String(g.db));
});

app.cli.command('init-db', ({ positionals, options }) => {
  g.db = 'sqlite';
  console.log(\`init-db in \${currentApp.name}: \${JSON.stringify({ positionals, options })}\`);
}, { help: 'Clear the existing data and create new tables.\\nSafe to run twice.' });
app.cli.command('fail', () => { throw new TypeError('the disk is full'); });
app.cli.command('refuse', () => { throw new CliError('no database yet: run flagon init-db first'); });
app.cli.command('needs-name', ({ positionals }) => { if (!positionals[0]) throw new UsageError('needs-name takes a NAME'); });

const auth = new Blueprint('auth', import.meta.url);
auth.cli.command('create-user', ({ positionals, options }) => {
  console.log(\`created \${positionals[0]} as \${options.role}\${options.admin ? ' (admin)' : ''}\`);
}, { help: 'Create a user.', options: { admin: { type: 'boolean', short: 'a', help: 'Give all rights.' }, role: { type: 'string', default: 'member' } } });
app.registerBlueprint(auth);
`;

const OTHER = `import { App } from 'flagon';
export const app = new App(import.meta.url, { name: 'other' });
app.cli.command('hello', () => console.log('hello from other'));
`;

const project = makeProject({
  'app.ts': APP,
  'other.ts': OTHER,
  'broken/app.ts': "throw new Error('cannot import me');\n",
  'tsconfig.json': TSCONFIG,
});
afterAll(() => project.remove());

/** Runs `flagon …` in the project and resolves when it exits. */
const flagon = (args: string[]): Promise<ExitedProcess> =>
  runToExit(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd: project.dir,
    env: { ...process.env, FLAGON_APP: '', NO_COLOR: '1' },
  });

describe('flagon NAME', () => {
  it('loads the app, runs the command in its app context, awaits the teardown hooks, exits 0', async () => {
    const result = await flagon(['init-db', 'users', '--force', '--count', '3', '--', '--kept']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        'init-db in tasks: {"positionals":["users","--kept"],"options":{"force":true,"count":"3"}}',
        'teardown db=sqlite error=null',
        '',
      ].join('\n'),
    );
    expect(result.status).toBe(0);
    expect(readFileSync(join(project.dir, 'closed.txt'), 'utf8')).toBe('sqlite');
  });

  it("runs a blueprint's command under its name, with typed options", async () => {
    const [created, defaults, group] = await Promise.all([
      flagon(['auth', 'create-user', 'ada', '-a', '--role', 'owner']),
      flagon(['auth', 'create-user', 'bob']),
      flagon(['auth']),
    ]);
    expect([created.status, created.stdout.split('\n')[0]]).toEqual([0, 'created ada as owner (admin)']);
    expect(defaults.stdout.split('\n')[0]).toBe('created bob as member');
    expect(group.status).toBe(2);
    expect(group.stdout).toBe('Usage: flagon auth COMMAND [ARGS]...\n\nCommands:\n  create-user  Create a user.\n');
  });

  it('exits 1 with the error and its stack, 1 with only the message for a CliError, 2 for usage errors', async () => {
    const [crash, refused, usage, unknownOption, unknownCommand] = await Promise.all([
      flagon(['fail']),
      flagon(['refuse']),
      flagon(['needs-name']),
      flagon(['auth', 'create-user', 'ada', '--colour']),
      flagon(['seed']),
    ]);
    expect(crash.status).toBe(1);
    expect(crash.stderr).toMatch(/^TypeError: the disk is full\n {4}at .*app\.ts:16/);
    expect(crash.stdout).toBe('teardown db=undefined error=the disk is full\n');
    expect([refused.status, refused.stderr]).toEqual([1, 'Error: no database yet: run flagon init-db first\n']);
    expect([usage.status, usage.stderr]).toEqual([2, 'Error: needs-name takes a NAME\n']);
    expect(unknownOption.status).toBe(2);
    expect(unknownOption.stderr).toMatch(/^Error: Unknown option '--colour'/);
    expect(unknownCommand.status).toBe(2);
    expect(unknownCommand.stderr).toBe(
      "Error: no such command 'seed' (flagon's are run, routes, shell; the app's are init-db, fail, refuse, needs-name, auth; see 'flagon --help').\n",
    );
  });

  it('takes --app before the command, and says so when it comes after', async () => {
    const [before, equals, after] = await Promise.all([
      flagon(['--app', 'other.ts', 'hello']),
      flagon(['--app=other', 'routes']),
      flagon(['hello', '--app', 'other.ts']),
    ]);
    expect([before.status, before.stdout]).toEqual([0, 'hello from other\n']);
    expect(equals.stdout).toBe('No routes were registered.\n');
    expect(after.status).toBe(2);
    expect(after.stderr).toMatch(/no such command 'hello'.*put --app before the command: flagon --app PATH hello\.\n$/);
  });
});

describe('help', () => {
  it("flagon --help lists the app's commands and groups with the first line of their help", async () => {
    const result = await flagon(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: flagon \[--app PATH\[:NAME\]\] \[-e FILE\] <command> \[options\]\n/);
    expect(result.stdout).toContain(
      [
        `Commands of the app (app.cli, from ${join(project.dir, 'app.ts')}):`,
        '  init-db     Clear the existing data and create new tables.',
        '  fail',
        '  refuse',
        '  needs-name',
        '  auth        commands: create-user',
        '',
      ].join('\n'),
    );
  });

  it('flagon NAME --help shows the usage, the whole help and the declared options', async () => {
    const [initDb, createUser] = await Promise.all([
      flagon(['init-db', '--help']),
      flagon(['auth', 'create-user', '-h']),
    ]);
    expect(initDb.stdout).toBe(
      [
        'Usage: flagon init-db [OPTIONS] [ARGS]...',
        '',
        '  Clear the existing data and create new tables.',
        '  Safe to run twice.',
        '',
        'Options:',
        '  Any --name VALUE, --name=VALUE or --name, and arguments; --help shows this.',
        '',
      ].join('\n'),
    );
    expect(createUser.stdout).toBe(
      [
        'Usage: flagon auth create-user [OPTIONS] [ARGS]...',
        '',
        '  Create a user.',
        '',
        'Options:',
        '  -a, --admin  Give all rights.',
        '  --role TEXT  [default: member]',
        '  --help       Show this message and exit.',
        '',
      ].join('\n'),
    );
  });

  it('shows the help when the app fails to load, with the error on standard error, as flask --help does', async () => {
    const result = await flagon(['--app', 'broken', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: flagon/);
    expect(result.stdout).not.toContain('Commands of the app');
    // Flask's words: "Error: While importing 'broken', an ImportError was raised", then the help.
    expect(result.stderr).toMatch(
      /^Error: While importing '.*broken.*', an error was raised: Error: cannot import me\n/,
    );
  });

  it('says why an app found by itself (no --app) failed to load, above the help', async () => {
    const found = await runToExit(process.execPath, ['--import', TSX, MAIN, '--help'], {
      cwd: join(project.dir, 'broken'),
      env: { ...process.env, FLAGON_APP: '', NO_COLOR: '1' },
    });
    expect(found.status).toBe(0);
    expect(found.stdout).toMatch(/^Usage: flagon/);
    expect(found.stderr).toMatch(/^Error: While importing '.*app\.ts', an error was raised: Error: cannot import me\n/);
  });
});
