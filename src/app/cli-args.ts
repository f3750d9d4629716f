/** @module CLI arguments (layer L3): a command's declared options and how `flagon <name> …` parses its arguments; the errors a command fails with (CliError, UsageError), as Click's. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * One declared option of a command: `--name value` for `'string'`, `--name` for `'boolean'`.
 *
 * @example
 * const count: CliOption = { type: 'string', short: 'n', default: '10', help: 'how many rows' };
 */
export interface CliOption {
  type: 'string' | 'boolean';
  /** A one-letter alias: `short: 'f'` makes `-f` mean `--force`. */
  short?: string;
  /** Repeatable; the value is an array. */
  multiple?: boolean;
  default?: string | boolean | readonly string[] | readonly boolean[];
  /** Shown by `flagon <command> --help`. */
  help?: string;
}

/**
 * A command's declared options, by long name (`'dry-run'` is `--dry-run`).
 *
 * @example
 * const options: CliOptions = { force: { type: 'boolean', short: 'f' }, user: { type: 'string' } };
 */
export type CliOptions = Readonly<Record<string, CliOption>>;

type OptionValue<T extends CliOption> = T['type'] extends 'string'
  ? T extends { multiple: true }
    ? string[]
    : string
  : T extends { multiple: true }
    ? boolean[]
    : boolean;

/**
 * The parsed options a handler gets: typed from the declared options (a value is `undefined` when not given and
 * without a default), or, when none are declared, whatever `--name value`, `--name=value` and `--name` gave.
 *
 * @example
 * const values: CliOptionValues<{ force: { type: 'boolean' } }> = { force: true };
 */
export type CliOptionValues<O extends CliOptions | undefined> = O extends CliOptions
  ? { readonly [K in keyof O]: O[K] extends { default: unknown } ? OptionValue<O[K]> : OptionValue<O[K]> | undefined }
  : Readonly<Record<string, string | boolean | undefined>>;

/**
 * What a command's handler gets: the arguments after the command's name, as typed and parsed.
 *
 * @example
 * app.cli.command('greet', ({ positionals, options }) => console.log(`Hello, ${positionals[0] ?? 'World'}${options.loud ? '!' : '.'}`));
 */
export interface CliArgs<O extends CliOptions | undefined = undefined> {
  /** Every argument after the command's name, unparsed. */
  readonly argv: readonly string[];
  /** The arguments that are not options or option values; everything after `--`. */
  readonly positionals: readonly string[];
  readonly options: CliOptionValues<O>;
}

/**
 * A command failing on purpose, Click's `ClickException`: `flagon` prints `Error: <message>` (no stack) and exits
 * with `exitCode` (default 1). Any other error is printed with its stack, and exits 1.
 *
 * @example
 * if (!existsSync(dbFile)) throw new CliError(`no database at ${dbFile}: run 'flagon init-db' first`);
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/**
 * The command was called wrongly (a missing argument, a bad value), Click's `UsageError`: exit code 2.
 *
 * @example
 * if (args.positionals.length === 0) throw new UsageError('create-user needs a user name: flagon create-user NAME');
 */
export class UsageError extends CliError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { exitCode: 2, cause: options.cause });
    this.name = 'UsageError';
  }
}

/**
 * Parses a command's arguments. With declared options, strictly, by node's `util.parseArgs` (an unknown option or a
 * missing value is a {@link UsageError}). Without, as minimist does: `--name=value` and `--name value` give a string
 * (the next argument, unless it starts with `-`), a lone `--name` or `-n` gives `true`; `--` ends the options.
 *
 * @example
 * parseCliArgs(['ada', '--role', 'admin', '--force'], null).options; // { role: 'admin', force: true }
 */
export function parseCliArgs(argv: readonly string[], declared: CliOptions | null): CliArgs<CliOptions | undefined> {
  if (declared !== null) {
    // parseArgs refuses keys present but undefined, and knows nothing of `help`.
    const config = Object.fromEntries(
      Object.entries(declared).map(([name, { help: _help, ...option }]) => [
        name,
        Object.fromEntries(Object.entries(option).filter(([, v]) => v !== undefined)),
      ]),
    );
    try {
      const { values, positionals } = parseArgs({
        args: [...argv],
        options: config as unknown as ParseArgsConfig['options'],
        strict: true,
        allowPositionals: true,
      });
      return { argv, positionals, options: values as CliOptionValues<CliOptions> };
    } catch (error) {
      if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
        throw new UsageError((error as Error).message, { cause: error });
      throw error;
    }
  }
  const { tokens } = parseArgs({ args: [...argv], strict: false, allowPositionals: true, tokens: true });
  const options: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'positional') positionals.push(token.value);
    else if (token.kind === 'option') {
      const next = tokens[i + 1];
      if (token.value !== undefined) options[token.name] = token.value;
      else if (next?.kind === 'positional' && next.index === token.index + 1) {
        options[token.name] = next.value;
        i++;
      } else options[token.name] = true;
    }
  }
  return { argv, positionals, options };
}
