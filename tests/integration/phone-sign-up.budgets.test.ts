import { databaseUnderTest, type ExampleApp, type HttpResponse, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpWithPhone } from '../support/phoneSignUp';
import type { StrapiErrorBody } from '../support/strapiBodies';
import { errorCode, uniquePhone } from '../support/twoFactor';

/**
 * The same answer for both numbers but for the wait: it counts from the start of each
 * budget's window and is rounded up to seconds, so two refusals a few milliseconds apart
 * (or two windows started a sign-up apart) may say 3600 and 3599.
 */
function expectSameRefusal(a: HttpResponse<unknown>, b: HttpResponse<unknown>): void {
  const waits = [a, b].map((response) => Number((response.body as StrapiErrorBody).error.details.retryAfterSeconds));
  for (const wait of waits) expect(wait).toBeGreaterThan(3500);
  expect(Math.abs((waits[0] ?? 0) - (waits[1] ?? 0))).toBeLessThanOrEqual(1);
  const withoutWait = (body: unknown): unknown =>
    JSON.parse(JSON.stringify(body), (key, value: unknown) => (key === 'retryAfterSeconds' ? undefined : value));
  expect(withoutWait(a.body)).toEqual(withoutWait(b.body));
}

describe(`SMS budgets on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should refuse the 11th SMS to one number within an hour, known or unknown alike', async () => {
    const known = uniquePhone();
    await signUpWithPhone(app, known); // the sign-up code is the first SMS
    const unknown = uniquePhone();
    await app.http.post('/api/two-factor/phone/login', { phone: unknown }); // charged like a send
    for (let i = 2; i <= 10; i += 1) {
      expect((await app.http.post('/api/two-factor/phone/login', { phone: known })).status).toBe(200);
      expect((await app.http.post('/api/two-factor/phone/login', { phone: unknown })).status).toBe(200);
    }
    const knownEleventh = await app.http.post('/api/two-factor/phone/login', { phone: known });
    const unknownEleventh = await app.http.post('/api/two-factor/phone/login', { phone: unknown });
    for (const response of [knownEleventh, unknownEleventh]) {
      expect(response.status).toBe(429);
      expect(errorCode(response)).toBe('SMS_BUDGET_EXCEEDED');
    }
    expectSameRefusal(knownEleventh, unknownEleventh);
    await app.strapi.plugin('two-factor').service('sms').drain();
    expect(await app.sms.messages(known)).toHaveLength(10);
    expect(await app.sms.messages(unknown)).toHaveLength(0);
  });
});

describe(`the global SMS budget on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { TWO_FACTOR_MAX_SMS_PER_HOUR: '3' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should stop all sends once spent, for every number, without telling numbers apart', async () => {
    const known = uniquePhone();
    await signUpWithPhone(app, known); // 1
    expect((await app.http.post('/api/two-factor/phone/login', { phone: known })).status).toBe(200); // 2
    expect((await app.http.post('/api/two-factor/phone/login', { phone: uniquePhone() })).status).toBe(200); // 3
    const knownRefused = await app.http.post('/api/two-factor/phone/login', { phone: known });
    const unknownRefused = await app.http.post('/api/two-factor/phone/login', { phone: uniquePhone() });
    expect(errorCode(knownRefused)).toBe('SMS_BUDGET_EXCEEDED');
    expectSameRefusal(knownRefused, unknownRefused);
    const register = await app.http.post('/api/two-factor/phone/register', {
      username: 'budget_user',
      phone: uniquePhone(),
    });
    expect(errorCode(register)).toBe('SMS_BUDGET_EXCEEDED');
  });
});

describe(`the per-IP SMS budget on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { TWO_FACTOR_MAX_SMS_PER_IP_PER_HOUR: '4' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should stop the phone routes from sending for one address once its budget is spent', async () => {
    for (let i = 0; i < 4; i += 1) {
      expect((await app.http.post('/api/two-factor/phone/login', { phone: uniquePhone() })).status).toBe(200);
    }
    const refused = await app.http.post('/api/two-factor/phone/login', { phone: uniquePhone() });
    expect(refused.status).toBe(429);
    expect(errorCode(refused)).toBe('SMS_BUDGET_EXCEEDED');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
