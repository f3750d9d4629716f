/** @module apiDocs (layer L3): an opt-in blueprint that serves the app's OpenAPI document and an API docs page whose assets come from an npm package, offline. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFound } from '../http/errors.js';
import { NunjucksRenderer } from '../templating/engine.js';
import type { Request } from '../wrappers/request.js';
import { Response } from '../wrappers/response.js';
import { sendFromDirectory } from '../wrappers/send-file.js';
import type { App } from './app.js';
import { Blueprint } from './blueprint.js';
import { joinPrefix } from './blueprint-setup.js';
import { FlagonError } from './errors.js';
import type { OpenApiDocument, OpenApiOptions } from './openapi-types.js';

/**
 * Options of {@link apiDocs}.
 *
 * @example
 * const options: ApiDocsOptions = { docsPath: '/api/docs', title: 'Shop API', ui: 'swagger' };
 */
export interface ApiDocsOptions {
  /** Where the OpenAPI document is served, as `application/json`. Default `'/openapi.json'`. */
  openapiPath?: string;
  /** Where the docs page is served; its assets are under `<docsPath>/assets/`. Default `'/docs'`. */
  docsPath?: string;
  /** The page's `<title>`. Default: the document's `info.title`, else `'API docs'`. */
  title?: string;
  /**
   * Options of the default document, `app.openapi(openapi)`: its `info`, `servers`, security schemes… The apidocs
   * routes themselves are always added to its `exclude`.
   */
  openapi?: OpenApiOptions;
  /**
   * Builds the document, once, at the first request for it or for the page; the result is kept. Default
   * `() => app.openapi({ ...openapi, exclude: [...APIDOCS_ENDPOINTS, ...(openapi.exclude ?? [])] })`.
   */
  document?: () => object | Promise<object>;
  /**
   * The UI: `'swagger'` (default) is Swagger UI from `swagger-ui-dist`, an optional peer dependency of Flagon
   * (`npm install swagger-ui-dist`); `'scalar'` is Scalar's API reference from `@scalar/api-reference`, which you
   * install yourself too (`npm install @scalar/api-reference`).
   */
  ui?: 'swagger' | 'scalar';
}

/**
 * The endpoints {@link apiDocs} registers, which the default document leaves out (FastAPI's docs routes are not in
 * its schema either); add them to `exclude` when you pass a `document` built by `app.openapi()` yourself.
 *
 * @example
 * apiDocs(app, { document: () => app.openapi({ exclude: [...APIDOCS_ENDPOINTS, 'health'] }) });
 */
export const APIDOCS_ENDPOINTS = ['apidocs.openapi', 'apidocs.docs', 'apidocs.start', 'apidocs.asset'] as const;

/** What a UI needs: the npm folder its browser files are in, which of them the page loads, and their version. */
interface UiAssets {
  folder: string;
  version: string;
  stylesheets: readonly string[];
  scripts: readonly string[];
  icon: string | null;
  /** The page's Content-Security-Policy. */
  csp: string;
}

/**
 * 'self' only. `img-src data:`: swagger-ui.css draws its icons as data: SVGs (no script can run from an image).
 * `connect-src 'self'`: the UI fetches the document, and "Try it out" calls the API, on this origin.
 */
const SWAGGER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

const requireFromHere = createRequire(import.meta.url);

/** The folder and version of an installed package, or `null` when it is not installed. */
function packageFolder(name: string): { folder: string; version: string } | null {
  let entry: string;
  try {
    entry = requireFromHere.resolve(name);
  } catch {
    return null;
  }
  // Walk up from the entry point to the package's own package.json (its `exports` may hide `./package.json`).
  for (let folder = dirname(entry); folder !== dirname(folder); folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name: found, version } = requireFromHere(manifest) as { name?: string; version?: string };
    if (found === name) return { folder, version: version ?? '0' };
  }
  return null;
}

function uiAssets(ui: 'swagger' | 'scalar'): UiAssets {
  if (ui === 'swagger') {
    const found = packageFolder('swagger-ui-dist');
    if (found === null)
      throw new FlagonError(
        'FLAGON_ERR_BAD_ARGUMENT',
        "apiDocs(app) shows Swagger UI from the package 'swagger-ui-dist', an optional peer dependency of flagon that is not installed: run `npm install swagger-ui-dist`, or use ui: 'scalar' (npm install @scalar/api-reference)",
      );
    return {
      ...found,
      stylesheets: ['swagger-ui.css'],
      scripts: ['swagger-ui-bundle.js'],
      icon: 'favicon-32x32.png',
      csp: SWAGGER_CSP,
    };
  }
  const found = packageFolder('@scalar/api-reference');
  if (found === null)
    throw new FlagonError(
      'FLAGON_ERR_BAD_ARGUMENT',
      "apiDocs(app, { ui: 'scalar' }) needs Scalar's package: run `npm install @scalar/api-reference`, or use ui: 'swagger'",
    );
  return {
    folder: join(found.folder, 'dist', 'browser'),
    version: found.version,
    stylesheets: [],
    scripts: ['standalone.js'],
    icon: null,
    // Scalar's Vue components inject <style> elements and style attributes at run time, so styles need
    // 'unsafe-inline' (a nonce cannot cover what a script creates). Scripts stay 'self' only: the bundle tries eval()
    // once, which the policy refuses (a securitypolicyviolation event, no error), and it renders all the same.
    csp: SWAGGER_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}

/**
 * Starts the UI on the page's `#api-docs` element, from its data- attributes, so the page has no inline script.
 * Swagger UI: its base layout (no top bar with a URL box, and so no online validator badge); `validatorUrl: null`
 * keeps it from sending the document to validator.swagger.io. Scalar: no fonts from its CDN, no telemetry, no
 * developer toolbar and no AI agent (both talk to Scalar's servers).
 */
const START_SCRIPT = `(function () {
  'use strict';
  var root = document.getElementById('api-docs');
  var url = root.getAttribute('data-openapi-url');
  if (root.getAttribute('data-ui') === 'scalar') {
    window.Scalar.createApiReference(root, {
      url: url,
      withDefaultFonts: false,
      telemetry: false,
      showDeveloperTools: 'never',
      agent: { disabled: true },
      mcp: { disabled: true },
    });
    return;
  }
  window.ui = window.SwaggerUIBundle({
    url: url,
    domNode: root,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
  });
})();
`;

const TEMPLATES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');
let renderer: NunjucksRenderer | null = null;

/** The document as served: its JSON text and, for the page, its title. */
interface BuiltDocument {
  json: string;
  title: string | undefined;
}

/** `() => app.openapi(options)` without the apidocs routes. */
function openapiOf(app: App, options: OpenApiOptions): () => OpenApiDocument {
  return () => app.openapi({ ...options, exclude: [...APIDOCS_ENDPOINTS, ...(options.exclude ?? [])] });
}

/**
 * Serves the app's OpenAPI document and an API docs page, as a Flask extension does: it registers a blueprint named
 * `apidocs` on the app (call it during setup) with `GET openapiPath` (the document, `application/json`, built once at
 * the first request and kept), `GET docsPath` (the page, under a `'self'`-only Content-Security-Policy) and
 * `GET <docsPath>/assets/<path>` (the files the page loads, from the UI's npm package on disk, with ETag and
 * Last-Modified; the package's other files are a 404). Nothing is loaded from a CDN: the page works offline. The
 * endpoints are `apidocs.openapi`, `apidocs.docs`, `apidocs.start` and `apidocs.asset`.
 *
 * @example
 * const app = new App(import.meta.url);
 * app.get('/items', { summary: 'List items' }, () => ({ items: [] }));
 * apiDocs(app, { openapi: { info: { title: 'Shop', version: '1.0.0' } } }); // /openapi.json and /docs (Swagger UI)
 * // or: apiDocs(app, { docsPath: '/reference', ui: 'scalar' });          // Scalar (npm install @scalar/api-reference)
 */
export function apiDocs(app: App, options: ApiDocsOptions = {}): Blueprint {
  const openapiPath = options.openapiPath ?? '/openapi.json';
  const docsPath = options.docsPath ?? '/docs';
  const ui = options.ui ?? 'swagger';
  if (ui !== 'swagger' && ui !== 'scalar')
    throw new FlagonError('FLAGON_ERR_BAD_ARGUMENT', `apiDocs(app): ui must be 'swagger' or 'scalar', not '${ui}'`);
  for (const [name, path] of [
    ['openapiPath', openapiPath],
    ['docsPath', docsPath],
  ] as const)
    if (!path.startsWith('/'))
      throw new FlagonError('FLAGON_ERR_BAD_ARGUMENT', `apiDocs(app): ${name} must start with '/', as '/${path}'`);
  const assets = uiAssets(ui);
  const buildDocument = options.document ?? openapiOf(app, options.openapi ?? {});

  let built: Promise<BuiltDocument> | null = null;
  const documentOnce = (): Promise<BuiltDocument> => {
    if (built !== null) return built;
    const building = (async () => {
      const document = (await buildDocument()) as { info?: { title?: unknown } };
      const title = typeof document.info?.title === 'string' ? document.info.title : undefined;
      return { json: JSON.stringify(document), title };
    })();
    // A document that failed to build is built again at the next request, not answered 500 for ever.
    building.catch(() => {
      if (built === building) built = null;
    });
    built = building;
    return building;
  };

  const blueprint = new Blueprint('apidocs', import.meta.url);
  blueprint.get(openapiPath, { endpoint: 'openapi' }, async (req) => {
    const response = new Response((await documentOnce()).json, { mimetype: 'application/json' });
    return revalidated(response, req);
  });
  blueprint.get(docsPath, { endpoint: 'docs' }, async (req) => {
    const title = options.title ?? (await documentOnce()).title ?? 'API docs';
    const asset = (file: string): string => `${app.urlFor('apidocs.asset', { filename: file })}?v=${assets.version}`;
    renderer ??= new NunjucksRenderer([TEMPLATES]);
    const html = renderer.render('api-docs.html', {
      title,
      ui,
      openapiUrl: app.urlFor('apidocs.openapi'),
      stylesheets: assets.stylesheets.map(asset),
      icon: assets.icon && asset(assets.icon),
      scripts: [...assets.scripts.map(asset), app.urlFor('apidocs.start')],
    });
    const response = new Response(html, { mimetype: 'text/html' });
    response.headers.set('Content-Security-Policy', assets.csp);
    return revalidated(response, req);
  });
  blueprint.get(joinPrefix(docsPath, 'flagon-api-docs.js'), { endpoint: 'start' }, (req) =>
    revalidated(new Response(START_SCRIPT, { mimetype: 'text/javascript' }), req),
  );
  // Only the files the page loads: the package's folder also holds a demo index.html that loads petstore.swagger.io
  // with no CSP, its package.json, and megabytes of source maps, none of which is for the docs page's visitors.
  const served = new Set<string>([
    ...assets.stylesheets,
    ...assets.scripts,
    ...(assets.icon === null ? [] : [assets.icon]),
  ]);
  blueprint.get(joinPrefix(docsPath, 'assets/<path:filename>'), { endpoint: 'asset' }, (req) => {
    const filename = String(req.params.filename);
    if (!served.has(filename)) throw new NotFound();
    return sendFromDirectory(assets.folder, filename, {
      request: req,
      maxAge: app.config.SEND_FILE_MAX_AGE_DEFAULT,
    });
  });
  app.registerBlueprint(blueprint);
  return blueprint;
}

/** An ETag from the body and `Cache-Control: no-cache`: the browser keeps a copy and revalidates it (304). */
function revalidated(response: Response, req: Request): Response {
  response.headers.set('Cache-Control', 'no-cache');
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.addEtag();
  return response.makeConditional(req);
}
