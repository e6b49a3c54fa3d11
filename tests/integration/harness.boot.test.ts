import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiErrorBody } from '../support/strapiBodies';

const PLUGIN_TABLES = [
  'two_factor_factors',
  'two_factor_challenges',
  'two_factor_recovery_codes',
  'two_factor_trusted_devices',
  'two_factor_account_states',
  'two_factor_events',
];

describe(`example app on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should run on the database the project asked for, in its own fresh database', async () => {
    const client = app.strapi.db.dialect.client;
    const expected = { sqlite: 'sqlite', postgres: 'postgres', mysql: 'mysql' }[databaseUnderTest()];
    expect(client).toBe(expected);
    expect(app.database.name).toMatch(/two_factor_test_\d+_\d+_/);
  });

  it('should register the two-factor plugin with its validated defaults', () => {
    const plugin = app.strapi.plugin('two-factor');
    expect(plugin).toBeDefined();
    const config = plugin.service('settings').config();
    expect(config.codeLength).toBe(6);
    expect(config.codeLifetimeSeconds).toBe(300);
    expect(config.sms.provider).toBe('twilio');
  });

  it('should create every plugin table', async () => {
    for (const table of PLUGIN_TABLES) {
      expect(await app.strapi.db.connection.schema.hasTable(table), table).toBe(true);
    }
  });

  it('should let the database refuse a second active SMS factor with the same number', async () => {
    const factors = app.strapi.db.query('plugin::two-factor.factor');
    await factors.create({
      data: { userId: 1, type: 'sms', status: 'active', phone: '+14155550100', claimedPhone: '+14155550100' },
    });
    await expect(
      factors.create({
        data: { userId: 2, type: 'sms', status: 'active', phone: '+14155550100', claimedPhone: '+14155550100' },
      }),
    ).rejects.toThrow();
    // Pending factors leave claimedPhone empty and never collide.
    await factors.create({ data: { userId: 3, type: 'sms', status: 'pending', phone: '+14155550100' } });
    await factors.create({ data: { userId: 4, type: 'sms', status: 'pending', phone: '+14155550100' } });
  });

  it("should serve the content API over HTTP with Strapi's permission checks", async () => {
    const response = await app.http.get<StrapiErrorBody>('/api/users/me');
    expect(response.status).toBe(403);
    expect(response.body.error.name).toBe('ForbiddenError');
  });
});
