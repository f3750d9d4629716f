/** @module The request inspector's pages (layer L4): the list of requests, one request's page with its timing bar, its JSON, and the stylesheet; nunjucks templates from the framework's templates/ folder, under a strict CSP. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Body, Environ, HeaderList, StartResponse } from '../gateway/types.js';
import type { RequestRecorder, TracePhase } from '../app/request-recorder.js';
import { NunjucksRenderer } from '../templating/engine.js';
import { environEntries } from './inspector-environ.js';
import { flameGraph } from './inspector-flame.js';
import type { InspectedRequest, RequestRing } from './inspector-ring.js';

const TEMPLATES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');
const encoder = new TextEncoder();
let renderer: NunjucksRenderer | null = null;
let stylesheet: Uint8Array | null = null;

/** Nothing from anywhere but the inspector itself: no script at all, styles from its own stylesheet only. */
const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * One bar of the timing chart, in the chart's units (the request's whole time is 700 wide).
 *
 * @example
 * const bar: TimingBar = { label: 'view: index', x: 230, width: 120, y: 4, kind: 'view', ms: '1.20' };
 */
export interface TimingBar {
  label: string;
  x: number;
  width: number;
  y: number;
  kind: string;
  ms: string;
  /** Where the time's label goes: after the bar, kept inside the chart. */
  msX: number;
}

const LEFT = 230;
const WIDTH = 700;
const ROW = 22;

/**
 * The timing chart of a request: one bar per phase (server → app, hooks, view, after-hooks and session, sending the
 * body), then one per hook, view and template, placed on the same time axis.
 *
 * @example
 * timingBars(entry.recorder, entry.duration ?? 0).map((bar) => bar.label); // ['server → app', 'hooks', …]
 */
export function timingBars(recorder: RequestRecorder, total: number): TimingBar[] {
  const at = (phase: TracePhase): number | undefined => recorder.marks.find((mark) => mark.phase === phase)?.at;
  const end = Math.max(total, ...recorder.marks.map((mark) => mark.at), 0.001);
  const bars: TimingBar[] = [];
  const add = (label: string, kind: string, start: number | undefined, stop: number | undefined): void => {
    if (start === undefined || stop === undefined) return;
    const x = Math.round((LEFT + (start / end) * WIDTH) * 10) / 10;
    const width = Math.max(1, Math.round(((stop - start) / end) * WIDTH * 10) / 10);
    bars.push({
      label,
      kind,
      x,
      width,
      y: 4 + bars.length * ROW,
      ms: (stop - start).toFixed(2),
      msX: Math.min(x + width + 4, 945),
    });
  };
  const app = at('app');
  const started = at('response started');
  const sent = at('body sent') ?? (total > 0 ? total : undefined);
  if (app === undefined) add('the app (not a traced App)', 'app', 0, started ?? sent);
  else {
    const view = at('view');
    const made = at('response made');
    const hooks = at('hooks') ?? app;
    add('server → app', 'server', 0, app);
    // Explaining the match and copying the environ and session: what tracing adds, shown so it is not mistaken for hooks.
    add("tracing (the inspector's own cost)", 'tracing', app, hooks);
    add('hooks', 'hooks', hooks, view ?? made ?? started);
    add('view', 'view', view, made);
    add('after hooks, session', 'after', made, started);
  }
  add('response started → body sent', 'send', started, sent);
  for (const step of recorder.steps) add(`${step.kind}: ${step.name}`, step.kind, step.start, step.end ?? undefined);
  for (const template of recorder.templates)
    add(`template: ${template.name}`, 'template', template.start, template.end);
  return bars;
}

function respond(startResponse: StartResponse, status: string, type: string, body: string | Uint8Array): Body {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const headers: HeaderList = [
    ['Content-Type', type],
    ['Content-Length', String(bytes.byteLength)],
    ['Cache-Control', 'no-store'],
    ['Content-Security-Policy', CSP],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
  ];
  startResponse(status, headers);
  return [bytes];
}

function render(name: string, context: Record<string, unknown>): string {
  renderer ??= new NunjucksRenderer([TEMPLATES]);
  return renderer.render(name, context);
}

function summary(entry: InspectedRequest): Record<string, unknown> {
  return {
    id: entry.id,
    time: entry.arrived.toISOString().slice(11, 23),
    method: entry.method,
    target: entry.target,
    status: entry.status ?? (entry.error === null ? '(in flight)' : '(no response)'),
    duration: entry.duration === null ? '' : `${entry.duration.toFixed(2)} ms`,
    error: entry.error,
  };
}

/** Session keys before and after, each with how it changed. */
function sessionRows(
  before: Record<string, string> | null,
  after: Record<string, string> | null,
): Array<{ key: string; before: string; after: string; change: string }> {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  return keys.map((key) => {
    const was = before?.[key];
    const is = after?.[key];
    const change = was === undefined ? 'added' : is === undefined ? 'removed' : was === is ? '' : 'changed';
    return { key, before: was ?? '', after: is ?? '', change };
  });
}

/**
 * What the request's page and its JSON show: the summary, the environ with sources, routing, steps, templates,
 * session, response and timing.
 *
 * @example
 * requestDetails(ring.get(7)!).match?.rule; // '/posts/<int:id>'
 */
export function requestDetails(entry: InspectedRequest): Record<string, unknown> {
  const recorder = entry.recorder;
  const match = recorder.match;
  const bars = timingBars(recorder, entry.duration ?? 0);
  return {
    ...summary(entry),
    environ: environEntries(entry.environ, recorder.appEnviron, entry.socket).map((row) => ({
      ...row,
      changed: row.appValue !== null,
    })),
    traced: match !== null,
    match: match && {
      ...match,
      values: Object.entries(match.values).map(([key, value]) => ({
        key,
        value: JSON.stringify(value) ?? String(value),
        type: value === null ? 'null' : typeof value,
      })),
    },
    steps: recorder.steps.map((step) => ({
      ...step,
      ms: step.end === null ? '(did not end)' : `${(step.end - step.start).toFixed(2)} ms`,
    })),
    templates: recorder.templates.map((template) => ({
      ...template,
      ms: `${(template.end - template.start).toFixed(2)} ms`,
    })),
    session: sessionRows(recorder.sessionBefore, recorder.sessionAfter),
    hasSession: recorder.sessionBefore !== null || recorder.sessionAfter !== null,
    headers: entry.headers ?? [],
    flame: entry.profile === null ? null : flameGraph(entry.profile),
    timing: { bars, height: 8 + bars.length * ROW, left: LEFT, width: WIDTH },
  };
}

/**
 * Answers a request for one of the inspector's own pages: `rest` is the path after `base` (the list for `''`, a
 * request for its id, `<id>.json`, `inspector.css`). The path without its slash redirects to `base`.
 *
 * @example
 * return servePage(ring, '/__flagon__/', '/__flagon__/7', environ, startResponse);
 */
export function servePage(
  ring: RequestRing,
  base: string,
  path: string,
  environ: Environ,
  startResponse: StartResponse,
): Body {
  if (path.length < base.length) {
    startResponse('308 Permanent Redirect', [
      ['Location', base],
      ['Content-Length', '0'],
    ]);
    return [];
  }
  if (environ.REQUEST_METHOD !== 'GET' && environ.REQUEST_METHOD !== 'HEAD') {
    startResponse('405 Method Not Allowed', [
      ['Allow', 'GET, HEAD'],
      ['Content-Length', '0'],
    ]);
    return [];
  }
  const rest = path.slice(base.length);
  if (rest === '')
    return respond(
      startResponse,
      '200 OK',
      'text/html; charset=utf-8',
      render('inspector-list.html', { base, requests: ring.list().map(summary) }),
    );
  if (rest === 'inspector.css') {
    stylesheet ??= readFileSync(resolve(TEMPLATES, 'inspector.css'));
    return respond(startResponse, '200 OK', 'text/css; charset=utf-8', stylesheet);
  }
  if (rest === 'compare') return comparePage(ring, base, environ, startResponse);
  const found = /^(\d+)(\.json)?$/.exec(rest);
  const entry = found ? ring.get(Number(found[1])) : undefined;
  if (entry === undefined) {
    const text = found
      ? `Request ${found[1]} is not kept any more (or never was): the inspector keeps the last requests only. See ${base}\n`
      : `Not a page of the request inspector. The list of requests is at ${base}\n`;
    return respond(startResponse, '404 Not Found', 'text/plain; charset=utf-8', text);
  }
  const details = requestDetails(entry);
  if (found![2]) return respond(startResponse, '200 OK', 'application/json', JSON.stringify(details, null, 2));
  // Other requests with a profile, to compare this one with.
  const others = ring
    .list()
    .filter((other) => other.profile !== null && other.id !== entry.id)
    .map(summary);
  return respond(
    startResponse,
    '200 OK',
    'text/html; charset=utf-8',
    render('inspector-request.html', { base, r: details, others }),
  );
}

/** Two requests side by side, each with its flame graph: `compare?a=<id>&b=<id>`. */
function comparePage(ring: RequestRing, base: string, environ: Environ, startResponse: StartResponse): Body {
  const query = new URLSearchParams(environ.QUERY_STRING);
  const ids = [query.get('a'), query.get('b')];
  const entries = ids.map((id) => (id !== null && /^\d+$/.test(id) ? ring.get(Number(id)) : undefined));
  if (entries.some((entry) => entry === undefined)) {
    const text = `Compare two requests the inspector keeps: ${base}compare?a=<id>&b=<id> (got a=${ids[0] ?? ''}, b=${ids[1] ?? ''}). See ${base}\n`;
    return respond(startResponse, '404 Not Found', 'text/plain; charset=utf-8', text);
  }
  const sides = (entries as InspectedRequest[]).map((entry) => ({
    ...summary(entry),
    flame: entry.profile === null ? null : flameGraph(entry.profile),
  }));
  return respond(
    startResponse,
    '200 OK',
    'text/html; charset=utf-8',
    render('inspector-compare.html', { base, sides }),
  );
}
