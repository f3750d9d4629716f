/** @module An app's own commands on the command line (layer L5): `flagon <name>` runs `app.cli`'s command, with help and exit codes as Click gives them. */
import { inspect } from 'node:util';
import type { App } from '../app/app.js';
import { CliError } from '../app/cli-args.js';
import { BUILTIN_COMMANDS, type AppCli, type CliCommand, type ResolvedCli } from '../app/cli-commands.js';

const firstLine = (text: string): string => text.trim().split('\n')[0] ?? '';
const indent = (text: string): string =>
  text
    .trim()
    .split('\n')
    .map((line) => (line ? `  ${line.trim()}` : ''))
    .join('\n');

function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => (text ? `  ${name.padEnd(width)}  ${text}` : `  ${name}`).trimEnd()).join('\n');
}

function entries(cli: AppCli, prefix = ''): Array<[string, string]> {
  const rows: Array<[string, string]> = [...cli.commands].map(([name, command]) => [
    `${prefix}${name}`,
    firstLine(command.help),
  ]);
  for (const [name, group] of cli.groups) {
    rows.push([
      `${prefix}${name}`,
      firstLine(group.help) || `commands: ${[...group.commands.keys(), ...group.groups.keys()].join(', ')}`,
    ]);
  }
  return rows;
}

/**
 * The app's commands for `flagon --help`: each with the first line of its help, each group with its help or its
 * commands. Empty when the app has none.
 *
 * @example
 * process.stdout.write(HELP + appCommandsHelp(app, file));
 */
export function appCommandsHelp(app: App, file: string): string {
  const rows = entries(app.cli);
  if (rows.length === 0) return '';
  return `\nCommands of the app (app.cli, from ${file}):\n${table(rows)}\n`;
}

function optionRows(command: CliCommand): Array<[string, string]> {
  const rows: Array<[string, string]> = Object.entries(command.options ?? {}).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ' TEXT' : ''}`;
    const shown = option.default === undefined ? '' : `[default: ${String(option.default)}]`;
    return [flag, [option.help ?? '', shown].filter(Boolean).join('  ')];
  });
  return [...rows, ['--help', 'Show this message and exit.']];
}

/**
 * `flagon <command> --help`, as Click prints it: usage, the command's help, its options.
 *
 * @example
 * process.stdout.write(commandHelp(['init-db'], command));
 */
export function commandHelp(path: readonly string[], command: CliCommand): string {
  const usage = `Usage: flagon ${path.join(' ')} [OPTIONS] [ARGS]...`;
  const help = command.help ? `\n\n${indent(command.help)}` : '';
  const options =
    command.options === null
      ? '\n\nOptions:\n  Any --name VALUE, --name=VALUE or --name, and arguments; --help shows this.'
      : `\n\nOptions:\n${table(optionRows(command))}`;
  return `${usage}${help}${options}\n`;
}

/**
 * `flagon <group>` or `flagon <group> --help`: the group's usage, help and commands.
 *
 * @example
 * process.stdout.write(groupHelp(['auth'], auth.cli));
 */
export function groupHelp(path: readonly string[], group: AppCli): string {
  const help = group.help ? `\n\n${indent(group.help)}` : '';
  const rows = entries(group);
  return `Usage: flagon ${path.join(' ')} COMMAND [ARGS]...${help}\n\nCommands:\n${rows.length > 0 ? table(rows) : '  (none)'}\n`;
}

/** `--help` or `-h` among the options (before a `--`). */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Runs `flagon <argv>` as one of the app's commands and returns the exit code: 0 when the handler finished; for a
 * {@link CliError} (a `UsageError` is one) `Error: <message>` on standard error and its exit code (2 for usage);
 * for any other error the error with its stack, and 1. A group without a command prints its help (exit 2, or 0
 * with `--help`), as Click's groups do.
 *
 * @example
 * process.exitCode = await runAppCommand(app, ['init-db', '--force']);
 */
export async function runAppCommand(app: App, argv: readonly string[]): Promise<number> {
  const [name = ''] = argv;
  if (!app.cli.commands.has(name) && !app.cli.groups.has(name)) {
    const own = [...app.cli.commands.keys(), ...app.cli.groups.keys()];
    // What follows a command's name is the command's, so `flagon hello --app other.ts` looked in the default app.
    const hint = argv.includes('--app')
      ? ` To load another app, put --app before the command: flagon --app PATH ${name}.`
      : '';
    process.stderr.write(
      `Error: no such command '${name}' (flagon's are ${BUILTIN_COMMANDS.join(', ')}; the app's are ${own.length > 0 ? own.join(', ') : 'none: add one with app.cli.command(name, fn)'}; see 'flagon --help').${hint}\n`,
    );
    return 2;
  }
  let found: ResolvedCli;
  try {
    found = app.cli.resolve(argv);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`Error: ${error.message}\n`);
    return error.exitCode;
  }
  if (found.kind === 'group') {
    process.stdout.write(groupHelp(found.path, found.group));
    return asksForHelp(found.rest) ? 0 : 2;
  }
  if (asksForHelp(found.rest)) {
    process.stdout.write(commandHelp(found.path, found.command));
    return 0;
  }
  try {
    await app.cli.invoke(argv);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`Error: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`${inspect(error)}\n`);
    return 1;
  }
}
