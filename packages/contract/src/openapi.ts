import { z } from 'zod';
import { errorBody } from './errorBody.js';
import { TWO_FACTOR_ERROR_CODES } from './errorCodes.js';
import { CONTRACT_ROUTES, type ContractRoute } from './routes.js';

type JsonObject = Record<string, unknown>;

export interface OpenApiOptions {
  /** Where the REST API answers, prefix included (`https://api.example.com/api`). */
  serverUrl?: string;
  /** The document's `info.version`: the plugin's version. */
  version?: string;
}

/** JSON Schema 2020-12, the dialect of OpenAPI 3.1; without `$schema`, which 3.1 sets for the whole document. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
}

/** Strapi's `/factors/:id/remove` → OpenAPI's `/factors/{id}/remove`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parametersOf(route: ContractRoute): JsonObject[] {
  if (route.request.params === undefined) return [];
  const properties = (jsonSchema(route.request.params, 'input').properties ?? {}) as Record<string, JsonObject>;
  return Object.entries(properties).map(([name, schema]) => ({ name, in: 'path', required: true, schema }));
}

const BEARER = [{ bearerAuth: [] }];

function securityOf(route: ContractRoute): JsonObject[] {
  if (route.auth === 'public') return [];
  return route.auth === 'user' ? BEARER : [{ bearerAuth: [] }, { enrolmentToken: [] }];
}

function operationOf(route: ContractRoute): JsonObject {
  const errorCodes = [...new Set<string>(['INVALID_INPUT', 'TOO_MANY_REQUESTS', ...route.errors])];
  const statuses = [
    ...new Set(errorCodes.map((code) => TWO_FACTOR_ERROR_CODES[code as keyof typeof TWO_FACTOR_ERROR_CODES].status)),
  ].sort();
  const errorResponses = Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: `details.code: ${errorCodes
          .filter((code) => TWO_FACTOR_ERROR_CODES[code as keyof typeof TWO_FACTOR_ERROR_CODES].status === status)
          .join(', ')}`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/TwoFactorError' } } },
        ...(status === 429 ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } } : {}),
      },
    ]),
  );
  const parameters = parametersOf(route);
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_match, next?: string) => (next ?? '').toUpperCase())}`,
    summary: route.summary,
    tags: [route.path.startsWith('/two-factor/') ? 'two-factor' : 'users-permissions'],
    security: securityOf(route),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.request.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(route.request.body, 'input') } },
          },
        }),
    responses: {
      '200': { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
      ...errorResponses,
    },
  };
}

/** The OpenAPI 3.1 document of the contract's routes. */
export function createOpenApiDocument(
  options: OpenApiOptions = {},
  routes: readonly ContractRoute[] = CONTRACT_ROUTES,
): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'strapi-plugin-two-factor',
      version: options.version ?? '0.0.0',
      description:
        "Two-step verification for Strapi's users-permissions sign-in. Errors are Strapi's error body with a stable `details.code`.",
      license: { name: 'MIT', identifier: 'MIT' },
    },
    ...(options.serverUrl === undefined ? {} : { servers: [{ url: options.serverUrl }] }),
    tags: [
      { name: 'two-factor', description: 'The routes of strapi-plugin-two-factor' },
      { name: 'users-permissions', description: "Strapi's routes, as the plugin answers them" },
    ],
    paths,
    components: {
      schemas: { TwoFactorError: jsonSchema(errorBody, 'output') },
      headers: {
        RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } },
      },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "Strapi's access token" },
        enrolmentToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The token of `mfaEnrollmentRequired`'s `enrollment`, on the enrolment routes only",
        },
      },
    },
  };
}
