import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAuthTimeNow, jwtPayload } from '../support/assurance';
import {
  authenticatorFor,
  enrolPasskey,
  passkeyLoginChallenge,
  passkeyReauthentication,
  userWithPasskey,
} from '../support/passkeyEnrolment';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { enrolSms, errorCode, smsReauthentication, userWithSmsFactor } from '../support/twoFactor';

const VERIFY = '/api/two-factor/challenge/verify';

describe(`passkey as the second step on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("should offer the passkey at step 1 with request options listing the user's passkeys", async () => {
    const user = await userWithPasskey(app);
    const challenge = await passkeyLoginChallenge(app, user);
    expect(challenge).toMatchObject({ method: 'passkey', methods: ['passkey', 'recovery_code'] });
    expect(challenge.sentTo).toBeUndefined();
    const options = challenge.passkeyOptions;
    expect(options.rpId).toBe('localhost');
    expect(options.userVerification).toBe('required');
    expect(options.allowCredentials).toEqual([{ id: user.credentialId, type: 'public-key', transports: ['internal'] }]);
    expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32);
  });

  it("should finish the sign-in with Strapi's login body, amr hwk and aal 2", async () => {
    const user = await userWithPasskey(app);
    const challenge = await passkeyLoginChallenge(app, user);
    const response = user.authenticator.assert(challenge.passkeyOptions);
    const verified = await app.http.post<StrapiLoginBody>(VERIFY, {
      token: challenge.token,
      method: 'passkey',
      response,
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.user).toMatchObject({ id: user.id, username: user.username });
    // The example app runs refresh mode with the http-only cookie.
    expect(verified.setCookies.some((cookie) => cookie.startsWith('strapi_up_refresh='))).toBe(true);
    const claims = jwtPayload(verified.body.jwt);
    expect(claims).toMatchObject({ amr: ['pwd', 'hwk', 'mfa'], aal: 2 });
    expectAuthTimeNow(app, claims);
    const me = await app.http.get<{ factors: { lastUsedAt: string | null }[] }>('/api/two-factor/me', {
      jwt: verified.body.jwt,
    });
    expect(me.body.factors[0]?.lastUsedAt).toEqual(expect.any(String));
  });

  it('should name a synced passkey swk', async () => {
    const user = await userWithPasskey(app, { backedUp: true, counts: false });
    const challenge = await passkeyLoginChallenge(app, user);
    const response = user.authenticator.assert(challenge.passkeyOptions);
    const verified = await app.http.post<StrapiLoginBody>(VERIFY, {
      token: challenge.token,
      method: 'passkey',
      response,
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(jwtPayload(verified.body.jwt)).toMatchObject({ amr: ['pwd', 'swk', 'mfa'], aal: 2 });
  });

  it('should trust the device when asked, like the other methods', async () => {
    const user = await userWithPasskey(app);
    const challenge = await passkeyLoginChallenge(app, user);
    const response = user.authenticator.assert(challenge.passkeyOptions);
    const verified = await app.http.post<StrapiLoginBody & { trustedDevice?: { token: string } }>(VERIFY, {
      token: challenge.token,
      method: 'passkey',
      response,
      trustDevice: true,
    });
    expect(verified.status).toBe(200);
    expect(verified.body.trustedDevice?.token).toEqual(expect.any(String));
  });

  it('should keep SMS usable next to a passkey and send no SMS at step 1', async () => {
    const user = await userWithSmsFactor(app);
    const authenticator = authenticatorFor(app);
    await enrolPasskey(app, user.jwt, authenticator, await smsReauthentication(app, user.jwt, user.phone));
    // The "passkey added" notice leaves after the response: delivered before counting.
    await app.strapi.plugin('two-factor').service('sms').drain();
    const before = (await app.sms.messages(user.phone)).length;
    const challenge = await passkeyLoginChallenge(app, user);
    expect(challenge.methods).toEqual(['sms', 'passkey', 'recovery_code']);
    expect(challenge.method).toBe('passkey');
    await app.strapi.plugin('two-factor').service('sms').drain();
    expect((await app.sms.messages(user.phone)).length).toBe(before);
    const response = authenticator.assert(challenge.passkeyOptions);
    const verified = await app.http.post(VERIFY, { token: challenge.token, method: 'passkey', response });
    expect(verified.status).toBe(200);
  });

  it('should not offer a passkey to users without one', async () => {
    const user = await userWithSmsFactor(app);
    const step1 = await app.http.post<{ challenge: Record<string, unknown> }>('/api/auth/local', {
      identifier: user.username,
      password: user.password,
    });
    expect(step1.body.challenge.methods).toEqual(['sms', 'recovery_code']);
    expect(step1.body.challenge.passkeyOptions).toBeUndefined();
    const refused = await app.http.post(VERIFY, {
      token: step1.body.challenge.token,
      method: 'passkey',
      response: { id: 'AAAA' },
    });
    expect(refused.status).toBe(400);
    expect(errorCode(refused)).toBe('METHOD_NOT_AVAILABLE');
  });

  it('should answer 400 INVALID_INPUT for a passkey verify without a response or with a malformed one', async () => {
    const user = await userWithPasskey(app);
    const challenge = await passkeyLoginChallenge(app, user);
    const good = user.authenticator.assert(challenge.passkeyOptions);
    const bodies: unknown[] = [
      { token: challenge.token, method: 'passkey' },
      { token: challenge.token, method: 'passkey', response: 'x' },
      { token: challenge.token, method: 'passkey', response: [] },
      { token: challenge.token, method: 'passkey', response: { ...good, rawId: 7 } },
      {
        token: challenge.token,
        method: 'passkey',
        response: { ...good, response: { ...good.response, signature: '' } },
      },
      {
        token: challenge.token,
        method: 'passkey',
        response: { ...good, response: { ...good.response, authenticatorData: '%%%' } },
      },
    ];
    for (const body of bodies) {
      const answer = await app.http.post(VERIFY, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(answer), JSON.stringify(body)).toBe('INVALID_INPUT');
    }
    const verified = await app.http.post(VERIFY, { token: challenge.token, method: 'passkey', response: good });
    expect(verified.status).toBe(200);
  });

  it('should raise a session by step-up with a passkey', async () => {
    const user = await userWithSmsFactor(app);
    const authenticator = authenticatorFor(app);
    await enrolPasskey(app, user.jwt, authenticator, await smsReauthentication(app, user.jwt, user.phone));
    // The sign-up's jwt is a password session (aal 1).
    const reauth = await passkeyReauthentication(app, user.jwt, authenticator);
    expect(reauth.response.id).toBe(authenticator.credentials[0]?.id.toString('base64url'));
    const raised = await app.http.post<{ jwt: string }>('/api/two-factor/step-up/verify', reauth, { jwt: user.jwt });
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);
    const claims = jwtPayload(raised.body.jwt);
    expect(claims.aal).toBe(2);
    expect(claims.amr).toEqual(expect.arrayContaining(['hwk', 'mfa']));
    const ping = await app.http.get<{ aal: number }>('/api/example/secure-ping', { jwt: raised.body.jwt });
    expect(ping.status).toBe(200);
    expect(ping.body.aal).toBe(2);
  });

  it('should answer step-up/send for a passkey with options bound to a new challenge, and refuse one without', async () => {
    const user = await userWithPasskey(app);
    const first = await app.http.post<{ passkeyOptions: { challenge: string; allowCredentials: { id: string }[] } }>(
      '/api/two-factor/step-up/send',
      { method: 'passkey' },
      { jwt: user.jwt },
    );
    expect(first.status).toBe(200);
    expect(first.body.passkeyOptions.allowCredentials.map((c) => c.id)).toEqual([user.credentialId]);
    const second = await app.http.post<{ passkeyOptions: { challenge: string } }>(
      '/api/two-factor/step-up/send',
      { method: 'passkey' },
      { jwt: user.jwt },
    );
    expect(second.body.passkeyOptions.challenge).not.toBe(first.body.passkeyOptions.challenge);
    const withoutPasskey = await userWithSmsFactor(app);
    const refused = await app.http.post(
      '/api/two-factor/step-up/send',
      { method: 'passkey' },
      { jwt: withoutPasskey.jwt },
    );
    expect(refused.status).toBe(400);
    expect(errorCode(refused)).toBe('METHOD_NOT_AVAILABLE');
  });

  it('should add an SMS factor next to a passkey with a passkey as the fresh factor', async () => {
    const user = await userWithPasskey(app);
    const reauth = await passkeyReauthentication(app, user.jwt, user.authenticator);
    await enrolSms(app, user.jwt, undefined, reauth as never);
    const me = await app.http.get<{ factors: { type: string }[] }>('/api/two-factor/me', { jwt: user.jwt });
    expect(me.body.factors.map((f) => f.type)).toEqual(['passkey', 'sms']);
  });
});
