/** `app.cli`: registering commands, blueprint groups, argument parsing and running in the app context, in process. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { App, Blueprint, currentApp, g } from 'flagon';
import { CliError, UsageError, parseCliArgs, type CliArgs } from 'flagon/app';

const newApp = () => new App(import.meta.url, { name: 'cli-app', staticFolder: null });

describe('app.cli.command', () => {
  it('runs the handler inside the app context, then the teardown-appcontext hooks', async () => {
    const app = newApp();
    const log: string[] = [];
    app.teardownAppcontext((error) => {
      log.push(`teardown ${String(g.db)} ${error === null ? 'null' : (error as Error).message}`);
    });
    app.cli.command(
      'init-db',
      ({ positionals }) => {
        g.db = 'sqlite';
        log.push(`init ${currentApp.name} ${positionals.join(',')}`);
        return 'created';
      },
      { help: 'Create the tables.' },
    );
    expect(await app.cli.invoke(['init-db', 'users', 'posts'])).toBe('created');
    expect(log).toEqual(['init cli-app users,posts', 'teardown sqlite null']);
    app.cli.command('fail', async () => {
      throw new Error('no disk');
    });
    await expect(app.cli.invoke(['fail'])).rejects.toThrow('no disk');
    expect(log.at(-1)).toBe('teardown undefined no disk');
    expect(app.cli.commands.get('init-db')).toMatchObject({
      name: 'init-db',
      help: 'Create the tables.',
      options: null,
    });
  });

  it('takes a static method as a decorator', async () => {
    const app = newApp();
    class Tasks {
      static prefix = 'seeded';
      @app.cli.command('seed', { help: 'Sample rows.' })
      static seed(args: CliArgs) {
        return `${this.prefix} ${String(args.options.count)}`;
      }
    }
    expect(await app.cli.invoke(['seed', '--count', '3'])).toBe('seeded 3');
    expect(Tasks.prefix).toBe('seeded');
  });

  it('may be called after the first request: commands do not touch request handling', async () => {
    const app = newApp();
    app.get('/', () => 'ok');
    await app.testClient().get('/');
    app.cli.command('late', () => 'still fine');
    expect(await app.cli.invoke(['late'])).toBe('still fine');
  });

  it('refuses names that cannot work, saying what to do', () => {
    const app = newApp();
    app.cli.command('init-db', () => undefined);
    expect(() => app.cli.command('init-db', () => undefined)).toThrow(
      /a command 'init-db' is already registered in the app\. Give it another name/,
    );
    expect(() => app.cli.command('routes', () => undefined)).toThrow(
      /'routes' is one of the flagon command's own commands \(run, routes, shell\), which win over an app's/,
    );
    expect(() => app.cli.command('two words', () => undefined)).toThrow(/'two words' cannot be a command name/);
    expect(() => app.cli.command('--x', () => undefined)).toThrow(/cannot be a command name/);
    expect(() => app.cli.command('x', () => undefined, { options: { help: { type: 'boolean' } } })).toThrow(
      /declares --help or -h/,
    );
  });
});

describe('arguments', () => {
  it('without declared options: --name value, --name=value and flags, as minimist reads them', () => {
    const args = parseCliArgs(['ada', '--role', 'admin', '--email=a@b.c', '--force', '-v', '--', '--literal'], null);
    expect(args.positionals).toEqual(['ada', '--literal']);
    expect(args.options).toEqual({ role: 'admin', email: 'a@b.c', force: true, v: true });
    expect(args.argv).toEqual(['ada', '--role', 'admin', '--email=a@b.c', '--force', '-v', '--', '--literal']);
    expect(parseCliArgs(['--dry-run', '--limit', '-1'], null).options).toEqual({
      'dry-run': true,
      limit: true,
      1: true,
    });
  });

  it('with declared options: typed, strict, with defaults; a bad option is a UsageError (exit code 2)', async () => {
    const app = newApp();
    let seen: unknown = null;
    app.cli.command(
      'create-user',
      ({ positionals, options }) => {
        expectTypeOf(options.admin).toEqualTypeOf<boolean | undefined>();
        expectTypeOf(options.role).toEqualTypeOf<string>();
        expectTypeOf(options.tag).toEqualTypeOf<string[] | undefined>();
        seen = { name: positionals[0], ...options };
      },
      {
        options: {
          admin: { type: 'boolean', short: 'a' },
          role: { type: 'string', default: 'member' },
          tag: { type: 'string', multiple: true },
        },
      },
    );
    await app.cli.invoke(['create-user', 'ada', '-a', '--tag', 'x', '--tag', 'y']);
    expect(seen).toEqual({ name: 'ada', admin: true, role: 'member', tag: ['x', 'y'] });
    const error = await app.cli.invoke(['create-user', '--colour']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/Unknown option '--colour'/);
  });

  it('CliError is a deliberate failure with its exit code', () => {
    expect(new CliError('no database').exitCode).toBe(1);
    expect(new CliError('busy', { exitCode: 75 }).exitCode).toBe(75);
    expect(new UsageError('needs a name')).toBeInstanceOf(CliError);
  });
});

describe('groups and blueprints', () => {
  it("puts a blueprint's commands under its name, or cliGroup, or at the top level with cliGroup: null", async () => {
    const app = newApp();
    const auth = new Blueprint('auth', import.meta.url);
    auth.cli.command('create-user', ({ positionals }) => `auth:${positionals[0]}`);
    const reports = new Blueprint('reports', import.meta.url, { cliGroup: 'report' });
    reports.cli.command('daily', () => 'daily');
    const jobs = new Blueprint('jobs', import.meta.url);
    jobs.cli.command('sweep', () => 'swept');
    const quiet = new Blueprint('quiet', import.meta.url); // no commands: no group, as in Flask
    app.registerBlueprint(auth);
    app.registerBlueprint(reports);
    app.registerBlueprint(jobs, { cliGroup: null });
    app.registerBlueprint(quiet);
    expect(await app.cli.invoke(['auth', 'create-user', 'ada'])).toBe('auth:ada');
    expect(await app.cli.invoke(['report', 'daily'])).toBe('daily');
    expect(await app.cli.invoke(['sweep'])).toBe('swept');
    expect([...app.cli.groups.keys()]).toEqual(['auth', 'report']);
    expect([...app.cli.commands.keys()]).toEqual(['sweep']);
  });

  it("names a nested blueprint's group by its dotted name, and lists the commands of an unknown one", async () => {
    const app = newApp();
    const parent = new Blueprint('admin', import.meta.url);
    const child = new Blueprint('users', import.meta.url);
    child.cli.command('purge', () => 'purged');
    parent.registerBlueprint(child);
    app.registerBlueprint(parent);
    expect(await app.cli.invoke(['admin.users', 'purge'])).toBe('purged');
    await expect(app.cli.invoke(['admin.users', 'prune'])).rejects.toThrow(
      "No such command 'prune' in the group 'admin.users'. The commands are: purge.",
    );
    await expect(app.cli.invoke(['admin.users'])).rejects.toThrow(
      /'admin.users' is a group of commands: name one of them \(purge\)/,
    );
    await expect(app.cli.invoke(['nope'])).rejects.toThrow(/No such command 'nope'\. The commands are: admin\.users\./);
  });

  it('app.cli.group makes a group; a blueprint group clashing with a command says how to rename it', async () => {
    const app = newApp();
    const db = app.cli.group('db', { help: 'Database tasks.' });
    db.command('migrate', () => 'migrated');
    expect(app.cli.group('db')).toBe(db);
    expect(await app.cli.invoke(['db', 'migrate'])).toBe('migrated');
    expect(app.cli.groups.get('db')?.help).toBe('Database tasks.');
    const clash = new Blueprint('db', import.meta.url);
    clash.cli.command('seed', () => undefined);
    expect(() => app.registerBlueprint(clash)).toThrow(
      /'db' is already a group of commands in the app.*\{ cliGroup: '…' \}/,
    );
  });
});
