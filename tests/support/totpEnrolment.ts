import type { FactorActivation, TotpSetup } from '@strapi-two-factor/contract';
import type { ExampleApp } from '@strapi-two-factor/test-utils';
import { expect } from 'vitest';
import { authenticatorCode, moveToMidStep, pluginStep } from './totp';
import type { Reauthentication } from './twoFactor';

export type TotpSetupBody = TotpSetup;

export type TotpActivateBody = FactorActivation;

/**
 * Adds an authenticator app through setup + activate with a code computed from the secret.
 * `reauth` is needed when the user already has an active factor.
 */
export async function enrolTotp(
  app: ExampleApp,
  jwt: string,
  reauth?: Reauthentication,
): Promise<{ secret: string; factorId: number; recoveryCodes?: string[] }> {
  const setup = await app.http.post<TotpSetupBody>('/api/two-factor/totp/setup', { ...reauth }, { jwt });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  moveToMidStep(app);
  const code = authenticatorCode(setup.body.secret, pluginStep(app));
  const activate = await app.http.post<TotpActivateBody>(
    '/api/two-factor/totp/activate',
    { factorId: setup.body.factorId, code },
    { jwt },
  );
  expect(activate.status, JSON.stringify(activate.body)).toBe(200);
  // The "authenticator app was added" notice leaves after the response: delivered before
  // the caller counts the user's SMS.
  await app.strapi.plugin('two-factor').service('sms').drain();
  // Leave the step used by activation behind, so the next code is fresh.
  moveToMidStep(app, 1);
  return { secret: setup.body.secret, factorId: setup.body.factorId, recoveryCodes: activate.body.recoveryCodes };
}
