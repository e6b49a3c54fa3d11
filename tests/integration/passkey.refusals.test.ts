import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventsOf,
  type PasskeyUser,
  passkeyLoginChallenge,
  passwordlessOptions,
  passwordlessVerify,
  userWithPasskey,
} from '../support/passkeyEnrolment';
import type { StrapiErrorBody } from '../support/strapiBodies';
import { errorCode } from '../support/twoFactor';

const VERIFY = '/api/two-factor/challenge/verify';

describe(`passkey refusals on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Step 1 and an assertion for it, made with `overrides`, sent to challenge/verify. */
  async function secondStep(user: PasskeyUser, overrides: Parameters<PasskeyUser['authenticator']['assert']>[1] = {}) {
    const challenge = await passkeyLoginChallenge(app, user);
    const response = user.authenticator.assert(challenge.passkeyOptions, overrides);
    const answer = await app.http.post<StrapiErrorBody & { jwt?: string }>(VERIFY, {
      token: challenge.token,
      method: 'passkey',
      response,
    });
    return { challenge, response, answer };
  }

  function expectRefused(answer: { status: number; body: unknown }, code: string): void {
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(errorCode(answer as never)).toBe(code);
    expect((answer.body as { jwt?: unknown }).jwt).toBeUndefined();
  }

  it('should refuse an assertion made on another origin', async () => {
    const user = await userWithPasskey(app);
    const { answer } = await secondStep(user, { origin: 'https://phishing.example' });
    expectRefused(answer, 'INVALID_PASSKEY');
  });

  it('should refuse an assertion for another RP ID', async () => {
    const user = await userWithPasskey(app);
    const { answer } = await secondStep(user, { rpId: 'phishing.example' });
    expectRefused(answer, 'INVALID_PASSKEY');
  });

  it('should refuse a registration clientData type in an assertion', async () => {
    const user = await userWithPasskey(app);
    const { answer } = await secondStep(user, { type: 'webauthn.create' });
    expectRefused(answer, 'INVALID_PASSKEY');
  });

  it('should refuse a tampered signature', async () => {
    const user = await userWithPasskey(app);
    const { answer } = await secondStep(user, { tamperSignature: true });
    expectRefused(answer, 'INVALID_PASSKEY');
  });

  it('should answer an unknown credential exactly as a bad signature', async () => {
    const user = await userWithPasskey(app);
    const bad = await secondStep(user, { tamperSignature: true });
    const unknown = await secondStep(user, { credential: user.authenticator.strayCredential() });
    expectRefused(unknown.answer, 'INVALID_PASSKEY');
    expect(unknown.answer.status).toBe(bad.answer.status);
    expect(unknown.answer.body).toEqual(bad.answer.body);
  });

  it("should refuse another user's passkey as the second step, as an unknown one", async () => {
    const user = await userWithPasskey(app);
    const other = await userWithPasskey(app);
    const otherCredential = other.authenticator.credentials[0];
    if (otherCredential === undefined) throw new Error('no credential');
    const { answer } = await secondStep(user, { credential: otherCredential });
    expectRefused(answer, 'INVALID_PASSKEY');
    const unknown = await secondStep(user, { credential: user.authenticator.strayCredential() });
    expect(answer.body).toEqual(unknown.answer.body);
  });

  it('should refuse an assertion without user verification when it is required', async () => {
    const user = await userWithPasskey(app);
    const { answer } = await secondStep(user, { userVerified: false });
    expectRefused(answer, 'PASSKEY_USER_VERIFICATION_REQUIRED');
  });

  it('should refuse the same assertion sent again', async () => {
    const user = await userWithPasskey(app);
    const { challenge, response, answer } = await secondStep(user);
    expect(answer.status).toBe(200);
    const replay = await app.http.post(VERIFY, { token: challenge.token, method: 'passkey', response });
    expectRefused(replay, 'CHALLENGE_USED');
    // Replayed into a new challenge: it signed another challenge.
    const next = await passkeyLoginChallenge(app, user);
    const replayed = await app.http.post(VERIFY, { token: next.token, method: 'passkey', response });
    expectRefused(replayed, 'INVALID_PASSKEY');
  });

  it('should refuse a replayed passwordless assertion', async () => {
    const user = await userWithPasskey(app);
    const started = await passwordlessOptions(app);
    const response = user.authenticator.assert(started.options);
    expect((await passwordlessVerify(app, started.token, response)).status).toBe(200);
    expectRefused(await passwordlessVerify(app, started.token, response), 'CHALLENGE_USED');
    const again = await passwordlessOptions(app);
    expectRefused(await passwordlessVerify(app, again.token, response), 'INVALID_PASSKEY');
  });

  it('should refuse a counter that went down and record passkey.cloned', async () => {
    const user = await userWithPasskey(app);
    // Counter 1 at registration, 2 and 3 at these sign-ins.
    expect((await secondStep(user)).answer.status).toBe(200);
    expect((await secondStep(user)).answer.status).toBe(200);
    const { answer } = await secondStep(user, { counter: 2 });
    expectRefused(answer, 'PASSKEY_COUNTER_REPLAYED');
    const cloned = await eventsOf(app, user.id, 'passkey.cloned');
    expect(cloned).toHaveLength(1);
    expect(cloned[0]?.details).toMatchObject({ factorId: user.factorId, storedCounter: 3, receivedCounter: 2 });
    // An equal counter is refused too; a higher one passes.
    expectRefused((await secondStep(user, { counter: 3 })).answer, 'PASSKEY_COUNTER_REPLAYED');
    expect((await secondStep(user, { counter: 10 })).answer.status).toBe(200);
  });

  it('should refuse a counter of 0 once the authenticator has counted', async () => {
    const user = await userWithPasskey(app);
    const { answer } = await secondStep(user, { counter: 0 });
    expectRefused(answer, 'PASSKEY_COUNTER_REPLAYED');
  });

  it('should accept a passkey that never counts (counter 0 on both sides)', async () => {
    const user = await userWithPasskey(app, { counts: false });
    expect((await secondStep(user)).answer.status).toBe(200);
    expect((await secondStep(user)).answer.status).toBe(200);
    expect(await eventsOf(app, user.id, 'passkey.cloned')).toHaveLength(0);
  });

  // A synced passkey usually never counts (counter 0): then only the challenge's atomic
  // consumption stands between a replayed assertion and a second token.
  for (const counts of [true, false]) {
    const kind = counts ? 'a counting' : 'a non-counting';
    it(`should give exactly one token to 10 parallel verifications of one assertion from ${kind} passkey`, async () => {
      const user = await userWithPasskey(app, { counts });
      const challenge = await passkeyLoginChallenge(app, user);
      const response = user.authenticator.assert(challenge.passkeyOptions);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          app.http.post<{ jwt?: string }>(VERIFY, { token: challenge.token, method: 'passkey', response }),
        ),
      );
      const tokens = answers.filter((answer) => answer.status === 200 && typeof answer.body.jwt === 'string');
      expect(tokens, JSON.stringify(answers.map((a) => [a.status, errorCode(a as never)]))).toHaveLength(1);
      for (const answer of answers.filter((a) => a.status !== 200))
        expect(['CHALLENGE_USED', 'TOO_MANY_ATTEMPTS', 'PASSKEY_COUNTER_REPLAYED']).toContain(
          errorCode(answer as never),
        );
    });

    it(`should give exactly one token to 10 parallel passwordless verifications from ${kind} passkey`, async () => {
      const user = await userWithPasskey(app, { counts });
      const started = await passwordlessOptions(app);
      const response = user.authenticator.assert(started.options);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => passwordlessVerify(app, started.token, response)),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    });
  }

  it("should count refused assertions toward the challenge's attempt cap", async () => {
    const user = await userWithPasskey(app);
    const challenge = await passkeyLoginChallenge(app, user);
    const remaining: unknown[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const bad = user.authenticator.assert(challenge.passkeyOptions, { tamperSignature: true });
      const answer = await app.http.post<StrapiErrorBody>(VERIFY, {
        token: challenge.token,
        method: 'passkey',
        response: bad,
      });
      expectRefused(answer, 'INVALID_PASSKEY');
      remaining.push(answer.body.error.details.attemptsRemaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    // The cap is reached: even the right assertion is refused now.
    const good = user.authenticator.assert(challenge.passkeyOptions);
    const capped = await app.http.post(VERIFY, { token: challenge.token, method: 'passkey', response: good });
    expect(capped.status).toBe(429);
    expect(errorCode(capped)).toBe('TOO_MANY_ATTEMPTS');
  });

  it("should count refused assertions toward the account's lock-out", async () => {
    const user = await userWithPasskey(app);
    // Default: 10 consecutive failures lock the account; 5 per challenge.
    const codes: unknown[] = [];
    for (let round = 0; round < 2; round++) {
      const challenge = await passkeyLoginChallenge(app, user);
      for (let attempt = 0; attempt < 5; attempt++) {
        const bad = user.authenticator.assert(challenge.passkeyOptions, { tamperSignature: true });
        const answer = await app.http.post(VERIFY, { token: challenge.token, method: 'passkey', response: bad });
        codes.push(errorCode(answer));
      }
    }
    expect(codes.slice(0, 9)).toEqual(Array(9).fill('INVALID_PASSKEY'));
    expect(codes[9]).toBe('ACCOUNT_LOCKED');
    // Locked: the next sign-in is refused before any passkey is judged.
    const step1 = await app.http.post('/api/auth/local', { identifier: user.username, password: user.password });
    expect(step1.status).toBe(429);
    expect(errorCode(step1)).toBe('ACCOUNT_LOCKED');
    const started = await passwordlessOptions(app);
    const passwordless = await passwordlessVerify(app, started.token, user.authenticator.assert(started.options));
    expect(passwordless.status).toBe(429);
    expect(errorCode(passwordless)).toBe('ACCOUNT_LOCKED');
  });

  it('should count an unknown credential toward the passwordless challenge cap', async () => {
    const user = await userWithPasskey(app);
    const started = await passwordlessOptions(app);
    for (let attempt = 0; attempt < 5; attempt++) {
      const stray = user.authenticator.assert(started.options, { credential: user.authenticator.strayCredential() });
      expectRefused(await passwordlessVerify(app, started.token, stray), 'INVALID_PASSKEY');
    }
    const capped = await passwordlessVerify(app, started.token, user.authenticator.assert(started.options));
    expect(capped.status).toBe(429);
    expect(errorCode(capped)).toBe('TOO_MANY_ATTEMPTS');
  });

  it('should refuse a WebAuthn challenge older than 5 minutes and renew it through challenge/send', async () => {
    const user = await userWithPasskey(app);
    const challenge = await passkeyLoginChallenge(app, user);
    const response = user.authenticator.assert(challenge.passkeyOptions);
    app.strapi.plugin('two-factor').service('clock').travel(301_000);
    try {
      const late = await app.http.post(VERIFY, { token: challenge.token, method: 'passkey', response });
      expectRefused(late, 'PASSKEY_CHALLENGE_EXPIRED');
      // The sign-in (10 minutes) still lives: challenge/send gives new options for it.
      const renewed = await app.http.post<{ passkeyOptions: { challenge: string }; expiresAt: string }>(
        '/api/two-factor/challenge/send',
        { token: challenge.token, method: 'passkey' },
      );
      expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
      expect(renewed.body.passkeyOptions.challenge).not.toBe(challenge.passkeyOptions.challenge);
      // The old answer signed the old challenge: refused; a new one passes.
      const old = await app.http.post(VERIFY, { token: challenge.token, method: 'passkey', response });
      expectRefused(old, 'INVALID_PASSKEY');
      const fresh = user.authenticator.assert(renewed.body.passkeyOptions);
      const verified = await app.http.post(VERIFY, { token: challenge.token, method: 'passkey', response: fresh });
      expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    } finally {
      app.strapi.plugin('two-factor').service('clock').travel(-301_000);
    }
  });
});
