#!/usr/bin/env node
/** @module The `flagon` command (layer L5). Today it prints its version and help; `flagon run`, `routes` and `shell` arrive with the dev server. */
import { readFileSync } from 'node:fs';

const HELP = `Usage: flagon <command> [options]

Commands arriving with the development server:
  run       serve an app with auto-reload and the debug page
  routes    list the app's routes
  shell     a REPL with the app loaded

Options:
  --version  print Flagon's version
  --help     print this help

Until then, serve a TSGI app from code:
  import { serve } from 'flagon/serving';
  await serve(app, { port: 5000 });
`;

/** Runs the command line and returns the exit code. */
export function main(argv: readonly string[]): number {
  const [command] = argv;
  if (command === '--version' || command === '-V') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`flagon ${pkg.version}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  process.stderr.write(`flagon: '${command}' is not available yet (see 'flagon --help')\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
