import type { TrustedDeviceToken } from '@strapi-two-factor/contract';
import type { ExampleApp, HttpResponse } from '@strapi-two-factor/test-utils';
import { expect } from 'vitest';
import type { StrapiLoginBody } from './strapiBodies';
import { type EnrolledUser, loginChallenge } from './twoFactor';

/** A jwt's payload, decoded here (base64url JSON), not by the plugin's code. */
export function jwtPayload(jwt: string): Record<string, unknown> {
  const [, payload] = jwt.split('.');
  if (payload === undefined) throw new Error(`Not a JWT: ${jwt}`);
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The plugin's clock now, in seconds since the epoch (tests move it). */
export function pluginNowSeconds(app: ExampleApp): number {
  const now: Date = app.strapi.plugin('two-factor').service('clock').now();
  return Math.floor(now.getTime() / 1000);
}

/** Asserts `auth_time` is the plugin's "now", give or take the request's few seconds. */
export function expectAuthTimeNow(app: ExampleApp, payload: Record<string, unknown>): void {
  expect(payload.auth_time).toEqual(expect.any(Number));
  expect(Math.abs((payload.auth_time as number) - pluginNowSeconds(app))).toBeLessThanOrEqual(5);
}

export interface TrustedLoginBody extends StrapiLoginBody {
  trustedDevice: TrustedDeviceToken;
}

/** Password + SMS with `trustDevice`, then a password sign-in from that device (no code). */
export async function signInFromTrustedDevice(
  app: ExampleApp,
  user: EnrolledUser,
): Promise<HttpResponse<TrustedLoginBody>> {
  const { token, code } = await loginChallenge(app, user);
  const trusted = await app.http.post<TrustedLoginBody>('/api/two-factor/challenge/verify', {
    token,
    method: 'sms',
    code,
    trustDevice: true,
  });
  expect(trusted.status, JSON.stringify(trusted.body)).toBe(200);
  const again = await app.http.post<TrustedLoginBody>(
    '/api/auth/local',
    { identifier: user.username, password: user.password },
    { headers: { 'x-two-factor-device': trusted.body.trustedDevice.token } },
  );
  expect(again.status, JSON.stringify(again.body)).toBe(200);
  expect(again.body.jwt).toEqual(expect.any(String));
  return again;
}

/** Password + SMS code: the two-step sign-in's full response. */
export async function signInWithSms(app: ExampleApp, user: EnrolledUser): Promise<HttpResponse<StrapiLoginBody>> {
  const { token, code } = await loginChallenge(app, user);
  const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
    token,
    method: 'sms',
    code,
  });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  return verified;
}
