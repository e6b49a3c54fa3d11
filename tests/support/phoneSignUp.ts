import { randomBytes } from 'node:crypto';
import type { PhoneVerification } from '@strapi-two-factor/contract';
import type { ExampleApp, HttpResponse } from '@strapi-two-factor/test-utils';
import { expect } from 'vitest';
import type { StrapiLoginBody } from './strapiBodies';

export type VerificationBody = PhoneVerification;

export function newUsername(prefix = 'phone'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export async function registerWithPhone(
  app: ExampleApp,
  body: Record<string, unknown>,
): Promise<HttpResponse<VerificationBody>> {
  return app.http.post<VerificationBody>('/api/two-factor/phone/register', body);
}

/** Register → SMS → verify, the whole phone sign-up; returns the login body. */
export async function signUpWithPhone(
  app: ExampleApp,
  phone: string,
  username = newUsername(),
): Promise<StrapiLoginBody> {
  const registered = await registerWithPhone(app, { username, phone });
  expect(registered.status, JSON.stringify(registered.body)).toBe(200);
  const code = await app.sms.lastCode(phone);
  const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/phone/verify', { phone, code });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  return verified.body;
}
