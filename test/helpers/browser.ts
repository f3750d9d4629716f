/** Headless Chromium for the browser tests: Debian's /usr/bin/chromium, which .ci/install-system-deps.sh installs. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Why a browser test skips here, or `null` when Chromium is installed. `test` names the file in the warning it prints.
 */
export function missingChromium(test: string): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `${CHROMIUM} is missing: run .ci/install-system-deps.sh (as root) to install chromium`;
  console.warn(`${test} skips: ${why}`);
  return why;
}

/** Starts headless Chromium as the browser tests use it (no sandbox: tests may run as root in CI). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

/**
 * What a page reports going wrong, collected as it happens: script errors and console errors, in the list returned.
 * Every Content-Security-Policy violation (an inline script or style, eval, a font or image from elsewhere) is kept in
 * the page's `window.cspViolations`.
 */
export async function watchProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.addInitScript({
    content: `window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
      });`,
  });
  return problems;
}
