import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveToMidStep } from '../support/totp';
import type { TotpActivateBody, TotpSetupBody } from '../support/totpEnrolment';
import { signUp } from '../support/twoFactor';

const USER_UID = 'plugin::users-permissions.user';

/**
 * The otpauth URI as an authenticator app reads it, checked with an outside parser
 * (`otpauth`), under an app name with a space.
 */
describe(`otpauth URIs read by another library on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { TWO_FACTOR_APP_NAME: 'Acme Co' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function setUpTotp(jwt: string): Promise<{ setup: TotpSetupBody; totp: OTPAuth.TOTP }> {
    const setup = await app.http.post<TotpSetupBody>('/api/two-factor/totp/setup', {}, { jwt });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const parsed = OTPAuth.URI.parse(setup.body.otpauthUri);
    if (!(parsed instanceof OTPAuth.TOTP)) throw new Error(`Not a TOTP URI: ${setup.body.otpauthUri}`);
    return { setup: setup.body, totp: parsed };
  }

  it('should name the issuer "Acme Co", percent-encoded, not "Acme+Co"', async () => {
    const user = await signUp(app);
    const { setup, totp } = await setUpTotp(user.jwt);
    expect(totp.issuer).toBe('Acme Co');
    expect(totp.label).toBe(user.email);
    expect(setup.otpauthUri).toContain('issuer=Acme%20Co');
    expect(setup.otpauthUri).not.toContain('+');
  });

  it('should keep the issuer right for a username that holds a colon', async () => {
    const user = await signUp(app, 'ops');
    // A user known by username only (phone sign-up leaves email empty): the label is the
    // username, which users-permissions lets hold a colon.
    const username = `ops:${user.username}`;
    await app.strapi.db.query(USER_UID).update({ where: { id: user.id }, data: { username, email: null } });
    const { setup, totp } = await setUpTotp(user.jwt);
    expect(totp.issuer).toBe('Acme Co');
    // One colon in the label, the issuer's: the username's own colon cannot move the split.
    const label = decodeURIComponent(new URL(setup.otpauthUri).pathname.slice(1));
    expect(label.split(':')).toHaveLength(2);
    expect(label.startsWith('Acme Co:')).toBe(true);
    expect(totp.label).toBe(username.replace(':', '\uFF1A'));
  });

  it('should activate the factor with a code the outside library computes from the parsed secret', async () => {
    const user = await signUp(app);
    const { setup, totp } = await setUpTotp(user.jwt);
    expect(totp.secret.base32).toBe(setup.secret);
    expect({ algorithm: totp.algorithm, digits: totp.digits, period: totp.period }).toEqual({
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
    moveToMidStep(app);
    const now: Date = app.strapi.plugin('two-factor').service('clock').now();
    const code = totp.generate({ timestamp: now.getTime() });
    const activate = await app.http.post<TotpActivateBody>(
      '/api/two-factor/totp/activate',
      { factorId: setup.factorId, code },
      { jwt: user.jwt },
    );
    expect(activate.status, JSON.stringify(activate.body)).toBe(200);
    expect(activate.body.factor.type).toBe('totp');
  });
});
