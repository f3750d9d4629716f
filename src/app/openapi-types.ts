/** @module The shapes of an OpenAPI 3.1 document and of `app.openapi()`'s options (layer L3), types only. */
import type { Rule } from '../routing/rule.js';
import type { JsonSchema } from '../validation/json-schema.js';
import type { RouteSpec } from './handler-types.js';

/**
 * The document's `info`: what the API is called and its version.
 *
 * @example
 * const info: OpenApiInfo = { title: 'Shop API', version: '1.2.0', description: 'Orders and items.' };
 */
export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/**
 * A server the API answers on (OpenAPI's Server Object).
 *
 * @example
 * const server: OpenApiServer = { url: 'https://api.example.com/v1', description: 'production' };
 */
export interface OpenApiServer {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
}

/**
 * How a client authenticates (OpenAPI's Security Scheme Object), listed under `components.securitySchemes`.
 *
 * @example
 * const bearer: OpenApiSecurityScheme = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
 * const apiKey: OpenApiSecurityScheme = { type: 'apiKey', name: 'X-API-Key', in: 'header' };
 */
export type OpenApiSecurityScheme =
  | { type: 'apiKey'; name: string; in: 'query' | 'header' | 'cookie'; description?: string }
  | { type: 'http'; scheme: string; bearerFormat?: string; description?: string }
  | {
      type: 'oauth2';
      flows: Partial<
        Record<
          'implicit' | 'password' | 'clientCredentials' | 'authorizationCode',
          { authorizationUrl?: string; tokenUrl?: string; refreshUrl?: string; scopes: Record<string, string> }
        >
      >;
      description?: string;
    }
  | { type: 'openIdConnect'; openIdConnectUrl: string; description?: string }
  | { type: 'mutualTLS'; description?: string };

/**
 * Schemes that together authorize a request, each with the scopes it needs: `{ bearer: [] }`. A list of them is
 * "any one of these"; an empty list (`security: []`) makes an operation public.
 *
 * @example
 * const requirement: OpenApiSecurityRequirement = { oauth: ['items:write'] };
 */
export type OpenApiSecurityRequirement = Record<string, string[]>;

/**
 * One parameter of an operation: a path value, a query key, a header or a cookie.
 *
 * @example
 * const page: OpenApiParameter = { name: 'page', in: 'query', required: false, schema: { type: 'integer' } };
 */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  description?: string;
  deprecated?: boolean;
  schema: JsonSchema;
}

/**
 * The schema of one media type of a body.
 *
 * @example
 * const json: OpenApiMediaType = { schema: { $ref: '#/components/schemas/Item' } };
 */
export interface OpenApiMediaType {
  schema: JsonSchema;
}

/**
 * What an operation takes as its body, by media type.
 *
 * @example
 * const body: OpenApiRequestBody = { required: true, content: { 'application/json': { schema: { type: 'object' } } } };
 */
export interface OpenApiRequestBody {
  required: boolean;
  description?: string;
  content: Record<string, OpenApiMediaType>;
}

/**
 * One answer of an operation.
 *
 * @example
 * const notFound: OpenApiResponse = { description: 'No such item' };
 */
export interface OpenApiResponse {
  description: string;
  content?: Record<string, OpenApiMediaType>;
}

/**
 * One method of one path.
 *
 * @example
 * const op: OpenApiOperation = { operationId: 'list_items', responses: { '200': { description: 'OK' } } };
 */
export interface OpenApiOperation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  parameters?: OpenApiParameter[];
  requestBody?: OpenApiRequestBody;
  responses: Record<string, OpenApiResponse>;
  security?: OpenApiSecurityRequirement[];
}

/**
 * The methods an OpenAPI 3.1 Path Item can hold, lower-case as the document writes them.
 *
 * @example
 * const method: OpenApiMethod = 'get';
 */
export type OpenApiMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/**
 * The operations of one path template, by method.
 *
 * @example
 * const item: OpenApiPathItem = { get: { operationId: 'item', responses: { '200': { description: 'OK' } } } };
 */
export type OpenApiPathItem = Partial<Record<OpenApiMethod, OpenApiOperation>>;

/**
 * An OpenAPI 3.1.0 document, as {@link buildOpenApi} and `app.openapi()` make it: plain data, ready for
 * `JSON.stringify`.
 *
 * @example
 * const doc: OpenApiDocument = app.openapi({ info: { title: 'Shop', version: '1.0.0' } });
 * Object.keys(doc.paths); // ['/items', '/items/{id}']
 */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiInfo;
  servers?: OpenApiServer[];
  paths: Record<string, OpenApiPathItem>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    securitySchemes?: Record<string, OpenApiSecurityScheme>;
  };
  security?: OpenApiSecurityRequirement[];
  tags?: Array<{ name: string; description?: string }>;
}

/**
 * Options of {@link buildOpenApi} and `app.openapi()`.
 *
 * @example
 * app.openapi({
 *   info: { title: 'Shop', version: '1.0.0' },
 *   servers: [{ url: 'https://shop.example.com' }],
 *   securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
 *   security: [{ bearer: [] }],
 *   exclude: ['health'],
 * });
 */
export interface OpenApiOptions {
  /** Default title: the app's name; default version `'0.0.0'`. */
  info?: { title?: string; version?: string; description?: string };
  servers?: OpenApiServer[];
  /** Goes to `components.securitySchemes`; name these in `security` and in a route's `security`. */
  securitySchemes?: Record<string, OpenApiSecurityScheme>;
  /** The document's default requirements; a route's own `security` replaces them (`[]`: public). */
  security?: OpenApiSecurityRequirement[];
  /**
   * Endpoints to leave out: an endpoint's name (`'health'`), or a blueprint's name for all of its endpoints
   * (`'apidocs'` leaves out `apidocs.openapi` and `apidocs.docs`). The static routes are always left out.
   */
  exclude?: readonly string[];
  /** Descriptions of tags (a blueprint's tag is its name), listed in the document's `tags`. */
  tagDescriptions?: Readonly<Record<string, string>>;
}

/**
 * What {@link buildOpenApi} reads of an app: its name, its rules and the routes' specs. An `App` is one.
 *
 * @example
 * const source: OpenApiSource = app;
 */
export interface OpenApiSource {
  readonly name: string;
  readonly router: { readonly rules: readonly Rule[] };
  readonly routeSpecs: ReadonlyMap<string, RouteSpec>;
}
