import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAuthTimeNow, jwtPayload } from '../support/assurance';
import { passwordlessOptions, passwordlessVerify, userWithPasskey } from '../support/passkeyEnrolment';
import { errorCode } from '../support/twoFactor';

for (const mode of ['refresh', 'legacy-support'] as const) {
  describe(`passwordless passkey sign-in (${mode}) on ${databaseUnderTest()}`, () => {
    let app: ExampleApp;

    beforeAll(async () => {
      app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: mode, UP_SESSIONS_HTTP_ONLY: 'false' } });
    });

    afterAll(async () => {
      await app?.stop();
    });

    it('should answer options for discoverable credentials: no allowCredentials, user verification required', async () => {
      const started = await passwordlessOptions(app);
      expect(started.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(started.options.allowCredentials ?? []).toEqual([]);
      expect(started.options.userVerification).toBe('required');
      expect(started.options.rpId).toBe('localhost');
      // The challenge lives at most 5 minutes.
      const lifetime = new Date(started.expiresAt).getTime() - Date.now();
      expect(lifetime).toBeLessThanOrEqual(300_000);
      expect(lifetime).toBeGreaterThan(0);
    });

    it("should sign in with the passkey alone and answer Strapi's login body with aal 2", async () => {
      const user = await userWithPasskey(app);
      const started = await passwordlessOptions(app);
      const verified = await passwordlessVerify(app, started.token, user.authenticator.assert(started.options));
      expect(verified.status, JSON.stringify(verified.body)).toBe(200);
      expect(verified.body.user).toMatchObject({ id: user.id, username: user.username });
      if (mode === 'refresh') expect(verified.body.refreshToken).toEqual(expect.any(String));
      else expect(verified.body.refreshToken).toBeUndefined();
      const claims = jwtPayload(verified.body.jwt);
      expect(claims).toMatchObject({ amr: ['hwk', 'mfa'], aal: 2 });
      expectAuthTimeNow(app, claims);
      // The token is a real session: self-service accepts it.
      const me = await app.http.get('/api/two-factor/me', { jwt: verified.body.jwt });
      expect(me.status).toBe(200);
    });

    if (mode === 'refresh') {
      it('should keep the claims across /api/auth/refresh', async () => {
        const user = await userWithPasskey(app, { backedUp: true });
        const started = await passwordlessOptions(app);
        const verified = await passwordlessVerify(app, started.token, user.authenticator.assert(started.options));
        expect(verified.status).toBe(200);
        const refreshed = await app.http.post<{ jwt: string }>('/api/auth/refresh', {
          refreshToken: verified.body.refreshToken,
        });
        expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
        expect(jwtPayload(refreshed.body.jwt)).toMatchObject({ amr: ['swk', 'mfa'], aal: 2 });
      });
    }

    it('should answer a registered passkey with a wrong signature and an unknown credential alike, no sooner than 25 ms', async () => {
      const user = await userWithPasskey(app);
      const timedRefusal = async (wrongSignature: boolean) => {
        const started = await passwordlessOptions(app);
        const response = wrongSignature
          ? user.authenticator.assert(started.options, { tamperSignature: true })
          : user.authenticator.assert(started.options, {
              credential: user.authenticator.strayCredential(started.options.rpId),
            });
        const at = performance.now();
        const refused = await passwordlessVerify(app, started.token, response);
        return { ms: performance.now() - at, status: refused.status, code: errorCode(refused) };
      };
      for (const wrongSignature of [true, false]) {
        const refused = await timedRefusal(wrongSignature);
        expect(refused).toMatchObject({ status: 400, code: 'INVALID_PASSKEY' });
        // Date.now() counts whole milliseconds: the floor is met to within one.
        expect(refused.ms).toBeGreaterThanOrEqual(24);
      }
    });

    it('should refuse a passwordless sign-in without user verification', async () => {
      const user = await userWithPasskey(app);
      const started = await passwordlessOptions(app);
      const response = user.authenticator.assert(started.options, { userVerified: false });
      const refused = await passwordlessVerify(app, started.token, response);
      expect(refused.status).toBe(400);
      expect(errorCode(refused)).toBe('PASSKEY_USER_VERIFICATION_REQUIRED');
      expect((refused.body as { jwt?: string }).jwt).toBeUndefined();
    });

    it('should refuse a blocked user', async () => {
      const user = await userWithPasskey(app);
      await app.strapi.db
        .query('plugin::users-permissions.user')
        .update({ where: { id: user.id }, data: { blocked: true } });
      const started = await passwordlessOptions(app);
      const refused = await passwordlessVerify(app, started.token, user.authenticator.assert(started.options));
      expect(refused.status).toBe(400);
      expect(errorCode(refused)).toBe('INVALID_PASSKEY');
    });

    it('should refuse a second-step token and a passwordless token used for the other flow', async () => {
      const user = await userWithPasskey(app);
      const started = await passwordlessOptions(app);
      const response = user.authenticator.assert(started.options);
      // A passwordless token is not a login challenge.
      const asSecondStep = await app.http.post('/api/two-factor/challenge/verify', {
        token: started.token,
        method: 'passkey',
        response,
      });
      expect(asSecondStep.status).toBe(400);
      expect(errorCode(asSecondStep)).toBe('INVALID_CHALLENGE');
      const unknownToken = await passwordlessVerify(app, 'A'.repeat(43), response);
      expect(unknownToken.status).toBe(400);
      expect(errorCode(unknownToken)).toBe('INVALID_CHALLENGE');
      // Still usable where it belongs.
      expect((await passwordlessVerify(app, started.token, response)).status).toBe(200);
    });

    it('should answer 400 for malformed bodies, never 500', async () => {
      const started = await passwordlessOptions(app);
      const bodies: unknown[] = [
        {},
        { token: started.token },
        { token: started.token, response: null },
        { token: 12, response: {} },
        { token: started.token, response: { id: 'AA', rawId: 'AA', type: 'public-key', response: {} } },
      ];
      for (const body of bodies) {
        const answer = await app.http.post('/api/two-factor/passkey/login/verify', body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(errorCode(answer), JSON.stringify(body)).toBe('INVALID_INPUT');
      }
    });
  });
}
