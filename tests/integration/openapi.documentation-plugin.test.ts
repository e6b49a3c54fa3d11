import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTRACT_ROUTES } from '@strapi-two-factor/contract';
import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface DocumentationService {
  getFullDocumentationPath(): string;
  getDocumentationVersion(): string;
}

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, unknown>;
}

/**
 * Strapi's own documentation plugin, installed in the example app and switched on: the
 * document it writes (and its Swagger UI serves) shows the plugin's routes as the contract
 * describes them, with their bodies and answers — its own generator knows neither for
 * custom routes. Once, on SQLite: the plugin's output, not the database, is under test.
 */
describe.runIf(databaseUnderTest() === 'sqlite')('Strapi documentation plugin', () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { DOCUMENTATION_ENABLED: 'true' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function fullDocument(): Promise<{ paths: Record<string, Record<string, OpenApiOperation>> }> {
    const service = app.strapi.plugin('documentation').service('documentation') as DocumentationService;
    const file = path.join(
      service.getFullDocumentationPath(),
      service.getDocumentationVersion(),
      'full_documentation.json',
    );
    return JSON.parse(await readFile(file, 'utf8')) as { paths: Record<string, Record<string, OpenApiOperation>> };
  }

  it('should list every route of the contract in the documentation plugin’s document', async () => {
    const { paths } = await fullDocument();
    const listed = Object.entries(paths).flatMap(([route, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${route}`),
    );
    const ours = CONTRACT_ROUTES.filter((route) => route.path.startsWith('/two-factor/')).map(
      (route) => `${route.method} ${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`,
    );
    expect(ours.length).toBeGreaterThan(20);
    for (const route of ours) expect(listed).toContain(route);
  });

  it('should describe a route’s body and answer as the contract does, not as Strapi’s generator guesses', async () => {
    const { paths } = await fullDocument();
    const verify = paths['/two-factor/challenge/verify']?.post;
    const body = JSON.stringify(verify?.requestBody?.content?.['application/json']?.schema ?? {});
    expect(body).toContain('trustDevice');
    expect(body).toContain('deviceId');
    expect(JSON.stringify(verify?.responses?.['200'] ?? {})).toContain('jwt');
  });

  it('should serve the Swagger UI page at /documentation', async () => {
    const response = await fetch(
      `${app.url}/documentation/v${(app.strapi.plugin('documentation').service('documentation') as DocumentationService).getDocumentationVersion()}`,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });
});
