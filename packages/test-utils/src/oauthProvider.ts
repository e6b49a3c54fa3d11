import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Who the provider says signed in: what its `/userinfo` answers. */
export interface OAuthIdentity {
  username: string;
  email: string;
}

/** One request the provider answered, for assertions. */
export interface OAuthProviderRequest {
  method: string;
  path: string;
  status: number;
}

export interface OAuthProviderOptions {
  /** The client the app is registered as; random by default. */
  clientId?: string;
  clientSecret?: string;
  /** How long an authorization code may be exchanged; 60 s by default. */
  codeLifetimeMilliseconds?: number;
}

interface PendingCode {
  identity: OAuthIdentity;
  redirectUri: string;
  expiresAt: number;
}

const CODE_LIFETIME_MILLISECONDS = 60_000;
const TOKEN_LIFETIME_SECONDS = 3600;

function opaque(): string {
  return randomBytes(24).toString('base64url');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A small OAuth 2.0 authorization-code provider on loopback, for tests of a Strapi app's
 * third-party sign-in: real HTTP, codes and tokens kept in memory, anything unknown refused.
 *
 * - `GET /authorize` signs in, without a page, as the identity the test chose with
 *   `nextIdentity()` and redirects to `redirect_uri` with a single-use `code` and the `state`
 *   it received (with `error=access_denied` when no identity was chosen).
 * - `POST /token` exchanges a code, for the client it was issued to and the same
 *   `redirect_uri`, for a Bearer `access_token` (RFC 6749 §4.1.3, client secret in the form
 *   or by Basic auth).
 * - `GET /userinfo` answers `{ username, email }` of the token's identity.
 */
export class OAuthProvider {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Every request answered, oldest first. */
  readonly requests: OAuthProviderRequest[] = [];
  readonly #server: Server;
  readonly #codeLifetime: number;
  readonly #identities: OAuthIdentity[] = [];
  readonly #codes = new Map<string, PendingCode>();
  readonly #tokens = new Map<string, { identity: OAuthIdentity; expiresAt: number }>();
  #url: string | undefined;

  constructor(options: OAuthProviderOptions = {}) {
    this.clientId = options.clientId ?? `client-${opaque()}`;
    this.clientSecret = options.clientSecret ?? opaque();
    this.#codeLifetime = options.codeLifetimeMilliseconds ?? CODE_LIFETIME_MILLISECONDS;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        this.#json(request, response, 500, { error: 'server_error', error_description: String(error) });
      });
    });
  }

  /** `http://127.0.0.1:<port>`, once listening. */
  get url(): string {
    if (this.#url === undefined) throw new Error('The OAuth provider is not listening');
    return this.#url;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.#url;
  }

  /** The variables that register this provider as `devoauth` in the example app. */
  env(): Record<string, string> {
    return {
      OAUTH_DEV_PROVIDER_URL: this.url,
      OAUTH_DEV_PROVIDER_CLIENT_ID: this.clientId,
      OAUTH_DEV_PROVIDER_CLIENT_SECRET: this.clientSecret,
    };
  }

  /** The next `/authorize` signs in as `identity` (queued: one authorization each). */
  nextIdentity(identity: OAuthIdentity): void {
    this.#identities.push({ ...identity });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.#server.close((error) => (error ? reject(error) : resolve())));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/authorize' && request.method === 'GET') return this.#authorize(request, response, url);
    if (url.pathname === '/token' && request.method === 'POST') return this.#token(request, response);
    if (url.pathname === '/userinfo' && request.method === 'GET') return this.#userinfo(request, response);
    this.#json(request, response, 404, { error: 'not_found' });
  }

  #authorize(request: IncomingMessage, response: ServerResponse, url: URL): void {
    const query = url.searchParams;
    const redirectUri = query.get('redirect_uri');
    // An unknown client or a missing redirect is told to the user, never redirected (§4.1.2.1).
    if (query.get('client_id') !== this.clientId || redirectUri === null || !/^https?:\/\//.test(redirectUri)) {
      this.#json(request, response, 400, { error: 'invalid_request' });
      return;
    }
    const target = new URL(redirectUri);
    const state = query.get('state');
    const identity = this.#identities.shift();
    if (query.get('response_type') !== 'code') {
      target.searchParams.set('error', 'unsupported_response_type');
    } else if (identity === undefined) {
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = opaque();
      this.#codes.set(code, { identity, redirectUri, expiresAt: Date.now() + this.#codeLifetime });
      target.searchParams.set('code', code);
    }
    if (state !== null) target.searchParams.set('state', state);
    this.#send(request, response, 302, { location: target.toString() }, '');
  }

  async #token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (basic !== undefined) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
    if (clientId !== this.clientId || clientSecret === null || !sameSecret(clientSecret, this.clientSecret)) {
      this.#json(request, response, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic' });
      return;
    }
    if (form.get('grant_type') !== 'authorization_code') {
      this.#json(request, response, 400, { error: 'unsupported_grant_type' });
      return;
    }
    const code = form.get('code') ?? '';
    const pending = this.#codes.get(code);
    // Single use: a code is gone once tried, whatever the outcome.
    this.#codes.delete(code);
    if (pending === undefined || pending.expiresAt < Date.now() || pending.redirectUri !== form.get('redirect_uri')) {
      this.#json(request, response, 400, {
        error: 'invalid_grant',
        error_description: 'The authorization code is unknown, spent, expired or for another redirect_uri',
      });
      return;
    }
    const accessToken = opaque();
    this.#tokens.set(accessToken, {
      identity: pending.identity,
      expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000,
    });
    this.#json(request, response, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      scope: 'email',
    });
  }

  #userinfo(request: IncomingMessage, response: ServerResponse): void {
    const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const granted = token === undefined ? undefined : this.#tokens.get(token);
    if (granted === undefined || granted.expiresAt < Date.now()) {
      this.#json(
        request,
        response,
        401,
        { error: 'invalid_token' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
      return;
    }
    this.#json(request, response, 200, { username: granted.identity.username, email: granted.identity.email });
  }

  #json(
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): void {
    this.#send(
      request,
      response,
      status,
      { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
      JSON.stringify(body),
    );
  }

  #send(
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
  ): void {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    this.requests.push({ method: request.method ?? 'GET', path, status });
    if (response.headersSent) {
      response.end();
      return;
    }
    response.writeHead(status, headers).end(body);
  }
}

/** Starts an `OAuthProvider` on a free port of 127.0.0.1. */
export async function startOAuthProvider(options: OAuthProviderOptions = {}): Promise<OAuthProvider> {
  const provider = new OAuthProvider(options);
  await provider.listen();
  return provider;
}
