import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userWithSmsFactor } from '../support/twoFactor';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

describe(`unknown identifiers on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should answer an unknown identifier exactly like a wrong password', async () => {
    const unknown = await app.http.post('/api/auth/local', {
      identifier: 'nobody@example.test',
      password: 'whatever-1',
    });
    const user = await userWithSmsFactor(app);
    const wrong = await app.http.post('/api/auth/local', { identifier: user.username, password: 'whatever-1' });
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('should spend a password check on unknown identifiers (median within half of a wrong password)', async () => {
    const user = await userWithSmsFactor(app);
    const time = async (identifier: string): Promise<number> => {
      const started = performance.now();
      await app.http.post('/api/auth/local', { identifier, password: 'not-the-password' });
      return performance.now() - started;
    };
    const unknownTimes: number[] = [];
    const wrongTimes: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      unknownTimes.push(await time(`nobody-${i}@example.test`));
      wrongTimes.push(await time(user.username));
    }
    const ratio = median(unknownTimes) / median(wrongTimes);
    process.stdout.write(`[enumeration] unknown/wrong-password median ratio: ${ratio.toFixed(2)}\n`);
    // Without the dummy bcrypt an unknown identifier answers ~20x faster (ratio ≈ 0.05).
    expect(ratio).toBeGreaterThan(0.5);
  });
});
