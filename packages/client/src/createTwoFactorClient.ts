import type {
  AuthenticationResponseJSON,
  CodeDelivery,
  CodeMethod,
  CodeSendingMethod,
  EnrollmentTicket,
  FactorActivation,
  LoginChallenge,
  PasskeyLoginOptions,
  PasskeySetup,
  PublicKeyCredentialRequestOptionsJSON,
  RecoveryCodes,
  RefreshedTokens,
  RegistrationResponseJSON,
  SessionTokens,
  SignInResult,
  SmsSetup,
  StrapiSession,
  StrapiUser,
  TotpSetup,
  TwoFactorStatus,
  VerifiedSession,
} from './contract';
import { NotSignedInError } from './notSignedInError';
import { parseRetryAfter } from './parseRetryAfter';
import { browserPasskeys, type PasskeyAuthenticator } from './passkeys/passkeyAuthenticator';
import { TwoFactorApiError } from './twoFactorApiError';
import { UnexpectedResponseError } from './unexpectedResponseError';

/** The header that carries a trusted-device token at step 1 (DESIGN.md). */
const TRUSTED_DEVICE_HEADER = 'X-Two-Factor-Device';

export interface TwoFactorClientOptions {
  /** The Strapi server's origin, without `/api`: `https://cms.example.com`. */
  baseUrl: string;
  /**
   * The `fetch` to use; the global one by default. Pass your own to add a cookie jar
   * (Node), logging or timeouts.
   */
  fetch?: typeof fetch;
  /**
   * `fetch`'s `credentials` for every request. In a browser whose app runs on another origin
   * than Strapi, `'include'` lets the http-only refresh cookie travel (the server's CORS must
   * allow credentials). Left to `fetch`'s default (`'same-origin'`) when not given.
   */
  credentials?: RequestCredentials;
  /** Headers added to every request, e.g. `{ 'X-Strapi-Refresh-Cookie': 'httpOnly' }`. */
  headers?: Record<string, string>;
  /** An access token to start with, e.g. one restored from storage. */
  jwt?: string;
  /** A refresh token to start with (`refresh` mode without the http-only cookie). */
  refreshToken?: string;
  /** Called whenever the tokens the client holds change, to persist them. */
  onTokensChange?: (tokens: SessionTokens) => void;
  /**
   * What makes and uses passkeys: the browser's `navigator.credentials` by default. In React
   * Native, wrap a native passkey module: `{ create: (options) => Passkey.create(options),
   * get: (options) => Passkey.get(options) }` (both speak WebAuthn's JSON forms).
   */
  passkeys?: PasskeyAuthenticator;
}

export interface SignInInput {
  /** Username or email, as for Strapi's `POST /api/auth/local`. */
  identifier: string;
  password: string;
  /** Strapi's session device id (`refresh` mode); kept through step 2. */
  deviceId?: string;
  /** A trusted-device token from an earlier `verifyChallenge({ trustDevice: true })`. */
  trustedDeviceToken?: string;
}

interface VerifyChallengeCommon {
  token: string;
  /** Ask for a `trustedDevice` token that skips step 2 on this device later. */
  trustDevice?: boolean;
  deviceId?: string;
}

/**
 * Step 2 with a code, or with a passkey: give the challenge's `passkeyOptions` and the client
 * asks the authenticator (the `passkeys` option), or a `response` the app got itself.
 */
export type VerifyChallengeInput = VerifyChallengeCommon &
  (
    | { method: CodeMethod; code: string }
    | { method: 'passkey'; passkeyOptions: PublicKeyCredentialRequestOptionsJSON }
    | { method: 'passkey'; response: AuthenticationResponseJSON }
  );

export interface ResendCodeInput {
  token: string;
  method: CodeSendingMethod;
}

export interface RegisterWithPhoneInput {
  username: string;
  /** E.164 (`+14155550100`), or national when the server has a default region. */
  phone: string;
  email?: string;
  password?: string;
}

export interface VerifyPhoneInput {
  phone: string;
  code: string;
}

export interface PhoneInput {
  phone: string;
}

export interface ActivateFactorInput {
  factorId: number;
  code: string;
}

/** A fresh code from one of the user's existing factors, to re-authenticate a sensitive change. */
export interface CodeReauthentication {
  method: CodeMethod;
  code: string;
}

/** A passkey's fresh answer to `step-up/send`'s options: `reauthenticateWithPasskey()` makes one. */
export interface PasskeyReauthentication {
  method: 'passkey';
  response: AuthenticationResponseJSON;
}

/** What re-authenticates a sensitive change (DESIGN.md, "Re-authentication"). */
export type ReauthenticationInput = CodeReauthentication | PasskeyReauthentication;

export type RemoveFactorInput = ReauthenticationInput & { factorId: number };

export interface SetupPasskeyInput {
  /** Needed when the user already has an active factor (adding one is a sensitive change). */
  reauth?: ReauthenticationInput;
}

/** A passkey made by the authenticator for a pending factor; finish with `activatePasskey`. */
export interface CreatedPasskey {
  factorId: number;
  response: RegistrationResponseJSON;
}

export interface ActivatePasskeyInput extends CreatedPasskey {
  /** The name the user gives it ("MacBook Touch ID"), shown in lists. */
  label?: string;
}

export interface RenameFactorInput {
  factorId: number;
  /** The new name, e.g. "Work laptop". */
  label: string;
}

export interface SignInWithPasskeyInput {
  /** Strapi's session device id (`refresh` mode). */
  deviceId?: string;
}

export interface TwoFactorClient<User extends StrapiUser = StrapiUser> {
  /** Step 1, `POST /api/auth/local`. A `session` result is kept as the current session. */
  signIn(input: SignInInput): Promise<SignInResult<User>>;
  /**
   * Step 2, `POST /api/two-factor/challenge/verify`, with a code or a passkey. The session is
   * kept. With `passkeyOptions` the authenticator is asked first; its errors (e.g. a
   * `DOMException` `NotAllowedError` when the user cancels) reach the caller, nothing sent.
   */
  verifyChallenge(input: VerifyChallengeInput): Promise<VerifiedSession<User>>;
  /**
   * Passwordless sign-in: `POST /api/two-factor/passkey/login/options`, the authenticator
   * offers the site's passkeys, then `passkey/login/verify`. The session is kept.
   */
  signInWithPasskey(input?: SignInWithPasskeyInput): Promise<VerifiedSession<User>>;
  /** A new code for an open challenge, `POST /api/two-factor/challenge/send`. */
  resendCode(input: ResendCodeInput): Promise<CodeDelivery>;
  /**
   * `POST /api/two-factor/challenge/send {token, method: "passkey"}`: new `passkeyOptions` for
   * an open sign-in whose WebAuthn challenge (5 minutes) ran out before the sign-in (10).
   */
  renewPasskeyOptions(input: {
    token: string;
  }): Promise<{ passkeyOptions: PublicKeyCredentialRequestOptionsJSON; expiresAt: string }>;

  /** Phone sign-up, `POST /api/two-factor/phone/register`: the code is sent before it answers. */
  registerWithPhone(input: RegisterWithPhoneInput): Promise<CodeDelivery>;
  /** Confirms the number, `POST /api/two-factor/phone/verify`. The session is kept. */
  /** The session, and the recovery codes of the new account (shown this once). */
  verifyPhone(input: VerifyPhoneInput): Promise<StrapiSession<User> & { recoveryCodes?: string[] }>;
  /** `POST /api/two-factor/phone/resend`: same answer whether or not the number is known. */
  resendPhoneCode(input: PhoneInput): Promise<CodeDelivery>;
  /** Phone sign-in, `POST /api/two-factor/phone/login`; finish with `verifyChallenge`. */
  signInWithPhone(input: PhoneInput): Promise<LoginChallenge>;

  /** `GET /api/two-factor/me`. Needs a session. */
  me(): Promise<TwoFactorStatus>;
  /**
   * `POST /api/two-factor/totp/setup`: a pending authenticator-app factor. Needs a session,
   * and `reauth` (a fresh code from a factor the user holds) when one is already active.
   */
  setupTotp(reauth?: ReauthenticationInput): Promise<TotpSetup>;
  /** `POST /api/two-factor/totp/activate`. Needs a session. */
  activateTotp(input: ActivateFactorInput): Promise<FactorActivation>;
  /**
   * `POST /api/two-factor/sms/setup`: a pending SMS factor, code sent. Needs a session, and
   * `reauth` when the user already has an active factor.
   */
  setupSms(input: PhoneInput & { reauth?: ReauthenticationInput }): Promise<SmsSetup>;
  /** `POST /api/two-factor/sms/activate`. Needs a session. */
  activateSms(input: ActivateFactorInput): Promise<FactorActivation>;
  /**
   * `POST /api/two-factor/passkey/setup`, then the authenticator makes the passkey (the
   * `passkeys` option, the browser's by default). Needs a session, and `reauth` when the user
   * already has an active factor. Finish with `activatePasskey`.
   */
  setupPasskey(input?: SetupPasskeyInput): Promise<CreatedPasskey>;
  /** `POST /api/two-factor/passkey/activate`. Needs a session. */
  activatePasskey(input: ActivatePasskeyInput): Promise<FactorActivation>;
  /**
   * `POST /api/two-factor/step-up/send {method: "passkey"}`, then the authenticator signs its
   * options: the answer re-authenticates `removeFactor`, `regenerateRecoveryCodes`, a setup
   * or `stepUp`. Needs a session.
   */
  reauthenticateWithPasskey(): Promise<PasskeyReauthentication>;
  /**
   * `POST /api/two-factor/factors/:id/remove` with a fresh code from a factor the user holds
   * (for SMS, ask for one with `sendStepUpCode` first); returns the new status. Needs a session.
   */
  removeFactor(input: RemoveFactorInput): Promise<TwoFactorStatus>;
  /** `POST /api/two-factor/factors/:id/rename {label}` (e.g. a passkey); returns the new status. Needs a session. */
  renameFactor(input: RenameFactorInput): Promise<TwoFactorStatus>;
  /** `POST /api/two-factor/step-up/send`: a fresh SMS (default) or email code for a change that needs one. Needs a session. */
  sendStepUpCode(method?: 'sms' | 'email'): Promise<CodeDelivery>;
  /** `POST /api/two-factor/recovery-codes/regenerate`; the old codes stop working. Needs a session. */
  regenerateRecoveryCodes(input: ReauthenticationInput): Promise<RecoveryCodes>;
  /**
   * `POST /api/two-factor/step-up/verify`: a fresh code or passkey answer raises the session
   * (AAL2 for `sms`, `totp`, `recovery_code`, `passkey`; `auth_time` now) for routes under the
   * app's assurance policy.
   * Keeps and returns the new jwt; the refresh token stays (its session was raised). Needs a session.
   */
  stepUp(input: ReauthenticationInput): Promise<{ jwt: string }>;

  /**
   * `POST /api/auth/refresh` (Strapi's `refresh` mode): sends the refresh token the client
   * holds in the body, or none and lets the http-only cookie travel; keeps the new jwt
   * (and the rotated refresh token in body mode). Fails with a 404 `TwoFactorApiError` in
   * `legacy-support` mode, where Strapi has no refresh.
   */
  refresh(): Promise<RefreshedTokens>;

  getAccessToken(): string | null;
  /** Sets (or with `null` forgets) the access token used for self-service calls. */
  setAccessToken(jwt: string | null): void;
  getRefreshToken(): string | null;
  setRefreshToken(refreshToken: string | null): void;
}

type HttpMethod = 'GET' | 'POST' | 'DELETE';

interface RequestSpec {
  /** The client method's name, for error messages. */
  operation: string;
  method: HttpMethod;
  path: string;
  body?: unknown;
  /** `bearer` sends the held jwt and refuses to run without one. */
  authorization: 'bearer' | 'none';
  headers?: Record<string, string>;
}

type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Strapi's error body: `{ data: null, error: { status, name, message, details } }`. */
function toApiError(status: number, headers: Headers, body: unknown): TwoFactorApiError {
  const error = isJsonObject(body) && isJsonObject(body.error) ? body.error : {};
  const details = isJsonObject(error.details) ? error.details : {};
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : `HTTP ${status}`;
  // The header may be hidden from a cross-origin page (CORS exposes only safe headers by
  // default); the plugin puts the same number in `details.retryAfterSeconds`.
  const retryAfterSeconds =
    parseRetryAfter(headers.get('retry-after')) ??
    (typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : undefined);
  return new TwoFactorApiError({
    status,
    message,
    code: typeof details.code === 'string' ? details.code : undefined,
    retryAfterSeconds,
    details,
  });
}

function resolveFetch(given: typeof fetch | undefined): typeof fetch {
  if (given !== undefined) return given;
  if (typeof globalThis.fetch !== 'function')
    throw new TypeError('No global fetch here: pass one as the `fetch` option');
  // Bound, because browsers refuse `fetch` called as a method of another object.
  return globalThis.fetch.bind(globalThis);
}

/** The body fields of a re-authentication: `{method, code}` or `{method: "passkey", response}`. */
function reauthenticationBody(reauth: ReauthenticationInput | undefined): JsonObject {
  if (reauth === undefined) return {};
  return reauth.method === 'passkey'
    ? { method: reauth.method, response: reauth.response }
    : { method: reauth.method, code: reauth.code };
}

function withoutTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * A client for strapi-plugin-two-factor's REST contract. It holds the current session's
 * access token (and, in body mode, its refresh token) so self-service calls can send
 * `Authorization: Bearer`; nothing is persisted unless `onTokensChange` does it.
 */
export function createTwoFactorClient<User extends StrapiUser = StrapiUser>(
  options: TwoFactorClientOptions,
): TwoFactorClient<User> {
  const baseUrl = withoutTrailingSlashes(options.baseUrl);
  const fetchImpl = resolveFetch(options.fetch);
  const passkeys = options.passkeys ?? browserPasskeys;

  let tokens: SessionTokens = { jwt: options.jwt ?? null, refreshToken: options.refreshToken ?? null };

  function storeTokens(next: SessionTokens): void {
    if (next.jwt === tokens.jwt && next.refreshToken === tokens.refreshToken) return;
    tokens = next;
    options.onTokensChange?.({ ...tokens });
  }

  async function request(spec: RequestSpec): Promise<JsonObject> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers, ...spec.headers };
    if (spec.authorization === 'bearer') {
      if (tokens.jwt === null) throw new NotSignedInError(spec.operation);
      headers.Authorization = `Bearer ${tokens.jwt}`;
    }
    const init: RequestInit = { method: spec.method, headers };
    if (spec.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(spec.body);
    }
    if (options.credentials !== undefined) init.credentials = options.credentials;

    const response = await fetchImpl(`${baseUrl}${spec.path}`, init);
    const text = await response.text();
    const body = text === '' ? undefined : parseJson(text);
    if (!response.ok) throw toApiError(response.status, response.headers, body);
    if (response.status === 204) return {};
    if (!isJsonObject(body)) throw new UnexpectedResponseError(spec.operation, body);
    return body;
  }

  /** A self-service call: the held jwt as Bearer, the answer as the contract's type. */
  async function selfService<Answer>(
    operation: string,
    method: HttpMethod,
    path: string,
    body?: unknown,
  ): Promise<Answer> {
    const answer = await request({ operation, method, path, body, authorization: 'bearer' });
    return answer as unknown as Answer;
  }

  function readSession(operation: string, body: JsonObject): VerifiedSession<User> {
    if (typeof body.jwt !== 'string' || !isJsonObject(body.user)) {
      throw new UnexpectedResponseError(operation, body);
    }
    return body as unknown as VerifiedSession<User>;
  }

  /** Keeps a new session's tokens; a cookie-mode session has no refresh token in the body. */
  function adoptSession<Session extends StrapiSession<User>>(session: Session): Session {
    storeTokens({ jwt: session.jwt, refreshToken: session.refreshToken ?? null });
    return session;
  }

  function field<Value>(operation: string, body: JsonObject, name: string): Value {
    const value = body[name];
    if (!isJsonObject(value)) throw new UnexpectedResponseError(operation, body);
    return value as Value;
  }

  return {
    async signIn({ identifier, password, deviceId, trustedDeviceToken }) {
      const body = await request({
        operation: 'signIn',
        method: 'POST',
        path: '/api/auth/local',
        body: { identifier, password, deviceId },
        authorization: 'none',
        headers: trustedDeviceToken === undefined ? undefined : { [TRUSTED_DEVICE_HEADER]: trustedDeviceToken },
      });
      if (body.mfaRequired === true) {
        return { kind: 'challenge', challenge: field<LoginChallenge>('signIn', body, 'challenge') };
      }
      if (body.mfaEnrollmentRequired === true) {
        return { kind: 'enrollment', enrollment: field<EnrollmentTicket>('signIn', body, 'enrollment') };
      }
      return { kind: 'session', session: adoptSession(readSession('signIn', body)) };
    },

    async verifyChallenge(input) {
      const { token, trustDevice, deviceId } = input;
      let proof: { code: string } | { response: AuthenticationResponseJSON };
      if (input.method !== 'passkey') proof = { code: input.code };
      else if ('response' in input) proof = { response: input.response };
      else proof = { response: await passkeys.get(input.passkeyOptions) };
      const body = await request({
        operation: 'verifyChallenge',
        method: 'POST',
        path: '/api/two-factor/challenge/verify',
        body: { token, method: input.method, ...proof, trustDevice, deviceId },
        authorization: 'none',
      });
      return adoptSession(readSession('verifyChallenge', body));
    },

    async signInWithPasskey({ deviceId } = {}) {
      const started = await request({
        operation: 'signInWithPasskey',
        method: 'POST',
        path: '/api/two-factor/passkey/login/options',
        body: {},
        authorization: 'none',
      });
      const { token, options: passkeyOptions } = started as unknown as PasskeyLoginOptions;
      if (typeof token !== 'string' || !isJsonObject(passkeyOptions)) {
        throw new UnexpectedResponseError('signInWithPasskey', started);
      }
      const response = await passkeys.get(passkeyOptions);
      const body = await request({
        operation: 'signInWithPasskey',
        method: 'POST',
        path: '/api/two-factor/passkey/login/verify',
        body: { token, response, deviceId },
        authorization: 'none',
      });
      return adoptSession(readSession('signInWithPasskey', body));
    },

    async resendCode({ token, method }) {
      const body = await request({
        operation: 'resendCode',
        method: 'POST',
        path: '/api/two-factor/challenge/send',
        body: { token, method },
        authorization: 'none',
      });
      return body as unknown as CodeDelivery;
    },

    async renewPasskeyOptions({ token }) {
      const body = await request({
        operation: 'renewPasskeyOptions',
        method: 'POST',
        path: '/api/two-factor/challenge/send',
        body: { token, method: 'passkey' },
        authorization: 'none',
      });
      if (!isJsonObject(body.passkeyOptions) || typeof body.expiresAt !== 'string') {
        throw new UnexpectedResponseError('renewPasskeyOptions', body);
      }
      return {
        passkeyOptions: body.passkeyOptions as unknown as PublicKeyCredentialRequestOptionsJSON,
        expiresAt: body.expiresAt,
      };
    },

    async registerWithPhone({ username, phone, email, password }) {
      const body = await request({
        operation: 'registerWithPhone',
        method: 'POST',
        path: '/api/two-factor/phone/register',
        body: { username, phone, email, password },
        authorization: 'none',
      });
      return field<CodeDelivery>('registerWithPhone', body, 'verification');
    },

    async verifyPhone({ phone, code }) {
      const body = await request({
        operation: 'verifyPhone',
        method: 'POST',
        path: '/api/two-factor/phone/verify',
        body: { phone, code },
        authorization: 'none',
      });
      const session = adoptSession(readSession('verifyPhone', body));
      const recoveryCodes = (body as { recoveryCodes?: unknown }).recoveryCodes;
      return Array.isArray(recoveryCodes) ? { ...session, recoveryCodes: recoveryCodes as string[] } : session;
    },

    async resendPhoneCode({ phone }) {
      const body = await request({
        operation: 'resendPhoneCode',
        method: 'POST',
        path: '/api/two-factor/phone/resend',
        body: { phone },
        authorization: 'none',
      });
      return field<CodeDelivery>('resendPhoneCode', body, 'verification');
    },

    async signInWithPhone({ phone }) {
      const body = await request({
        operation: 'signInWithPhone',
        method: 'POST',
        path: '/api/two-factor/phone/login',
        body: { phone },
        authorization: 'none',
      });
      return field<LoginChallenge>('signInWithPhone', body, 'challenge');
    },

    async me() {
      return selfService<TwoFactorStatus>('me', 'GET', '/api/two-factor/me');
    },

    async setupTotp(reauth) {
      return selfService<TotpSetup>('setupTotp', 'POST', '/api/two-factor/totp/setup', reauthenticationBody(reauth));
    },

    async activateTotp({ factorId, code }) {
      return selfService<FactorActivation>('activateTotp', 'POST', '/api/two-factor/totp/activate', { factorId, code });
    },

    async setupSms({ phone, reauth }) {
      return selfService<SmsSetup>('setupSms', 'POST', '/api/two-factor/sms/setup', {
        phone,
        ...reauthenticationBody(reauth),
      });
    },

    async activateSms({ factorId, code }) {
      return selfService<FactorActivation>('activateSms', 'POST', '/api/two-factor/sms/activate', { factorId, code });
    },

    async setupPasskey({ reauth } = {}) {
      const setup = await selfService<PasskeySetup>(
        'setupPasskey',
        'POST',
        '/api/two-factor/passkey/setup',
        reauthenticationBody(reauth),
      );
      if (typeof setup.factorId !== 'number' || !isJsonObject(setup.options)) {
        throw new UnexpectedResponseError('setupPasskey', setup);
      }
      return { factorId: setup.factorId, response: await passkeys.create(setup.options) };
    },

    async activatePasskey({ factorId, response, label }) {
      return selfService<FactorActivation>('activatePasskey', 'POST', '/api/two-factor/passkey/activate', {
        factorId,
        response,
        label,
      });
    },

    async reauthenticateWithPasskey() {
      const answer = await selfService<{ passkeyOptions?: unknown }>(
        'reauthenticateWithPasskey',
        'POST',
        '/api/two-factor/step-up/send',
        { method: 'passkey' },
      );
      if (!isJsonObject(answer.passkeyOptions)) throw new UnexpectedResponseError('reauthenticateWithPasskey', answer);
      const passkeyOptions = answer.passkeyOptions as unknown as PublicKeyCredentialRequestOptionsJSON;
      return { method: 'passkey', response: await passkeys.get(passkeyOptions) };
    },

    async removeFactor(input) {
      return selfService<TwoFactorStatus>(
        'removeFactor',
        'POST',
        `/api/two-factor/factors/${encodeURIComponent(String(input.factorId))}/remove`,
        reauthenticationBody(input),
      );
    },

    async renameFactor({ factorId, label }) {
      return selfService<TwoFactorStatus>(
        'renameFactor',
        'POST',
        `/api/two-factor/factors/${encodeURIComponent(String(factorId))}/rename`,
        { label },
      );
    },

    async sendStepUpCode(method = 'sms') {
      return selfService<CodeDelivery>('sendStepUpCode', 'POST', '/api/two-factor/step-up/send', { method });
    },

    async regenerateRecoveryCodes(reauth) {
      return selfService<RecoveryCodes>(
        'regenerateRecoveryCodes',
        'POST',
        '/api/two-factor/recovery-codes/regenerate',
        reauthenticationBody(reauth),
      );
    },

    async stepUp(reauth) {
      const body = await request({
        operation: 'stepUp',
        method: 'POST',
        path: '/api/two-factor/step-up/verify',
        body: reauthenticationBody(reauth),
        authorization: 'bearer',
      });
      if (typeof body.jwt !== 'string') throw new UnexpectedResponseError('stepUp', body);
      storeTokens({ ...tokens, jwt: body.jwt });
      return { jwt: body.jwt };
    },

    async refresh() {
      // Strapi reads the cookie first, then the body: with no token held, the cookie decides.
      const body = await request({
        operation: 'refresh',
        method: 'POST',
        path: '/api/auth/refresh',
        body: tokens.refreshToken === null ? {} : { refreshToken: tokens.refreshToken },
        authorization: 'none',
      });
      if (typeof body.jwt !== 'string') throw new UnexpectedResponseError('refresh', body);
      const refreshed: RefreshedTokens = { jwt: body.jwt };
      if (typeof body.refreshToken === 'string') refreshed.refreshToken = body.refreshToken;
      // In cookie mode the old body token (if any) was just rotated away: forget it.
      storeTokens({ jwt: refreshed.jwt, refreshToken: refreshed.refreshToken ?? null });
      return refreshed;
    },

    getAccessToken: () => tokens.jwt,
    setAccessToken: (jwt) => storeTokens({ ...tokens, jwt }),
    getRefreshToken: () => tokens.refreshToken,
    setRefreshToken: (refreshToken) => storeTokens({ ...tokens, refreshToken }),
  };
}
