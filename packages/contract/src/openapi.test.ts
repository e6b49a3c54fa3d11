import { describe, expect, it } from 'vitest';
import { errorBody } from './errorBody.js';
import { TWO_FACTOR_ERROR_CODES } from './errorCodes.js';
import { createOpenApiDocument, toOpenApiPath } from './openapi.js';
import { CONTRACT_ROUTES } from './routes.js';

type Operations = Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>;

describe('createOpenApiDocument', () => {
  const document = createOpenApiDocument({ serverUrl: 'https://api.example.com/api', version: '1.2.3' });
  const paths = document.paths as Record<string, Operations>;

  it('should have one operation per route of the table, under its OpenAPI path', () => {
    const operations = Object.entries(paths).flatMap(([path, byMethod]) =>
      Object.keys(byMethod).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      CONTRACT_ROUTES.map((route) => `${route.method} ${toOpenApiPath(route.path)}`).sort(),
    );
    expect(new Set(operations).size).toBe(CONTRACT_ROUTES.length);
  });

  it('should answer each refusal with the status of its codes', () => {
    const remove = paths['/two-factor/factors/{id}/remove']?.post;
    expect(Object.keys(remove?.responses ?? {}).sort()).toEqual(['200', '400', '404', '429']);
  });

  it('should carry the server and the version it is given', () => {
    expect(document.servers).toEqual([{ url: 'https://api.example.com/api' }]);
    expect((document.info as { version: string }).version).toBe('1.2.3');
  });
});

describe('errorBody', () => {
  it("should accept Strapi's error body with every code of the map", () => {
    for (const [code, { status, message }] of Object.entries(TWO_FACTOR_ERROR_CODES)) {
      const body = { data: null, error: { status, name: 'ValidationError', message, details: { code } } };
      expect(errorBody.safeParse(body).success, code).toBe(true);
    }
  });

  it('should refuse a code that is not in the map', () => {
    const body = {
      data: null,
      error: { status: 400, name: 'ValidationError', message: '', details: { code: 'NOPE' } },
    };
    expect(errorBody.safeParse(body).success).toBe(false);
  });
});
