/**
 * The root module `flagon` exports a curated list, what an app author uses day to day; everything else lives in its
 * layer's subpath. This test pins the list, so a change to it is deliberate: edit src/index.ts, this list and the
 * table in docs/app.md together.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as flagon from 'flagon';
import * as app from 'flagon/app';
import * as http from 'flagon/http';
import * as validation from 'flagon/validation';
import * as wrappers from 'flagon/wrappers';

const VALUES = [
  'App',
  'BadRequest',
  'Blueprint',
  'Conflict',
  'FileStorage',
  'FlagonError',
  'Forbidden',
  'Gone',
  'HTTPError',
  'InternalServerError',
  'MethodNotAllowed',
  'MethodView',
  'NotFound',
  'Request',
  'RequestEntityTooLarge',
  'Response',
  'ServiceUnavailable',
  'TooManyRequests',
  'Unauthorized',
  'UnprocessableEntity',
  // The 422 of route validation: an app replaces its answer with app.errorHandler(ValidationError, …), as with NotFound.
  'ValidationError',
  'View',
  'abort',
  'afterThisRequest',
  'appcontextPopped',
  'appcontextPushed',
  'appcontextTearingDown',
  'beforeRenderTemplate',
  'currentApp',
  'flash',
  'g',
  'getFlashedMessages',
  'getTemplateAttribute',
  'gotRequestException',
  'jsonify',
  'makeResponse',
  'messageFlashed',
  'redirect',
  'renderTemplate',
  'renderTemplateString',
  'request',
  'requestFinished',
  'requestStarted',
  'requestTearingDown',
  'sendFile',
  'sendFromDirectory',
  'sendStaticFile',
  'session',
  'streamTemplate',
  'streamTemplateString',
  'templateRendered',
  'urlFor',
];

const TYPES = [
  'AddUrlRuleOptions',
  'AfterRequestHook',
  'AppConfig',
  'AppGlobals',
  'AppOptions',
  'AppSession',
  'BeforeRequestHook',
  'BlueprintOptions',
  'Config',
  'ErrorHandler',
  'Handler',
  'MethodRouteOptions',
  'ResponseReturnValue',
  'RouteOptions',
  'TeardownHook',
];

/** The names of `export type { … }` statements in src/index.ts (types leave no trace at run time). */
function typeNames(): string[] {
  const source = readFileSync(new URL('../../src/index.ts', import.meta.url), 'utf8');
  const names: string[] = [];
  for (const match of source.matchAll(/export\s+type\s+\{([^}]*)\}/g))
    for (const part of match[1]!.split(',')) if (part.trim()) names.push(part.trim());
  return names.sort();
}

describe('the root module', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(flagon).sort()).toEqual(VALUES);
  });

  it('exports exactly these types', () => {
    expect(typeNames()).toEqual(TYPES);
  });

  it('re-exports the very objects of the layers, the App aside (a subclass with run, testClient and fetch)', () => {
    const layers: Record<string, unknown> = { ...http, ...wrappers, ...app, ...validation };
    const different = VALUES.filter((name) => (flagon as Record<string, unknown>)[name] !== layers[name]);
    expect(different).toEqual(['App']);
    expect(Object.getPrototypeOf(flagon.App)).toBe(app.App);
  });
});
