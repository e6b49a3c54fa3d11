import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { enrolTotp } from '../support/totpEnrolment';
import { errorCode, signUp, startLogin } from '../support/twoFactor';

const VERIFY = '/api/two-factor/challenge/verify';

describe(`recovery codes on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function userWithCodes() {
    const user = await signUp(app);
    const enrolled = await enrolTotp(app, user.jwt);
    return { ...user, ...enrolled, recoveryCodes: enrolled.recoveryCodes ?? [] };
  }

  async function signInWithRecoveryCode(user: { username: string; password: string }, code: string) {
    const step1 = await startLogin(app, user);
    return app.http.post<StrapiLoginBody>(VERIFY, { token: step1.body.challenge.token, method: 'recovery_code', code });
  }

  const remaining = async (jwt: string): Promise<number> =>
    (await app.http.get<{ recoveryCodesRemaining: number }>('/api/two-factor/me', { jwt })).body.recoveryCodesRemaining;

  it('should sign in with a recovery code once, and refuse it the second time', async () => {
    const user = await userWithCodes();
    const [code] = user.recoveryCodes;
    const first = await signInWithRecoveryCode(user, code ?? '');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await remaining(first.body.jwt)).toBe(9);
    const second = await signInWithRecoveryCode(user, code ?? '');
    expect(second.status).toBe(400);
    expect(errorCode(second)).toBe('INVALID_CODE');
  });

  it('should read a code typed in lower case without its dash', async () => {
    const user = await userWithCodes();
    const typed = (user.recoveryCodes[1] ?? '').toLowerCase().replace('-', '');
    expect((await signInWithRecoveryCode(user, typed)).status).toBe(200);
  });

  it('should give exactly one token for 10 parallel uses of one code', async () => {
    const user = await userWithCodes();
    const code = user.recoveryCodes[2] ?? '';
    const challenges = await Promise.all(Array.from({ length: 10 }, () => startLogin(app, user)));
    const results = await Promise.all(
      challenges.map((c) => app.http.post(VERIFY, { token: c.body.challenge.token, method: 'recovery_code', code })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('should store codes only as salted hashes', async () => {
    const user = await userWithCodes();
    const rows = (await app.strapi.db
      .query('plugin::two-factor.recovery-code')
      .findMany({ where: { userId: user.id } })) as {
      codeHash: string;
    }[];
    expect(rows).toHaveLength(10);
    const salts = new Set(rows.map((r) => r.codeHash.split('.')[0]));
    expect(salts.size).toBe(10);
    const dump = JSON.stringify(rows);
    for (const code of user.recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace('-', ''));
    }
  });

  it('should refuse regeneration without a fresh code', async () => {
    const user = await userWithCodes();
    const none = await app.http.post('/api/two-factor/recovery-codes/regenerate', {}, { jwt: user.jwt });
    expect(none.status).toBe(400);
    expect(errorCode(none)).toBe('INVALID_INPUT');
    const wrong = await app.http.post(
      '/api/two-factor/recovery-codes/regenerate',
      { method: 'totp', code: '000000' },
      { jwt: user.jwt },
    );
    expect(errorCode(wrong)).toBe('INVALID_CODE');
    expect(await remaining(user.jwt)).toBe(10);
  });

  it('should regenerate with a fresh code and void every old code', async () => {
    const user = await userWithCodes();
    moveToMidStep(app);
    const regenerated = await app.http.post<{ recoveryCodes: string[] }>(
      '/api/two-factor/recovery-codes/regenerate',
      { method: 'totp', code: authenticatorCode(user.secret, pluginStep(app)) },
      { jwt: user.jwt },
    );
    expect(regenerated.status, JSON.stringify(regenerated.body)).toBe(200);
    expect(regenerated.body.recoveryCodes).toHaveLength(10);
    expect(regenerated.body.recoveryCodes).not.toContain(user.recoveryCodes[0]);
    expect(errorCode(await signInWithRecoveryCode(user, user.recoveryCodes[0] ?? ''))).toBe('INVALID_CODE');
    expect((await signInWithRecoveryCode(user, regenerated.body.recoveryCodes[0] ?? '')).status).toBe(200);
  });
});
