import { startExampleApp } from '@strapi-two-factor/test-utils';
import { describe, expect, it } from 'vitest';

describe('plugin configuration at start-up', () => {
  it('should stop Strapi with a message naming the bad option', async () => {
    await expect(startExampleApp({ env: { TWO_FACTOR_CODE_LIFETIME_SECONDS: '900' } })).rejects.toThrow(
      'Error regarding two-factor config: option "codeLifetimeSeconds": Too big: expected number to be <=600 (got 900)',
    );
  });

  it('should stop Strapi when the Twilio provider has no credentials', async () => {
    await expect(startExampleApp({ env: { TWILIO_AUTH_TOKEN: '' } })).rejects.toThrow(
      'option "sms.twilio.authToken" is required when sms.provider is "twilio"',
    );
  });
});

describe('test databases', () => {
  it('should boot on a database of its own and drop it afterwards', async () => {
    const app = await startExampleApp();
    expect(await app.database.exists()).toBe(true);
    const users = await app.strapi.db.query('plugin::users-permissions.user').count();
    expect(users).toBe(0);
    await app.stop();
    expect(await app.database.exists()).toBe(false);
  });
});
