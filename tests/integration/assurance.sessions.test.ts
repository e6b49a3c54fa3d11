import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin, superAdminRole, type TestAdmin } from '../support/adminApi';
import { signInWithSms } from '../support/assurance';
import type { StrapiErrorBody, StrapiLoginBody } from '../support/strapiBodies';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { enrolTotp } from '../support/totpEnrolment';
import {
  type EnrolledUser,
  enrolSms,
  type Reauthentication,
  signUp,
  smsReauthentication,
  startLogin,
  uniquePhone,
  userWithSmsFactor,
} from '../support/twoFactor';
import { cookieHeader } from '../support/users';

/** A signed-in session: its access token and the cookie that refreshes it. */
interface Session {
  jwt: string;
  cookie: string;
}

const asSession = (login: { body: StrapiLoginBody; setCookies: string[] }): Session => ({
  jwt: login.body.jwt,
  cookie: cookieHeader(login.setCookies),
});

describe(`factor changes end the user's other sessions on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  let admin: TestAdmin;

  beforeAll(async () => {
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'refresh', UP_SESSIONS_HTTP_ONLY: 'true' } });
    admin = await createAdmin(app, await superAdminRole(app));
  });

  afterAll(async () => {
    await app?.stop();
  });

  const refresh = (session: Session) =>
    app.http.post<StrapiErrorBody>('/api/auth/refresh', {}, { cookie: session.cookie });

  /** Strapi's own answer to a refresh token whose session was ended. */
  async function expectEnded(session: Session): Promise<void> {
    const response = await refresh(session);
    expect(response.status).toBe(401);
    expect(response.body.error.message).toBe('Invalid refresh token');
  }

  async function expectAlive(session: Session): Promise<void> {
    const response = await refresh(session);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  }

  /** A user with an SMS factor and two sessions, each signed in with password + SMS. */
  async function twoSessions(): Promise<{ user: EnrolledUser; current: Session; other: Session }> {
    const user = await userWithSmsFactor(app);
    const other = asSession(await signInWithSms(app, user));
    const current = asSession(await signInWithSms(app, user));
    return { user, current, other };
  }

  it('should end the other sessions when two-step verification is turned on, and keep the current one', async () => {
    const user = await signUp(app);
    const password = async (): Promise<Session> => {
      const login = await startLogin(app, user);
      expect(login.status).toBe(200);
      return asSession(login as unknown as { body: StrapiLoginBody; setCookies: string[] });
    };
    const other = await password();
    const current = await password();
    await enrolSms(app, current.jwt);
    await expectEnded(other);
    await expectAlive(current);
  });

  it('should end the other sessions when a factor is added', async () => {
    const { user, current, other } = await twoSessions();
    await enrolTotp(app, current.jwt, await smsReauthentication(app, current.jwt, user.phone));
    await expectEnded(other);
    await expectAlive(current);
  });

  it('should end the other sessions when a factor is removed', async () => {
    // Authenticator codes throughout: no SMS, so the number's hourly budget is not in play.
    const user = await signUp(app);
    const { secret } = await enrolTotp(app, user.jwt);
    const freshTotp = (): Reauthentication => {
      moveToMidStep(app, 1);
      return { method: 'totp', code: authenticatorCode(secret, pluginStep(app)) };
    };
    const { factorId } = await enrolSms(app, user.jwt, uniquePhone(), freshTotp());
    const signIn = async (): Promise<Session> => {
      const step1 = await startLogin(app, user);
      expect(step1.body.challenge.method).toBe('totp');
      const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
        token: step1.body.challenge.token,
        ...freshTotp(),
      });
      expect(verified.status, JSON.stringify(verified.body)).toBe(200);
      return asSession(verified);
    };
    const other = await signIn();
    const current = await signIn();
    const removed = await app.http.post(`/api/two-factor/factors/${factorId}/remove`, freshTotp(), {
      jwt: current.jwt,
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    await expectEnded(other);
    await expectAlive(current);
  });

  it('should end the other sessions when recovery codes are regenerated', async () => {
    const { user, current, other } = await twoSessions();
    const regenerated = await app.http.post(
      '/api/two-factor/recovery-codes/regenerate',
      await smsReauthentication(app, current.jwt, user.phone),
      { jwt: current.jwt },
    );
    expect(regenerated.status, JSON.stringify(regenerated.body)).toBe(200);
    await expectEnded(other);
    await expectAlive(current);
  });

  it('should keep the current session after it was refreshed before the change', async () => {
    const { user, current, other } = await twoSessions();
    const rotated = await refresh(current);
    expect(rotated.status).toBe(200);
    const now: Session = { jwt: current.jwt, cookie: cookieHeader(rotated.setCookies) };
    const regenerated = await app.http.post(
      '/api/two-factor/recovery-codes/regenerate',
      await smsReauthentication(app, current.jwt, user.phone),
      { jwt: current.jwt },
    );
    expect(regenerated.status).toBe(200);
    await expectEnded(other);
    await expectAlive(now);
  });

  it('should end every session of the user on an admin reset', async () => {
    const { user, current, other } = await twoSessions();
    const response = await app.http.post(`/two-factor/users/${user.id}/reset`, {}, { jwt: admin.token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    await expectEnded(other);
    await expectEnded(current);
  });
});

describe(`endOtherSessionsOnFactorChange: false on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({
      env: {
        UP_JWT_MANAGEMENT: 'refresh',
        UP_SESSIONS_HTTP_ONLY: 'true',
        TWO_FACTOR_END_OTHER_SESSIONS_ON_FACTOR_CHANGE: 'false',
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should keep the other sessions when recovery codes are regenerated', async () => {
    const user = await userWithSmsFactor(app);
    const other = asSession(await signInWithSms(app, user));
    const current = asSession(await signInWithSms(app, user));
    const regenerated = await app.http.post(
      '/api/two-factor/recovery-codes/regenerate',
      await smsReauthentication(app, current.jwt, user.phone),
      { jwt: current.jwt },
    );
    expect(regenerated.status).toBe(200);
    const refreshed = await app.http.post('/api/auth/refresh', {}, { cookie: other.cookie });
    expect(refreshed.status).toBe(200);
  });
});
