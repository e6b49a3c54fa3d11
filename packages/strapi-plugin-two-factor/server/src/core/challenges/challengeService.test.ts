import { describe, expect, it } from 'vitest';
import { buildFlows, type Flows, USER } from '../../testing/buildFlows';
import type { ChallengeRow } from './challengeService';

/** A sign-in challenge with its first SMS code, as step 1 opens one. */
async function signIn(flows: Flows): Promise<{ challenge: ChallengeRow; code: string }> {
  const { challenge, issued } = await flows.challenges.create({
    purpose: 'login',
    userId: USER,
    method: 'sms',
    phone: '+15005550006',
    withFirstCode: true,
  });
  if (issued?.code === undefined) throw new Error('expected a code of our own');
  return { challenge, code: issued.code };
}

function wrong(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { details?: { code?: string } }).details?.code;
  }
}

describe('judging a code (challenge service on in-memory stores)', () => {
  it('should pass the right code once and refuse it a second time with CHALLENGE_USED', async () => {
    const flows = buildFlows();
    const { challenge, code } = await signIn(flows);
    const passed = await flows.challenges.verify(challenge, 'sms', code);
    expect(passed.consumedAt).not.toBeNull();
    expect(await codeOf(flows.challenges.verify(challenge, 'sms', code))).toBe('CHALLENGE_USED');
  });

  it('should count down attemptsRemaining and refuse the attempt after maxAttemptsPerChallenge', async () => {
    const flows = buildFlows();
    const { maxAttemptsPerChallenge } = flows.settings.config();
    expect(maxAttemptsPerChallenge).toBe(5);
    const { challenge, code } = await signIn(flows);
    for (let left = maxAttemptsPerChallenge - 1; left >= 0; left -= 1) {
      await expect(flows.challenges.verify(challenge, 'sms', wrong(code))).rejects.toMatchObject({
        details: { code: 'INVALID_CODE', attemptsRemaining: left },
      });
    }
    // The cap holds even for the right code: a code tried past it cannot be told right.
    expect(await codeOf(flows.challenges.verify(challenge, 'sms', code))).toBe('TOO_MANY_ATTEMPTS');
  });

  // 50 parallel wrong codes: below, settled both ways.

  it('should let one right code among 50 parallel attempts pass once, and refuse the rest', async () => {
    const flows = buildFlows();
    const { challenge, code } = await signIn(flows);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        codeOf(flows.challenges.verify(challenge, 'sms', index === 3 ? code : wrong(code))),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(1);
    // The right code is among the first five: it is judged, whatever the others' order.
    expect(outcomes.filter((outcome) => outcome === 'INVALID_CODE').length).toBeLessThanOrEqual(4);
    expect(outcomes.every((outcome) => ['INVALID_CODE', 'CHALLENGE_USED', undefined].includes(outcome))).toBe(true);
    expect(flows.challengeStore.rows()[0]?.consumedAt).not.toBeNull();
  });

  it('should refuse a code past codeLifetimeSeconds with CODE_EXPIRED, without spending an attempt', async () => {
    const flows = buildFlows({ codeLifetimeSeconds: 120 });
    const { challenge, code } = await signIn(flows);
    flows.clock.travel(120_000);
    expect(await codeOf(flows.challenges.verify(challenge, 'sms', code))).toBe('CODE_EXPIRED');
    expect(flows.challengeStore.rows()[0]?.attempts).toBe(0);
  });

  it('should refuse a code of the wrong shape with INVALID_INPUT before any attempt counts', async () => {
    const flows = buildFlows();
    const { challenge } = await signIn(flows);
    expect(await codeOf(flows.challenges.verify(challenge, 'sms', '12a456'))).toBe('INVALID_INPUT');
    expect(await codeOf(flows.challenges.verify(challenge, 'email', '123456'))).toBe('METHOD_NOT_AVAILABLE');
    expect(flows.challengeStore.rows()[0]?.attempts).toBe(0);
  });

  it('should take a recovery code once, and record its use', async () => {
    const flows = buildFlows();
    const [recoveryCode] = await flows.recoveryCodes.regenerate(USER);
    if (recoveryCode === undefined) throw new Error('expected recovery codes');
    const first = await signIn(flows);
    await flows.challenges.verify(first.challenge, 'recovery_code', recoveryCode);
    const second = await signIn(flows);
    await expect(flows.challenges.verify(second.challenge, 'recovery_code', recoveryCode)).rejects.toMatchObject({
      details: { code: 'INVALID_CODE' },
    });
    expect(flows.eventStore.all().filter((event) => event.type === 'recovery-code.used')).toHaveLength(1);
  });
});

describe('lock-out across challenges (challenge and account-state services)', () => {
  it('should lock the account at maxConsecutiveFailures wrong codes, tell the owner, and lift it after lockoutSeconds', async () => {
    const flows = buildFlows({ maxConsecutiveFailures: 7, lockoutSeconds: 600 });
    let outcome: string | undefined;
    for (let wrongCodes = 1; wrongCodes <= 7; wrongCodes += 1) {
      const { challenge, code } = await signIn(flows);
      outcome = await codeOf(flows.challenges.verify(challenge, 'sms', wrong(code)));
      if (wrongCodes < 7) expect(outcome).toBe('INVALID_CODE');
    }
    expect(outcome).toBe('ACCOUNT_LOCKED');
    expect(flows.notices).toHaveLength(1);
    // Locked: even the right code is refused, and it spends no attempt of the challenge.
    const locked = await signIn(flows);
    expect(await codeOf(flows.challenges.verify(locked.challenge, 'sms', locked.code))).toBe('ACCOUNT_LOCKED');
    expect(flows.challengeStore.rows().at(-1)?.attempts).toBe(0);
    flows.clock.travel(600_000);
    const after = await signIn(flows);
    await expect(flows.challenges.verify(after.challenge, 'sms', after.code)).resolves.toMatchObject({ userId: USER });
  });

  it('should start the count over after a right code', async () => {
    const flows = buildFlows({ maxConsecutiveFailures: 3 });
    for (let round = 0; round < 3; round += 1) {
      const { challenge, code } = await signIn(flows);
      await codeOf(flows.challenges.verify(challenge, 'sms', wrong(code)));
      await codeOf(flows.challenges.verify(challenge, 'sms', wrong(code)));
      await flows.challenges.verify(challenge, 'sms', code);
    }
    expect(flows.notices).toHaveLength(0);
  });
});

describe('send budgets (challenge service)', () => {
  it('should refuse a resend within resendCooldownSeconds and allow it after, with a new code', async () => {
    const flows = buildFlows({ resendCooldownSeconds: 30 });
    const { challenge, code } = await signIn(flows);
    await expect(flows.challenges.issueCode(challenge)).rejects.toMatchObject({
      details: { code: 'RESEND_TOO_SOON', retryAfterSeconds: 30 },
    });
    flows.clock.travel(30_000);
    const issued = await flows.challenges.issueCode(challenge);
    const latest = (await flows.challenges.findNewestOpen({ userId: USER }, 'login')) as ChallengeRow;
    // A resend invalidates the previous code.
    if (issued.code !== code) {
      expect(await codeOf(flows.challenges.verify(latest, 'sms', code))).toBe('INVALID_CODE');
    }
    await expect(flows.challenges.verify(latest, 'sms', issued.code ?? '')).resolves.toBeDefined();
  });

  it('should refuse the send after maxSendsPerChallenge with SEND_LIMIT_REACHED', async () => {
    const flows = buildFlows({ resendCooldownSeconds: 30, maxSendsPerChallenge: 3 });
    const { challenge } = await signIn(flows);
    for (let send = 2; send <= 3; send += 1) {
      flows.clock.travel(30_000);
      await flows.challenges.issueCode(challenge);
    }
    flows.clock.travel(30_000);
    expect(await codeOf(flows.challenges.issueCode(challenge))).toBe('SEND_LIMIT_REACHED');
  });

  it('should give the send slot back and keep the previous code when the SMS could not leave', async () => {
    const flows = buildFlows({ resendCooldownSeconds: 30 });
    const { challenge, code } = await signIn(flows);
    flows.clock.travel(30_000);
    const issued = await flows.challenges.issueCode(challenge);
    await issued.release();
    const row = flows.challengeStore.rows()[0] as ChallengeRow;
    expect(row.sends).toBe(1);
    // The resend is open again at once, and the code that did arrive still works.
    await expect(flows.challenges.verify(row, 'sms', code)).resolves.toBeDefined();
  });

  it('should let one of 20 parallel resends through', async () => {
    const flows = buildFlows({ resendCooldownSeconds: 30 });
    const { challenge } = await signIn(flows);
    flows.clock.travel(30_000);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => codeOf(flows.challenges.issueCode(challenge))));
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(1);
    expect(flows.challengeStore.rows()[0]?.sends).toBe(2);
  });
});

describe.each([
  ['in one transaction (SQLite)', true],
  ['statement by statement (PostgreSQL, MySQL)', false],
])('a wrong code settled %s', (_, commitIsCostly) => {
  it('should judge exactly maxAttemptsPerChallenge of 50 parallel wrong codes', async () => {
    const flows = buildFlows({}, { commitIsCostly });
    const { challenge, code } = await signIn(flows);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => codeOf(flows.challenges.verify(challenge, 'sms', wrong(code)))),
    );
    expect(outcomes.filter((outcome) => outcome === 'INVALID_CODE')).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome === 'TOO_MANY_ATTEMPTS')).toHaveLength(45);
    expect(flows.challengeStore.rows()[0]?.attempts).toBe(5);
  });

  it('should lock at maxConsecutiveFailures across parallel challenges once, and spend no attempt of a challenge while locked', async () => {
    const flows = buildFlows({ maxConsecutiveFailures: 7, lockoutSeconds: 600 }, { commitIsCostly });
    const opened = await Promise.all(Array.from({ length: 4 }, () => signIn(flows)));
    // 4 challenges × 3 wrong codes in parallel: 12 tries against a limit of 7.
    const outcomes = await Promise.all(
      opened.flatMap(({ challenge, code }) =>
        Array.from({ length: 3 }, () => codeOf(flows.challenges.verify(challenge, 'sms', wrong(code)))),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'INVALID_CODE')).toHaveLength(6);
    expect(outcomes.filter((outcome) => outcome === 'ACCOUNT_LOCKED')).toHaveLength(6);
    expect(flows.notices).toHaveLength(1);
    // 7 judged in all (the seventh locked); the refused ones gave their attempts back.
    expect(flows.challengeStore.rows().reduce((sum, row) => sum + row.attempts, 0)).toBe(7);
    const locked = await signIn(flows);
    expect(await codeOf(flows.challenges.verify(locked.challenge, 'sms', wrong(locked.code)))).toBe('ACCOUNT_LOCKED');
    expect(flows.challengeStore.rows().at(-1)?.attempts).toBe(0);
  });
});

/** A password sign-in's scope, as the login flow tries a code by token. */
const SIGN_IN_SCOPE = { purposes: ['login', 'phone-login'], factorBound: ['login'] } as const;

/** A sign-in challenge sent by the user's SMS factor, with its token and first code. */
async function signInWithToken(
  flows: Flows,
  factorId: number | null = 7,
): Promise<{ token: string; code: string; id: number }> {
  const { token, challenge, issued } = await flows.challenges.create({
    purpose: 'login',
    userId: USER,
    factorId,
    method: 'sms',
    phone: '+15005550006',
    withFirstCode: true,
  });
  if (issued?.code === undefined) throw new Error('expected a code of our own');
  return { token, code: issued.code, id: challenge.id };
}

describe.each([
  ['in one transaction (SQLite)', true],
  ['statement by statement (PostgreSQL)', false],
])('a code tried by token, settled %s', (_, commitIsCostly) => {
  const rowOf = (flows: Flows, id: number): ChallengeRow | undefined =>
    flows.challengeStore.rows().find((row) => row.id === id);

  it('should use the challenge on the right code, and match nothing the second time', async () => {
    const flows = buildFlows({}, { commitIsCostly });
    const { token, code, id } = await signInWithToken(flows);
    const used = await flows.challenges.verifyByToken(token, SIGN_IN_SCOPE, 'sms', code);
    expect(used).toMatchObject({ id, userId: USER });
    expect(used?.consumedAt).not.toBeNull();
    expect(await flows.challenges.verifyByToken(token, SIGN_IN_SCOPE, 'sms', code)).toBeUndefined();
    expect(rowOf(flows, id)?.attempts).toBe(1);
    // The long way names why: the challenge is used.
    expect(await codeOf(flows.challenges.findOpen(token, ['login']))).toBe('CHALLENGE_USED');
  });

  it('should count wrong codes down and match nothing past maxAttemptsPerChallenge, the right code included', async () => {
    const flows = buildFlows({}, { commitIsCostly });
    const { token, code, id } = await signInWithToken(flows);
    for (let left = 4; left >= 0; left -= 1) {
      await expect(flows.challenges.verifyByToken(token, SIGN_IN_SCOPE, 'sms', wrong(code))).rejects.toMatchObject({
        details: { code: 'INVALID_CODE', attemptsRemaining: left },
      });
    }
    expect(await flows.challenges.verifyByToken(token, SIGN_IN_SCOPE, 'sms', code)).toBeUndefined();
    expect(rowOf(flows, id)).toMatchObject({ attempts: 5, consumedAt: null });
    expect(flows.eventStore.all().filter((event) => event.type === 'sign-in.failed')).toHaveLength(5);
  });

  it('should pass one right code among 50 parallel tries once, and judge at most maxAttemptsPerChallenge', async () => {
    const flows = buildFlows({}, { commitIsCostly });
    const { token, code, id } = await signInWithToken(flows);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async (_, index) => {
        try {
          const used = await flows.challenges.verifyByToken(
            token,
            SIGN_IN_SCOPE,
            'sms',
            index === 3 ? code : wrong(code),
          );
          return used === undefined ? 'nothing matched' : 'passed';
        } catch (error) {
          return (error as { details?: { code?: string } }).details?.code;
        }
      }),
    );
    expect(outcomes.filter((outcome) => outcome === 'passed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'INVALID_CODE').length).toBeLessThanOrEqual(4);
    expect(outcomes.every((outcome) => ['passed', 'INVALID_CODE', 'nothing matched'].includes(outcome ?? ''))).toBe(
      true,
    );
    expect(rowOf(flows, id)?.attempts).toBeLessThanOrEqual(5);
    expect(rowOf(flows, id)?.consumedAt).not.toBeNull();
  });

  it('should give the attempt and the single use back when the success throws, so the code still works', async () => {
    const flows = buildFlows({}, { commitIsCostly });
    const { token, code, id } = await signInWithToken(flows);
    const failing = async (): Promise<void> => {
      throw new Error('the session could not be issued');
    };
    await expect(flows.challenges.verifyByToken(token, SIGN_IN_SCOPE, 'sms', code, failing)).rejects.toThrow(
      'the session could not be issued',
    );
    expect(rowOf(flows, id)).toMatchObject({ attempts: 0, consumedAt: null });
    expect(flows.eventStore.all().filter((event) => event.type.startsWith('sign-in.'))).toEqual([]);
    await expect(flows.challenges.verifyByToken(token, SIGN_IN_SCOPE, 'sms', code)).resolves.toMatchObject({ id });
  });

  it('should refuse a locked account the right code, spending no attempt and leaving the challenge open', async () => {
    const flows = buildFlows({ maxConsecutiveFailures: 3, lockoutSeconds: 60 }, { commitIsCostly });
    for (let failure = 0; failure < 3; failure += 1) {
      const opened = await signInWithToken(flows);
      await codeOf(flows.challenges.verifyByToken(opened.token, SIGN_IN_SCOPE, 'sms', wrong(opened.code)));
    }
    const { token, code, id } = await signInWithToken(flows);
    expect(await codeOf(flows.challenges.verifyByToken(token, SIGN_IN_SCOPE, 'sms', code))).toBe('ACCOUNT_LOCKED');
    expect(rowOf(flows, id)).toMatchObject({ attempts: 0, consumedAt: null });
    flows.clock.travel(60_000);
    await expect(flows.challenges.verifyByToken(token, SIGN_IN_SCOPE, 'sms', code)).resolves.toMatchObject({ id });
  });

  it('should match nothing and change nothing outside its scope, past the lifetime of its code, or where UPDATE returns no rows', async () => {
    const flows = buildFlows({ codeLifetimeSeconds: 120 }, { commitIsCostly });
    const unbound = await signInWithToken(flows, null);
    expect(await flows.challenges.verifyByToken(unbound.token, SIGN_IN_SCOPE, 'sms', unbound.code)).toBeUndefined();
    const opened = await signInWithToken(flows);
    expect(await flows.challenges.verifyByToken(opened.token, SIGN_IN_SCOPE, 'email', opened.code)).toBeUndefined();
    expect(
      await flows.challenges.verifyByToken(
        opened.token,
        { purposes: ['phone-login'], factorBound: [] },
        'sms',
        opened.code,
      ),
    ).toBeUndefined();
    expect(await flows.challenges.verifyByToken(opened.token, SIGN_IN_SCOPE, 'sms', '12a456')).toBeUndefined();
    expect(await flows.challenges.verifyByToken('too short', SIGN_IN_SCOPE, 'sms', opened.code)).toBeUndefined();
    flows.clock.travel(120_000);
    expect(await flows.challenges.verifyByToken(opened.token, SIGN_IN_SCOPE, 'sms', opened.code)).toBeUndefined();
    expect(flows.challengeStore.rows().map(({ attempts, consumedAt }) => ({ attempts, consumedAt }))).toEqual([
      { attempts: 0, consumedAt: null },
      { attempts: 0, consumedAt: null },
    ]);

    const mysql = buildFlows({}, { commitIsCostly, updateReturnsRows: false });
    const elsewhere = await signInWithToken(mysql);
    expect(await mysql.challenges.verifyByToken(elsewhere.token, SIGN_IN_SCOPE, 'sms', elsewhere.code)).toBeUndefined();
    expect(rowOf(mysql, elsewhere.id)).toMatchObject({ attempts: 0, consumedAt: null });
  });
});
