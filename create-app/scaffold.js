// @ts-check
/** @module Writing a new project from a bundled template: no prompts, no network, so it can be tested directly. */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own folder: templates are read from here, so the scaffold needs nothing from the network. */
const HERE = fileURLToPath(new URL('.', import.meta.url));

/**
 * The templates, with the line the prompt shows for each and the steps a new project needs before `npm run dev`.
 *
 * @type {Record<string, { hint: string, firstSteps: string[] }>}
 */
export const TEMPLATES = {
  minimal: { hint: 'one app.ts, one test', firstSteps: [] },
  full: { hint: "Flask's tutorial blog: blueprints, templates, login, CSRF, SQLite", firstSteps: ['npx flagon init-db'] },
  api: { hint: 'a JSON API: zod schemas, 422 problem details, OpenAPI and its docs page', firstSteps: [] },
};

/**
 * The version of create-flagon, which is also the Flagon version its templates are written for.
 *
 * @returns {string}
 */
export function ownVersion() {
  return JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8')).version;
}

/**
 * A valid npm package name made from a folder name: `My App` becomes `my-app`.
 *
 * @param {string} target the project folder
 * @returns {string}
 */
export function packageName(target) {
  const name = basename(resolve(target)).trim().toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/^[._]+/, '')
    .replace(/[^a-z\d\-~._]+/g, '-');
  return name || 'flagon-app';
}

/**
 * Whether a folder can take a project without overwriting anything: it does not exist, or holds nothing but `.git`.
 *
 * @param {string} target
 * @returns {boolean}
 */
export function isEmptyFolder(target) {
  if (!existsSync(target)) return true;
  return readdirSync(target).every((name) => name === '.git');
}

/**
 * Copies a template into `target` (created if needed) and writes its package.json with the project's name and the
 * dependency spec for `flagon`. Files of the template replace files of the same name; other files are left alone.
 *
 * @param {{ target: string, template: string, flagonSpec: string }} options
 * @returns {void}
 */
export function scaffold({ target, template, flagonSpec }) {
  const source = join(HERE, 'templates', template);
  cpSync(source, target, { recursive: true, force: true });
  // npm leaves every .gitignore out of a published package, so the templates carry it as _gitignore (as create-vite does).
  if (existsSync(join(target, '_gitignore'))) renameSync(join(target, '_gitignore'), join(target, '.gitignore'));
  const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  pkg.name = packageName(target);
  pkg.dependencies.flagon = flagonSpec;
  writeFileSync(join(target, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/**
 * The package manager that started us (`npm create`, `pnpm create`, `yarn create`, `bun create`), from the user
 * agent it sets; npm when run directly.
 *
 * @param {string | undefined} userAgent `process.env.npm_config_user_agent`
 * @returns {'npm' | 'pnpm' | 'yarn' | 'bun'}
 */
export function packageManager(userAgent) {
  const name = userAgent?.split('/')[0];
  return name === 'pnpm' || name === 'yarn' || name === 'bun' ? name : 'npm';
}
