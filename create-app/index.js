#!/usr/bin/env node
// @ts-check
/** @module `create-flagon`, behind `npm create flagon@latest`: asks what it must, writes the project, installs it. */
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { isEmptyFolder, ownVersion, packageManager, scaffold, TEMPLATES } from './scaffold.js';

const NAMES = Object.keys(TEMPLATES);
const USAGE = `Usage: create-flagon DIR --template NAME [options]

Writes a new Flagon project into DIR, then installs its packages.

  --template NAME   ${NAMES.map((name) => `${name} (${TEMPLATES[name]?.hint})`).join(', ')}
  --no-install      only write the files; run npm install yourself
  --flagon SPEC     the dependency written for flagon in package.json (default: ^${ownVersion()};
                    any npm spec works, e.g. file:../flagon-0.1.0.tgz)
  --yes, -y         write into DIR even if it is not empty (files of the same name are replaced)
  --version         print create-flagon's version
  --help, -h        print this help

On a terminal, what you leave out is asked for; otherwise a missing DIR or --template is an error.
`;

/** A mistake on the command line: printed without a stack, with the fix. */
class UsageError extends Error {}

/** Thrown when the user cancels a prompt (Ctrl-C, Escape): nothing has been written. */
class Cancelled extends Error {}

/**
 * A prompt's answer, or Cancelled when the user pressed Ctrl-C or Escape (clack answers those with a symbol).
 *
 * @template T
 * @param {T} answer
 * @returns {Exclude<T, symbol>}
 */
function answered(answer) {
  if (typeof answer === 'symbol') throw new Cancelled();
  return /** @type {Exclude<T, symbol>} */ (answer);
}

/**
 * @param {string[]} argv the arguments after `create-flagon`
 * @returns {Promise<number>} the exit code
 */
async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      template: { type: 'string', short: 't' },
      'no-install': { type: 'boolean' },
      flagon: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      version: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || values.version) {
    process.stdout.write(values.help ? USAGE : `create-flagon ${ownVersion()}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`one project folder, please: got ${positionals.map((p) => `'${p}'`).join(', ')}`);

  // Prompts only where someone can answer them; a script or CI gets an error that names the missing flag.
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const prompts = interactive ? await import('@clack/prompts') : null;
  prompts?.intro('create-flagon');

  let target = positionals[0];
  if (!target) {
    if (!prompts) throw new UsageError("missing the project folder: put it first, as in 'create-flagon my-app --template minimal'");
    target = answered(await prompts.text({
      message: 'Project folder:',
      placeholder: 'flagon-app',
      defaultValue: 'flagon-app',
    }));
  }

  let template = values.template;
  if (template === undefined) {
    if (!prompts) throw new UsageError(`missing --template: pass ${NAMES.map((name) => `--template ${name}`).join(' or ')}`);
    template = answered(await prompts.select({
      message: 'Template:',
      options: NAMES.map((name) => ({ value: name, label: name, hint: TEMPLATES[name]?.hint })),
    }));
  }
  if (!NAMES.includes(template)) throw new UsageError(`no template '${template}': pass ${NAMES.map((name) => `--template ${name}`).join(' or ')}`);

  if (!isEmptyFolder(target) && !values.yes) {
    const why = `${target} is not empty`;
    if (!prompts) throw new UsageError(`${why}: pick a new folder, or pass --yes to write into it (files of the same name are replaced)`);
    const go = answered(await prompts.confirm({ message: `${why}. Write the project into it anyway? Files of the same name are replaced.`, initialValue: false }));
    if (!go) throw new Cancelled();
  }

  prompts?.outro('Thanks: no more questions.');

  const flagonSpec = values.flagon ?? `^${ownVersion()}`;
  scaffold({ target, template, flagonSpec });
  const where = relative(process.cwd(), target) || '.';
  process.stdout.write(`Wrote a ${template} Flagon project in ${where}.\n`);

  const pm = packageManager(process.env.npm_config_user_agent);
  const install = !values['no-install'];
  if (install) {
    process.stdout.write(`Running ${pm} install…\n\n`);
    // Windows finds npm.cmd only through a shell.
    const result = spawnSync(pm, ['install'], { cwd: target, stdio: 'inherit', shell: process.platform === 'win32' });
    if (result.status !== 0) {
      process.stderr.write(`\n${pm} install failed (${result.error?.message ?? `exit code ${result.status}`}). The files are written: cd ${where} and run ${pm} install again.\n`);
      return 1;
    }
  }

  const exec = pm === 'npm' ? 'npx' : pm === 'bun' ? 'bunx' : `${pm} exec`;
  const steps = [
    ...(where === '.' ? [] : [`cd ${where.includes(' ') ? JSON.stringify(where) : where}`]),
    ...(install ? [] : [`${pm} install`]),
    ...(TEMPLATES[template]?.firstSteps ?? []).map((step) => step.replace(/^npx /, `${exec} `)),
    `${pm} run dev      # http://127.0.0.1:5000, reloads when you save`,
    `${pm} test`,
  ];
  process.stdout.write(`\nNext:\n\n${steps.map((step) => `  ${step}`).join('\n')}\n\nThe project's README.md says what each file is for.\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof Cancelled) {
    process.stderr.write('Cancelled: nothing was written.\n');
    process.exitCode = 1;
  } else if (error instanceof UsageError || /^ERR_PARSE_ARGS_/.test(/** @type {{ code?: string }} */ (error).code ?? '')) {
    process.stderr.write(`create-flagon: ${/** @type {Error} */ (error).message}\nRun 'create-flagon --help' for the options.\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
