import type { TwoFactorStatus } from '@strapi-two-factor/contract';
import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtPayload } from '../support/assurance';
import {
  authenticatorFor,
  enrolPasskey,
  type PasskeyActivateBody,
  type PasskeySetupBody,
  passkeyReauthentication,
  registerPasskey,
  userWithPasskey,
} from '../support/passkeyEnrolment';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { enrolTotp } from '../support/totpEnrolment';
import { errorCode, signUp } from '../support/twoFactor';
import { newUser } from '../support/users';

/** The contract's answer. */
type MeBody = TwoFactorStatus;

describe(`passkey registration on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { TWO_FACTOR_ENCRYPTION_KEY: 'passkey-tests-encryption-key-0123' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function factorRows(userId: number): Promise<Record<string, unknown>[]> {
    return (await app.strapi.db
      .query('plugin::two-factor.factor')
      .findMany({ where: { userId, type: 'passkey' } })) as Record<string, unknown>[];
  }

  it('should answer creation options bound to a fresh challenge, for the RP, with attestation none', async () => {
    const user = await signUp(app);
    const setup = await app.http.post<PasskeySetupBody>('/api/two-factor/passkey/setup', {}, { jwt: user.jwt });
    expect(setup.status).toBe(200);
    expect(setup.body.factorId).toEqual(expect.any(Number));
    const { options } = setup.body;
    expect(options.rp).toEqual({ id: 'localhost', name: 'Example' });
    expect(options.attestation).toBe('none');
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'preferred', userVerification: 'required' });
    expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32);
    expect(options.excludeCredentials).toEqual([]);
    // The user handle is opaque: neither the id, the username nor the email.
    const handle = Buffer.from(options.user.id, 'base64url').toString('latin1');
    expect(handle).not.toContain(String(user.id));
    expect(handle).not.toContain(user.username);
    const again = await app.http.post<PasskeySetupBody>('/api/two-factor/passkey/setup', {}, { jwt: user.jwt });
    expect(again.body.options.challenge).not.toBe(options.challenge);
  });

  it('should activate a passkey as the first factor with recovery codes and list it in me without its key', async () => {
    const user = await signUp(app);
    const authenticator = authenticatorFor(app);
    const { activate } = await registerPasskey(app, user.jwt, authenticator, { label: 'Work laptop' });
    expect(activate.status, JSON.stringify(activate.body)).toBe(200);
    expect(activate.body.recoveryCodes).toHaveLength(10);
    expect(activate.body.factor).toMatchObject({ type: 'passkey', label: 'Work laptop', backedUp: false });
    const me = await app.http.get<MeBody>('/api/two-factor/me', { jwt: user.jwt });
    expect(me.body.enabled).toBe(true);
    expect(me.body.factors).toHaveLength(1);
    expect(me.body.factors[0]).toMatchObject({ type: 'passkey', label: 'Work laptop', transports: ['internal'] });
    const listed = JSON.stringify(me.body);
    expect(listed).not.toMatch(/publicKey|credentialId|signCount/);
    const [row] = await factorRows(user.id);
    expect(row).toMatchObject({
      status: 'active',
      credentialId: authenticator.credentials[0]?.id.toString('base64url'),
      backedUp: false,
      aaguid: '00000000-0000-0000-0000-000000000000',
    });
    expect(Number(row?.signCount)).toBe(1);
    expect(listed).not.toContain(String(row?.publicKey));
  });

  it('should record a synced passkey as backed up', async () => {
    const user = await signUp(app);
    const activated = await enrolPasskey(app, user.jwt, authenticatorFor(app, { backedUp: true }));
    expect(activated.factor.backedUp).toBe(true);
  });

  it('should refuse the same registration response sent again and add no factor', async () => {
    const user = await signUp(app);
    const authenticator = authenticatorFor(app);
    const { setup, response, activate } = await registerPasskey(app, user.jwt, authenticator);
    expect(activate.status).toBe(200);
    const replay = await app.http.post(
      '/api/two-factor/passkey/activate',
      { factorId: setup.factorId, response },
      {
        jwt: user.jwt,
      },
    );
    expect(replay.status).toBe(400);
    expect(errorCode(replay)).toBe('ALREADY_ENROLLED');

    // Replayed against a new setup (a new challenge): refused, nothing added.
    const reauth = await passkeyReauthentication(app, user.jwt, authenticator);
    const next = await app.http.post<PasskeySetupBody>('/api/two-factor/passkey/setup', reauth, { jwt: user.jwt });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    const onNew = await app.http.post(
      '/api/two-factor/passkey/activate',
      { factorId: next.body.factorId, response },
      {
        jwt: user.jwt,
      },
    );
    expect(onNew.status).toBe(400);
    expect(errorCode(onNew)).toBe('INVALID_PASSKEY');
    expect((await factorRows(user.id)).filter((row) => row.status === 'active')).toHaveLength(1);
  });

  it('should refuse a registration made on another origin', async () => {
    const user = await signUp(app);
    const { activate } = await registerPasskey(app, user.jwt, authenticatorFor(app), {
      overrides: { origin: 'https://phishing.example' },
    });
    expect(activate.status).toBe(400);
    expect(errorCode(activate)).toBe('INVALID_PASSKEY');
    expect((await factorRows(user.id)).filter((row) => row.status === 'active')).toHaveLength(0);
  });

  it('should refuse a registration for another RP ID', async () => {
    const user = await signUp(app);
    const { activate } = await registerPasskey(app, user.jwt, authenticatorFor(app), {
      overrides: { rpId: 'phishing.example' },
    });
    expect(activate.status).toBe(400);
    expect(errorCode(activate)).toBe('INVALID_PASSKEY');
  });

  it('should refuse a registration signed as an assertion (wrong clientData type)', async () => {
    const user = await signUp(app);
    const { activate } = await registerPasskey(app, user.jwt, authenticatorFor(app), {
      overrides: { type: 'webauthn.get' },
    });
    expect(activate.status).toBe(400);
    expect(errorCode(activate)).toBe('INVALID_PASSKEY');
  });

  it('should refuse a registration without user verification when it is required', async () => {
    const user = await signUp(app);
    const { activate } = await registerPasskey(app, user.jwt, authenticatorFor(app, { userVerification: false }));
    expect(activate.status).toBe(400);
    expect(errorCode(activate)).toBe('PASSKEY_USER_VERIFICATION_REQUIRED');
    expect((await factorRows(user.id)).filter((row) => row.status === 'active')).toHaveLength(0);
  });

  it('should need a fresh factor to add a passkey next to an active one, and accept a passkey for it', async () => {
    const user = await userWithPasskey(app);
    const bare = await app.http.post('/api/two-factor/passkey/setup', {}, { jwt: user.jwt });
    expect(bare.status).toBe(400);
    expect(errorCode(bare)).toBe('REAUTHENTICATION_REQUIRED');
    expect((bare.body as { error: { details: { methods: string[] } } }).error.details.methods).toContain('passkey');

    const reauth = await passkeyReauthentication(app, user.jwt, user.authenticator);
    const second = await registerPasskey(app, user.jwt, authenticatorFor(app), { reauth });
    expect(second.activate.status, JSON.stringify(second.activate.body)).toBe(200);
    // Not the first factor: no new recovery codes.
    expect(second.activate.body.recoveryCodes).toBeUndefined();
    // The first passkey is excluded from the second registration's options.
    expect(second.setup.options.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([user.credentialId]);
    const me = await app.http.get<MeBody>('/api/two-factor/me', { jwt: user.jwt });
    expect(me.body.factors.filter((f) => f.type === 'passkey')).toHaveLength(2);
  });

  it('should accept a TOTP code as the fresh factor for adding a passkey', async () => {
    const user = await signUp(app);
    const totp = await enrolTotp(app, user.jwt);
    moveToMidStep(app);
    const reauth = { method: 'totp' as const, code: authenticatorCode(totp.secret, pluginStep(app)) };
    const { activate } = await registerPasskey(app, user.jwt, authenticatorFor(app), { reauth });
    expect(activate.status, JSON.stringify(activate.body)).toBe(200);
  });

  it('should rename a passkey and remove it with a fresh passkey assertion', async () => {
    const user = await userWithPasskey(app);
    const renamed = await app.http.post<MeBody>(
      `/api/two-factor/factors/${user.factorId}/rename`,
      { label: '  Phone  ' },
      { jwt: user.jwt },
    );
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.factors[0]).toMatchObject({ id: user.factorId, label: 'Phone' });
    const badLabel = await app.http.post(
      `/api/two-factor/factors/${user.factorId}/rename`,
      { label: 42 },
      {
        jwt: user.jwt,
      },
    );
    expect(badLabel.status).toBe(400);
    expect(errorCode(badLabel)).toBe('INVALID_INPUT');

    const other = await signUp(app);
    const notMine = await app.http.post(
      `/api/two-factor/factors/${user.factorId}/rename`,
      { label: 'x' },
      {
        jwt: other.jwt,
      },
    );
    expect(notMine.status).toBe(404);

    const reauth = await passkeyReauthentication(app, user.jwt, user.authenticator);
    const removed = await app.http.post<MeBody>(`/api/two-factor/factors/${user.factorId}/remove`, reauth, {
      jwt: user.jwt,
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body).toMatchObject({ enabled: false, factors: [], recoveryCodesRemaining: 0 });
  });

  it('should register a passkey with an enrolment-only token and turn it into the full login', async () => {
    const settings = app.strapi.plugin('two-factor').service('settings');
    const before = settings.policy();
    await settings.updatePolicy({ ...before, mode: 'required' }, 'test');
    try {
      const user = newUser('pkenrol');
      const registered = await app.http.post<{ enrollment: { token: string } }>('/api/auth/local/register', user);
      expect(registered.status, JSON.stringify(registered.body)).toBe(200);
      const enrolmentToken = registered.body.enrollment.token;
      const { activate } = await registerPasskey(app, enrolmentToken, authenticatorFor(app));
      expect(activate.status, JSON.stringify(activate.body)).toBe(200);
      const body = activate.body as PasskeyActivateBody & { jwt?: string };
      expect(body.recoveryCodes).toHaveLength(10);
      expect(jwtPayload(body.jwt ?? '')).toMatchObject({ amr: ['pwd', 'hwk', 'mfa'], aal: 2 });
      // The enrolment token is spent.
      const again = await app.http.post('/api/two-factor/passkey/setup', {}, { jwt: enrolmentToken });
      expect(again.status).toBe(401);
    } finally {
      await settings.updatePolicy(before, 'test');
    }
  });

  it('should answer 400 with a stable code for every malformed activation, never 500', async () => {
    const user = await signUp(app);
    const setup = await app.http.post<PasskeySetupBody>('/api/two-factor/passkey/setup', {}, { jwt: user.jwt });
    const good = authenticatorFor(app).register(setup.body.options);
    const bodies: unknown[] = [
      {},
      { factorId: setup.body.factorId },
      { factorId: setup.body.factorId, response: 'not an object' },
      { factorId: setup.body.factorId, response: {} },
      { factorId: 'x', response: good },
      { factorId: setup.body.factorId, response: { ...good, type: 'password' } },
      { factorId: setup.body.factorId, response: { ...good, id: '***' } },
      { factorId: setup.body.factorId, response: { ...good, response: { ...good.response, attestationObject: 42 } } },
      {
        factorId: setup.body.factorId,
        response: { ...good, response: { ...good.response, clientDataJSON: 'not base64url!' } },
      },
      { factorId: setup.body.factorId, response: good, label: '' },
    ];
    for (const body of bodies) {
      const answer = await app.http.post('/api/two-factor/passkey/activate', body, { jwt: user.jwt });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(answer), JSON.stringify(body)).toBe('INVALID_INPUT');
    }
    // Well-formed base64url that decodes to garbage: judged and refused, still a 400.
    const garbage = await app.http.post<PasskeyActivateBody>(
      '/api/two-factor/passkey/activate',
      {
        factorId: setup.body.factorId,
        response: { ...good, response: { ...good.response, attestationObject: 'AAAA', clientDataJSON: 'e30' } },
      },
      { jwt: user.jwt },
    );
    expect(garbage.status).toBe(400);
    expect(errorCode(garbage)).toBe('INVALID_PASSKEY');
    // The genuine response still activates: malformed bodies spent nothing but attempts.
    const activate = await app.http.post(
      '/api/two-factor/passkey/activate',
      { factorId: setup.body.factorId, response: good },
      {
        jwt: user.jwt,
      },
    );
    expect(activate.status, JSON.stringify(activate.body)).toBe(200);
  });
});
