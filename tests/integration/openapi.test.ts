import { Validator } from '@seriousme/openapi-schema-validator';
import { databaseUnderTest, type ExampleApp, type HttpResponse, startExampleApp } from '@strapi-two-factor/test-utils';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { loginChallenge, startLogin, userWithSmsFactor } from '../support/twoFactor';

interface OpenApiDocument {
  openapi: string;
  servers?: { url: string }[];
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

interface RouterLayer {
  path: string;
  methods: string[];
}

const DOCUMENT_ID = 'https://two-factor.test/openapi.json';

/** `/api/two-factor/factors/:id/remove` → the document's `/two-factor/factors/{id}/remove`. */
function documentPath(routerPath: string): string {
  return routerPath.replace(/^\/api/, '').replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** A JSON Pointer into the document, `~` and `/` escaped (RFC 6901). */
function pointer(...segments: string[]): string {
  return `#/${segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

describe(`the OpenAPI document of the REST contract on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  let served: HttpResponse<OpenApiDocument>;
  let ajv: Ajv2020;

  /** Checks a real answer against the document's schema for that route and status. */
  function expectAnswerToMatch(method: string, path: string, response: HttpResponse<unknown>): void {
    const ref = `${DOCUMENT_ID}${pointer('paths', path, method, 'responses', String(response.status), 'content', 'application/json', 'schema')}`;
    const validate = ajv.compile({ $ref: ref });
    expect(validate(response.body), `${method} ${path} ${response.status}: ${ajv.errorsText(validate.errors)}`).toBe(
      true,
    );
  }

  beforeAll(async () => {
    app = await startExampleApp();
    served = await app.http.get<OpenApiDocument>('/api/two-factor/openapi.json');
    // strict off: the document is OpenAPI around JSON Schema, and its keywords are not ajv's.
    ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema(served.body, DOCUMENT_ID);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should serve the document publicly, with a cache lifetime and the app as its server', async () => {
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    expect(served.body.openapi).toBe('3.1.0');
    expect(served.body.servers).toEqual([{ url: `${app.url}/api` }]);
  });

  it('should be a valid OpenAPI 3.1 document for an outside validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(served.body as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('should list every content-API route the plugin registers, and no other', () => {
    const stack = (app.strapi.server.router as unknown as { stack: RouterLayer[] }).stack;
    const registered = stack
      .filter((layer) => layer.path.startsWith('/api/two-factor/'))
      .flatMap((layer) =>
        layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${documentPath(layer.path)}`),
      )
      .sort();
    const documented = Object.entries(served.body.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .filter((route) => route.includes(' /two-factor/'))
      .sort();
    expect(registered.length).toBeGreaterThan(20);
    expect(documented).toEqual(registered);
    // Strapi's own sign-in, as the plugin answers it.
    expect(served.body.paths['/auth/local']?.post).toBeDefined();
  });

  it("should describe the real answers: a challenge, a session, /me and an error's body", async () => {
    const user = await userWithSmsFactor(app);
    const challenge = await startLogin(app, user);
    expect(challenge.status).toBe(200);
    expectAnswerToMatch('post', '/auth/local', challenge);

    const { token, code } = await loginChallenge(app, user);
    const session = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token,
      method: 'sms',
      code,
      trustDevice: true,
    });
    expect(session.status).toBe(200);
    expectAnswerToMatch('post', '/two-factor/challenge/verify', session);

    const me = await app.http.get('/api/two-factor/me', { jwt: session.body.jwt });
    expect(me.status).toBe(200);
    expectAnswerToMatch('get', '/two-factor/me', me);

    const used = await app.http.post('/api/two-factor/challenge/verify', { token, method: 'sms', code });
    expect(used.status).toBe(400);
    expectAnswerToMatch('post', '/two-factor/challenge/verify', used);

    const malformed = await app.http.post(
      '/api/two-factor/factors/abc/rename',
      { label: '' },
      { jwt: session.body.jwt },
    );
    expect(malformed.status).toBe(400);
    expectAnswerToMatch('post', '/two-factor/factors/{id}/rename', malformed);
  });

  it('should refuse an answer that breaks the contract', () => {
    const validate = ajv.compile({
      $ref: `${DOCUMENT_ID}${pointer('paths', '/two-factor/me', 'get', 'responses', '200', 'content', 'application/json', 'schema')}`,
    });
    expect(validate({ enabled: 'yes', factors: [] })).toBe(false);
  });
});
