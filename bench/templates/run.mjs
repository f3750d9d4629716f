#!/usr/bin/env node
// Template overhead: the same route rendering the same template through renderTemplate() and through nunjucks
// directly, in process (no sockets), interleaved rounds. Usage: npm run bench:templates
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { App, renderTemplate } from '../../dist/app/index.js';
import { createEnviron } from '../../dist/testing/index.js';
import { writeSection } from '../results.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const context = {
  title: 'Price list',
  footer: 'Thanks for visiting',
  items: Array.from({ length: 20 }, (_, i) => ({ name: `item <${i}>`, price: i * 3 })),
};
const direct = new nunjucks.Environment(new nunjucks.FileSystemLoader(`${here}templates`), { autoescape: true });

const app = new App(new URL('./app.mjs', import.meta.url).href, { name: 'templates', staticFolder: null });
app.get('/flagon', () => renderTemplate('page.html', context));
app.get('/nunjucks', () => direct.render('page.html', context));
if (app.templates.folders[0] !== `${here}templates`)
  throw new Error(`unexpected template folder ${app.templates.folders[0]}`);

const start = () => () => {};
function nsPerRequest(path, n) {
  const environ = createEnviron(path);
  const run = () => {
    const body = app.gatewayApp(environ, start);
    if (typeof body.then === 'function') throw new Error('async');
    body.close?.();
  };
  for (let i = 0; i < n / 10; i++) run();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) run();
  return Number(process.hrtime.bigint() - t) / n;
}
const rounds = 7;
const samples = { flagon: [], nunjucks: [] };
for (let round = 0; round < rounds; round++) {
  const order = round % 2 ? ['flagon', 'nunjucks'] : ['nunjucks', 'flagon'];
  for (const who of order) samples[who].push(nsPerRequest(`/${who}`, 20_000));
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};
const a = median(samples.flagon);
const b = median(samples.nunjucks);
const markdown = [
  '## Templates: renderTemplate() against nunjucks directly (`npm run bench:templates`)',
  '',
  `- Command: \`npm run bench:templates\` (${rounds} interleaved rounds of 20,000 requests, in process, no sockets); ${new Date().toISOString()}; Node ${process.version}`,
  "- Both run through the same App route; one calls renderTemplate('page.html', ctx), the other a nunjucks Environment on the same folder with autoescape. The difference is what renderTemplate adds (finding the renderer, building the template context with the Flask globals).",
  '',
  '| route | ns per request | × nunjucks directly |',
  '| --- | ---: | ---: |',
  `| nunjucks directly | ${b.toFixed(0)} | 1.000 |`,
  `| renderTemplate() | ${a.toFixed(0)} | ${(a / b).toFixed(3)} |`,
].join('\n');
console.log(markdown);
writeSection(`${here}../RESULTS.md`, 'templates', markdown);
