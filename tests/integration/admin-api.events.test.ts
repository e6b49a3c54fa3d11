import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminEventRow, createAdmin, type Page, superAdminRole, type TestAdmin } from '../support/adminApi';
import { errorCode, loginChallenge, signUp, travel, userWithSmsFactor, wrongCode } from '../support/twoFactor';

const DAY_SECONDS = 24 * 60 * 60;

describe(`admin API: audit log on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  let admin: TestAdmin;

  beforeAll(async () => {
    // Behind a proxy, so a test can say which client address a request comes from.
    app = await startExampleApp({ env: { IS_PROXIED: 'true', PROXY_HOPS: '1' } });
    admin = await createAdmin(app, await superAdminRole(app));
  });

  afterAll(async () => {
    await app?.stop();
  });

  const record = (type: string, userId: number | null, details: Record<string, unknown> = {}): Promise<void> =>
    app.strapi.plugin('two-factor').service('events').record(type, userId, details);

  /** Records one event `days` ago on the plugin's clock. */
  const recordDaysAgo = async (days: number, type: string, userId: number): Promise<void> => {
    travel(app, -days * DAY_SECONDS);
    try {
      await record(type, userId);
    } finally {
      travel(app, days * DAY_SECONDS);
    }
  };

  const events = async (query: string): Promise<Page<AdminEventRow>> => {
    const response = await app.http.get<Page<AdminEventRow>>(`/two-factor/events?${query}`, { jwt: admin.token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  it('should list events newest first', async () => {
    const user = await signUp(app, 'ordered');
    for (const type of ['sign-in.failed', 'account.locked', 'account.unlocked']) await record(type, user.id);
    const { results } = await events(`userId=${user.id}`);
    expect(results.map((event) => event.type)).toEqual(['account.unlocked', 'account.locked', 'sign-in.failed']);
  });

  it("should keep the client's address of the request behind an event, and none outside a request", async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    const wrong = await app.http.post(
      '/api/two-factor/challenge/verify',
      { token, method: 'sms', code: wrongCode(code) },
      { headers: { 'x-forwarded-for': '198.51.100.23' } },
    );
    expect(errorCode(wrong)).toBe('INVALID_CODE');
    await record('sign-in.succeeded', user.id, { method: 'sms' });
    const { results } = await events(`userId=${user.id}`);
    expect(results.find((event) => event.type === 'sign-in.failed')).toMatchObject({
      ip: '198.51.100.23',
      actor: null,
    });
    expect(results.find((event) => event.type === 'sign-in.succeeded')?.ip).toBeNull();
  });

  it('should filter events by type', async () => {
    const user = await signUp(app, 'typed');
    await record('sign-in.failed', user.id);
    await record('sign-in.succeeded', user.id, { method: 'sms' });
    const { results } = await events('type=sign-in.succeeded');
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((event) => event.type === 'sign-in.succeeded')).toBe(true);
    expect(results.find((event) => event.userId === user.id)?.details).toEqual({ method: 'sms' });
  });

  it('should filter events by user', async () => {
    const [first, second] = [await signUp(app, 'first'), await signUp(app, 'second')];
    await record('sign-in.failed', first.id);
    await record('sign-in.failed', second.id);
    const { results } = await events(`userId=${first.id}`);
    expect(results.map((event) => event.userId)).toEqual([first.id]);
  });

  it('should filter events by a date range, the end date included', async () => {
    const user = await signUp(app, 'dated');
    await recordDaysAgo(10, 'sign-in.failed', user.id);
    await recordDaysAgo(5, 'account.locked', user.id);
    await record('account.unlocked', user.id);
    const now = app.strapi.plugin('two-factor').service('clock').now() as Date;
    const day = (daysAgo: number): string =>
      new Date(now.getTime() - daysAgo * DAY_SECONDS * 1000).toISOString().slice(0, 10);
    const range = await events(`userId=${user.id}&from=${day(7)}&to=${day(5)}`);
    expect(range.results.map((event) => event.type)).toEqual(['account.locked']);
    const since = await events(
      `userId=${user.id}&from=${encodeURIComponent(new Date(now.getTime() - 60_000).toISOString())}`,
    );
    expect(since.results.map((event) => event.type)).toEqual(['account.unlocked']);
  });

  it('should page through the events with their total', async () => {
    const user = await signUp(app, 'paged');
    for (let index = 0; index < 5; index += 1) await record('sign-in.failed', user.id, { index });
    const second = await events(`userId=${user.id}&pageSize=2&page=2`);
    expect(second.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 3, total: 5 });
    expect(second.results.map((event) => event.details.index)).toEqual([2, 1]);
  });

  it('should refuse malformed filters with INVALID_INPUT', async () => {
    for (const query of [
      'userId=abc',
      'from=yesterday',
      'to=2025-13-45',
      'type=DROP%20TABLE',
      'page=0',
      'from=2025-02-01&to=2025-01-01',
    ]) {
      const response = await app.http.get(`/two-factor/events?${query}`, { jwt: admin.token });
      expect(response.status, query).toBe(400);
      expect(errorCode(response)).toBe('INVALID_INPUT');
    }
  });

  it('should prune events older than the retention period and keep the rest', async () => {
    const user = await signUp(app, 'pruned');
    await recordDaysAgo(91, 'sign-in.failed', user.id);
    await recordDaysAgo(89, 'account.locked', user.id);
    const pruned = await app.strapi.plugin('two-factor').service('adminEvents').pruneEvents();
    expect(pruned).toBeGreaterThanOrEqual(1);
    const { results } = await events(`userId=${user.id}`);
    expect(results.map((event) => event.type)).toEqual(['account.locked']);
  });
});
