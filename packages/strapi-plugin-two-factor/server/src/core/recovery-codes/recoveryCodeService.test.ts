import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryRecoveryCodeStore } from '../../platform/stores/memory/memoryRecoveryCodeStore';
import { createFakeClock } from '../../testing/testDoubles';
import type { SecretsService } from '../secrets/secretsService';
import { createRecoveryCodeService, RECOVERY_CODE_COUNT } from './recoveryCodeService';

const USER = 5;

function setup() {
  const key = randomBytes(32);
  const secrets: SecretsService = { codeHmacKey: () => key, encryptionKey: () => undefined };
  const store = createMemoryRecoveryCodeStore();
  return { store, service: createRecoveryCodeService({ store, clock: createFakeClock(), secrets }) };
}

describe('recoveryCodeService (in-memory store)', () => {
  it('should store only hashes and use each code once, for exactly one of parallel callers', async () => {
    const { service, store } = setup();
    const codes = await service.regenerate(USER);
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    const stored = await store.listUnused(USER);
    expect(stored.some((row) => codes.some((code) => row.codeHash.includes(code)))).toBe(false);
    const code = codes[0] ?? '';
    const uses = await Promise.all([service.consume(USER, code), service.consume(USER, code)]);
    expect(uses.filter(Boolean)).toHaveLength(1);
    expect(await service.consume(USER, code)).toBe(false);
    expect(await service.consume(USER + 1, codes[1] ?? '')).toBe(false);
    expect(await service.remaining(USER)).toBe(RECOVERY_CODE_COUNT - 1);
  });

  it('should void the old codes when regenerating, and every code on voidAll', async () => {
    const { service } = setup();
    const old = await service.regenerate(USER);
    const fresh = await service.regenerate(USER);
    expect(await service.consume(USER, old[0] ?? '')).toBe(false);
    expect(await service.remaining(USER)).toBe(RECOVERY_CODE_COUNT);
    await service.voidAll(USER);
    expect(await service.consume(USER, fresh[0] ?? '')).toBe(false);
    expect(await service.remaining(USER)).toBe(0);
  });
});
