/** @module App CLI commands (layer L3): `app.cli`, the registry `flagon <name>` runs from, as Flask's `app.cli`. */
import { type CliArgs, type CliOptions, parseCliArgs, UsageError } from './cli-args.js';
import { bindMethod } from './decorators.js';
import { FlagonError } from './errors.js';

/**
 * A command's function. It runs inside `app.appContext()`: `currentApp` and `g` work, and the `teardownAppcontext`
 * hooks run when it ends. Its return value is ignored by `flagon` (as Flask ignores a command's); throw to fail.
 *
 * @example
 * const initDb: CliHandler = async () => { await createTables(); console.log('Initialized the database.'); };
 */
export type CliHandler<O extends CliOptions | undefined = undefined> = (args: CliArgs<O>) => unknown;

/**
 * The third argument of `app.cli.command(name, run, options)`.
 *
 * @example
 * app.cli.command('seed', seed, { help: 'Fill the database with sample rows.', options: { count: { type: 'string', default: '10' } } });
 */
export interface CliCommandOptions<O extends CliOptions | undefined = undefined> {
  /** One line or more, shown by `flagon --help` (first line) and `flagon <name> --help`. */
  help?: string;
  /**
   * Declared options: parsed strictly (an unknown option is a usage error, exit code 2), typed in the handler and
   * listed by `--help`. Without them, any `--name value`, `--name=value` or `--name` is taken as it comes.
   */
  options?: O;
}

/**
 * A registered command, as `flagon --help` lists it.
 *
 * @example
 * for (const [name, command] of app.cli.commands) console.log(name, command.help);
 */
export interface CliCommand {
  readonly name: string;
  readonly help: string;
  /** The declared options, or `null` when the command takes any. */
  readonly options: CliOptions | null;
  readonly run: (args: CliArgs<CliOptions | undefined>) => unknown;
}

/**
 * The `flagon` command's own commands. They win over an app's commands of the same name (as `flask run` wins over
 * an app's `run`), so the App refuses such a name when it is registered rather than leave it unreachable.
 *
 * @example
 * BUILTIN_COMMANDS.includes('routes'); // true
 */
export const BUILTIN_COMMANDS: readonly string[] = Object.freeze(['run', 'routes', 'shell']);

/**
 * A method decorator for a command, as `@app.cli.command('init-db')` returns.
 *
 * @example
 * class Db { @app.cli.command('init-db', { help: 'Create the tables.' }) static async init() { await createTables(); } }
 */
export type CliCommandDecorator<O extends CliOptions | undefined> = <This>(
  value: (this: This, args: CliArgs<O>) => unknown,
  context: ClassMethodDecoratorContext<This>,
) => void;

/**
 * How an AppCli is made: the app's runs commands inside its app context and reserves the built-in names; a
 * blueprint's or a group's does neither.
 *
 * @example
 * new AppCli({ owner: "blueprint 'auth'" });
 */
export interface AppCliSetup {
  /** Who owns it, for error messages: `'the app'`, `"blueprint 'auth'"`. */
  owner: string;
  /** Shown by `flagon <group> --help` and beside the group in `flagon --help`. */
  help?: string;
  /** Names this registry may not take. */
  reserved?: readonly string[];
  /** Wraps each command's run (the app's context). */
  run?: (fn: () => unknown) => Promise<unknown>;
}

/**
 * What `app.cli.resolve(argv)` found: a command and the arguments left for it, or a group named without one of its
 * commands.
 *
 * @example
 * const found = app.cli.resolve(['auth', 'create-user', 'ada']); // { kind: 'command', path: ['auth', 'create-user'], rest: ['ada'], … }
 */
export type ResolvedCli =
  | { kind: 'command'; path: readonly string[]; command: CliCommand; rest: readonly string[] }
  | { kind: 'group'; path: readonly string[]; group: AppCli; rest: readonly string[] };

const NAME = /^[A-Za-z0-9][\w.:-]*$/;

/**
 * Custom commands, Flask's `app.cli` / `blueprint.cli`: `app.cli.command('init-db', run)` makes `npx flagon init-db`
 * load the app (as `flagon routes` does) and run `run` inside `app.appContext()`. A blueprint's commands are a group
 * under its name (`flagon auth create-user`), or another with `cliGroup`, or top-level with `cliGroup: null`.
 *
 * Adding a command is not a setup method: commands never touch request handling, so, as in Flask, they may be added
 * at any time (a test may add one after requests were made).
 *
 * @example
 * app.cli.command('init-db', async () => { await initDb(); console.log('Initialized the database.'); }, { help: 'Create the tables.' });
 * app.cli.command('seed', ({ options }) => seed(Number(options.count)), { options: { count: { type: 'string', default: '10' } } });
 */
export class AppCli {
  readonly #commands = new Map<string, CliCommand>();
  readonly #groups = new Map<string, AppCli>();
  readonly #setup: AppCliSetup;

  constructor(setup: AppCliSetup) {
    this.#setup = setup;
  }

  /** The help of this group, if it is one. */
  get help(): string {
    return this.#setup.help ?? '';
  }

  /** The commands by name, in registration order. */
  get commands(): ReadonlyMap<string, CliCommand> {
    return this.#commands;
  }

  /** The groups of commands by name (blueprints', and those made with {@link AppCli.group}). */
  get groups(): ReadonlyMap<string, AppCli> {
    return this.#groups;
  }

  /** Whether it holds no command and no group. */
  get isEmpty(): boolean {
    return this.#commands.size === 0 && this.#groups.size === 0;
  }

  /**
   * `command(name, run, options?)` registers `run` as `flagon <name>`; `command(name, options?)` returns a decorator
   * for a static method (or an instance method of an `@app.routes` class).
   *
   * @example
   * app.cli.command('create-user', ({ positionals, options }) => createUser(positionals[0]!, { admin: options.admin === true }));
   */
  command<const O extends CliOptions | undefined = undefined>(
    name: string,
    run: CliHandler<O>,
    options?: CliCommandOptions<O>,
  ): CliHandler<O>;
  command<const O extends CliOptions | undefined = undefined>(
    name: string,
    options?: CliCommandOptions<O>,
  ): CliCommandDecorator<O>;
  command(
    name: string,
    runOrOptions?: CliHandler<CliOptions | undefined> | CliCommandOptions<CliOptions | undefined>,
    maybeOptions?: CliCommandOptions<CliOptions | undefined>,
  ): unknown {
    if (typeof runOrOptions === 'function') {
      this.#add(name, runOrOptions, maybeOptions ?? {});
      return runOrOptions;
    }
    const options = runOrOptions ?? {};
    this.#check(name);
    return (value: CliHandler<CliOptions | undefined>, context: ClassMethodDecoratorContext) =>
      this.#add(name, bindMethod(value, context, `@cli.command('${name}')`), options);
  }

  /**
   * A group of commands under `name`: `app.cli.group('db').command('migrate', migrate)` is `flagon db migrate`.
   * Asking again for a group returns the same one.
   *
   * @example
   * const db = app.cli.group('db', { help: 'Database tasks.' });
   * db.command('migrate', migrate);
   */
  group(name: string, options: { help?: string } = {}): AppCli {
    const existing = this.#groups.get(name);
    if (existing) return existing;
    const group = new AppCli({ owner: `the group '${name}'`, help: options.help });
    this.addGroup(name, group);
    return group;
  }

  /**
   * Adds an existing registry as the group `name` (what registering a blueprint does with `blueprint.cli`); later
   * commands added to it are seen.
   *
   * @example
   * app.cli.addGroup('auth', auth.cli);
   */
  addGroup(name: string, group: AppCli): void {
    this.#check(name);
    this.#groups.set(name, group);
  }

  /**
   * Copies another registry's commands and groups into this one (a blueprint registered with `cliGroup: null`);
   * commands added to it later are not seen, as in Flask.
   *
   * @example
   * app.cli.merge(auth.cli); // flagon create-user, not flagon auth create-user
   */
  merge(other: AppCli): void {
    for (const [name, command] of other.commands) {
      this.#check(name);
      this.#commands.set(name, command);
    }
    for (const [name, group] of other.groups) this.addGroup(name, group);
  }

  #check(name: string): void {
    const fix = `Give it another name, e.g. '${name}-task'.`;
    if (!NAME.test(name))
      throw new FlagonError(
        'FLAGON_ERR_CLI',
        `'${name}' cannot be a command name (in ${this.#setup.owner}): use letters, digits, '-', '_', '.' or ':', starting with a letter or digit, e.g. 'init-db'.`,
      );
    if (this.#setup.reserved?.includes(name))
      throw new FlagonError(
        'FLAGON_ERR_CLI',
        `'${name}' is one of the flagon command's own commands (${this.#setup.reserved.join(', ')}), which win over an app's, so yours could never run. ${fix}`,
      );
    if (this.#commands.has(name))
      throw new FlagonError(
        'FLAGON_ERR_CLI',
        `a command '${name}' is already registered in ${this.#setup.owner}. ${fix}`,
      );
    if (this.#groups.has(name))
      throw new FlagonError(
        'FLAGON_ERR_CLI',
        `'${name}' is already a group of commands in ${this.#setup.owner} (a blueprint's, by default named after it). ${fix} Or register the blueprint with { cliGroup: '…' }.`,
      );
  }

  #add(
    name: string,
    run: CliHandler<CliOptions | undefined>,
    options: CliCommandOptions<CliOptions | undefined>,
  ): void {
    this.#check(name);
    const declared = options.options ?? null;
    if (declared && ('help' in declared || Object.values(declared).some((option) => option.short === 'h'))) {
      throw new FlagonError(
        'FLAGON_ERR_CLI',
        `command '${name}' declares --help or -h, which flagon keeps for the command's help. Rename that option.`,
      );
    }
    this.#commands.set(name, { name, help: options.help ?? '', options: declared, run });
  }

  /**
   * Finds the command `argv` names, walking into groups (`['auth', 'create-user', 'ada']`); a name it does not know
   * is a {@link UsageError} that lists the ones it does.
   *
   * @example
   * app.cli.resolve(['init-db', '--force']); // { kind: 'command', path: ['init-db'], rest: ['--force'], … }
   */
  resolve(argv: readonly string[], path: readonly string[] = []): ResolvedCli {
    const [name, ...rest] = argv;
    if (name === undefined || name.startsWith('-')) {
      if (path.length === 0) throw new UsageError('Missing command.');
      return { kind: 'group', path, group: this, rest: argv };
    }
    const command = this.#commands.get(name);
    if (command) return { kind: 'command', path: [...path, name], command, rest };
    const group = this.#groups.get(name);
    if (group) return group.resolve(rest, [...path, name]);
    const known = [...this.#commands.keys(), ...this.#groups.keys()];
    const where = path.length === 0 ? '' : ` in the group '${path.join(' ')}'`;
    throw new UsageError(
      `No such command '${name}'${where}. ${known.length > 0 ? `The commands are: ${known.join(', ')}.` : 'None are registered.'}`,
    );
  }

  /**
   * Runs a command as `flagon` does, in process (Flask's `app.test_cli_runner().invoke`): resolves `argv`, parses its
   * arguments and runs it inside `app.appContext()`, resolving with what the handler returned. Bad usage rejects
   * with a {@link UsageError}; the handler's errors reject as they are.
   *
   * @example
   * await app.cli.invoke(['create-user', 'ada', '--admin']);
   */
  async invoke(argv: readonly string[]): Promise<unknown> {
    const found = this.resolve(argv);
    if (found.kind === 'group')
      throw new UsageError(
        `'${found.path.join(' ')}' is a group of commands: name one of them (${[...found.group.commands.keys(), ...found.group.groups.keys()].join(', ') || 'it has none'}).`,
      );
    const args = parseCliArgs(found.rest, found.command.options);
    const run = (): unknown => found.command.run(args);
    return this.#setup.run ? this.#setup.run(run) : run();
  }
}
