import { randomInt } from 'node:crypto';
import type { ChallengeAnswer, ReauthenticationBody } from '@strapi-two-factor/contract';
import type { ExampleApp, HttpResponse } from '@strapi-two-factor/test-utils';
import { expect } from 'vitest';
import type { StrapiErrorBody, StrapiLoginBody } from './strapiBodies';
import { type NewUser, newUser } from './users';

// Never 415 or 312: tests write numbers such as +14155550142 and (312) 555-0150 literally,
// and a drawn number equal to one of them would already be taken in that test's database.
const AREA_CODES = ['202', '212', '617', '702', '206', '303', '305', '404', '512', '646'];
const usedPhones = new Set<string>();

/** A valid US number (the fictional 555-01xx range) no other test in this process uses. */
export function uniquePhone(): string {
  for (;;) {
    const phone = `+1${AREA_CODES[randomInt(AREA_CODES.length)]}55501${String(randomInt(100)).padStart(2, '0')}`;
    if (!usedPhones.has(phone)) {
      usedPhones.add(phone);
      return phone;
    }
  }
}

/** The plugin's answer to a password sign-in that needs step 2. */
export type ChallengeBody = ChallengeAnswer;

export interface EnrolledUser extends NewUser {
  id: number;
  /** The jwt of the sign-up, from before the factor existed. */
  jwt: string;
  phone: string;
}

/** Registers a user through `/api/auth/local/register` and returns its first jwt. */
export async function signUp(app: ExampleApp, prefix?: string): Promise<NewUser & { id: number; jwt: string }> {
  const user = newUser(prefix);
  const response = await app.http.post<StrapiLoginBody>('/api/auth/local/register', user);
  expect(response.status).toBe(200);
  return { ...user, id: response.body.user.id, jwt: response.body.jwt };
}

/** A fresh code from a factor the user holds, as a sensitive change's body carries it. */
export type Reauthentication = Extract<ReauthenticationBody, { code: string }>;

/** Asks `step-up/send` for an SMS code to the user's active number and reads it there. */
export async function smsReauthentication(app: ExampleApp, jwt: string, phone: string): Promise<Reauthentication> {
  const sent = await app.http.post('/api/two-factor/step-up/send', { method: 'sms' }, { jwt });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  return { method: 'sms', code: await app.sms.lastCode(phone) };
}

/**
 * Enrols an SMS factor through the self-service routes, reading the code at the Twilio
 * server. `reauth` is needed when the user already has an active factor.
 */
export async function enrolSms(
  app: ExampleApp,
  jwt: string,
  phone = uniquePhone(),
  reauth?: Reauthentication,
): Promise<{ factorId: number; phone: string }> {
  const setup = await app.http.post<{ factorId: number }>('/api/two-factor/sms/setup', { phone, ...reauth }, { jwt });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  const code = await app.sms.lastCode(phone);
  const activate = await app.http.post(
    '/api/two-factor/sms/activate',
    { factorId: setup.body.factorId, code },
    { jwt },
  );
  expect(activate.status, JSON.stringify(activate.body)).toBe(200);
  // The "phone number was added" notice leaves after the response: delivered before the
  // caller counts this number's SMS.
  await app.strapi.plugin('two-factor').service('sms').drain();
  return { factorId: setup.body.factorId, phone };
}

/** A user with an active SMS factor. */
export async function userWithSmsFactor(app: ExampleApp, phone = uniquePhone()): Promise<EnrolledUser> {
  const user = await signUp(app);
  await enrolSms(app, user.jwt, phone);
  return { ...user, phone };
}

export async function startLogin(
  app: ExampleApp,
  user: Pick<NewUser, 'username' | 'password'>,
  extra: Record<string, unknown> = {},
): Promise<HttpResponse<ChallengeBody>> {
  return app.http.post<ChallengeBody>('/api/auth/local', {
    identifier: user.username,
    password: user.password,
    ...extra,
  });
}

/** Step 1, then waits for the SMS that leaves after the response and returns its code. */
export async function loginChallenge(app: ExampleApp, user: EnrolledUser): Promise<{ token: string; code: string }> {
  const before = (await app.sms.messages(user.phone)).length;
  const response = await startLogin(app, user);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body.mfaRequired).toBe(true);
  await waitForSms(app, user.phone, before + 1);
  return { token: response.body.challenge.token, code: await app.sms.lastCode(user.phone) };
}

/** Resolves once `count` SMS have reached `phone` (sends after the response are asynchronous). */
export async function waitForSms(app: ExampleApp, phone: string, count: number): Promise<void> {
  await app.strapi.plugin('two-factor').service('sms').drain();
  const messages = await app.sms.messages(phone);
  expect(messages.length, `SMS to ${phone}`).toBeGreaterThanOrEqual(count);
}

export function wrongCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

export function errorCode(response: HttpResponse<unknown>): unknown {
  return (response.body as StrapiErrorBody).error?.details?.code;
}

/** Moves the plugin's clock; nothing sleeps. */
export function travel(app: ExampleApp, seconds: number): void {
  app.strapi
    .plugin('two-factor')
    .service('clock')
    .travel(seconds * 1000);
}
