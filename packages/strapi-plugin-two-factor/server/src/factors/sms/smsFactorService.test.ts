import { describe, expect, it } from 'vitest';
import { RECOVERY_CODE_COUNT } from '../../core/recovery-codes/recoveryCodeService';
import { buildFlows, USER } from '../../testing/buildFlows';

const PHONE = '+15005550006';
const OTHER_USER = USER + 1;
const allow = async (): Promise<void> => undefined;

async function refusalOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { details?: { code?: string } }).details?.code;
  }
}

describe('enrolling an SMS factor (factor, challenge and account services on in-memory stores)', () => {
  it('should send a code to the number and activate the factor with it, with recovery codes for a first factor', async () => {
    const flows = buildFlows();
    const { factorId, sentTo } = await flows.smsFactor.setup(USER, PHONE, allow);
    expect(sentTo).toBe('+1 ••• ••• 0006');
    const sent = flows.sms.sent.at(-1);
    expect(sent?.to).toBe(PHONE);
    const { factor, recoveryCodes } = await flows.smsFactor.activate(USER, factorId, sent?.code);
    expect(factor).toMatchObject({ id: factorId, type: 'sms' });
    expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect((await flows.factors.activeFactors(USER)).map((active) => active.id)).toEqual([factorId]);
    expect(flows.eventStore.all().map((event) => event.type)).toContain('factor.enrolled');
  });

  it('should keep the factor pending after a wrong code, and stop judging at maxAttemptsPerChallenge', async () => {
    const flows = buildFlows();
    const { factorId } = await flows.smsFactor.setup(USER, PHONE, allow);
    const code = flows.sms.sent.at(-1)?.code ?? '';
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= flows.settings.config().maxAttemptsPerChallenge; attempt += 1) {
      expect(await refusalOf(flows.smsFactor.activate(USER, factorId, wrong))).toBe('INVALID_CODE');
    }
    expect(await refusalOf(flows.smsFactor.activate(USER, factorId, code))).toBe('TOO_MANY_ATTEMPTS');
    expect(await flows.factors.activeFactors(USER)).toEqual([]);
  });

  it('should refuse a number another user holds with PHONE_TAKEN, and the owner’s own with ALREADY_ENROLLED', async () => {
    const flows = buildFlows();
    const { factorId } = await flows.smsFactor.setup(OTHER_USER, PHONE, allow);
    await flows.smsFactor.activate(OTHER_USER, factorId, flows.sms.sent.at(-1)?.code);
    expect(await refusalOf(flows.smsFactor.setup(USER, PHONE, allow))).toBe('PHONE_TAKEN');
    expect(await refusalOf(flows.smsFactor.setup(OTHER_USER, PHONE, allow))).toBe('ALREADY_ENROLLED');
  });

  it('should write nothing when the re-authentication gate refuses', async () => {
    const flows = buildFlows();
    const refuse = async (): Promise<void> => {
      throw new Error('re-authentication refused');
    };
    await expect(flows.smsFactor.setup(USER, PHONE, refuse)).rejects.toThrow('re-authentication refused');
    expect(flows.sms.sent).toEqual([]);
    expect(flows.challengeStore.rows()).toEqual([]);
  });

  it('should give the send back when the SMS cannot leave, so the user may ask again at once', async () => {
    const flows = buildFlows({ resendCooldownSeconds: 60 });
    const send = flows.sms.sendCodeNow;
    flows.sms.sendCodeNow = async () => {
      throw new Error('the provider refused the number');
    };
    await expect(flows.smsFactor.setup(USER, PHONE, allow)).rejects.toThrow('the provider refused the number');
    flows.sms.sendCodeNow = send;
    const { factorId } = await flows.smsFactor.setup(USER, PHONE, allow);
    await expect(flows.smsFactor.activate(USER, factorId, flows.sms.sent.at(-1)?.code)).resolves.toMatchObject({
      factor: { id: factorId },
    });
  });

  it('should end a sign-in under way when its factor is removed: the code sent for it opens nothing', async () => {
    const flows = buildFlows();
    const { factorId } = await flows.smsFactor.setup(USER, PHONE, allow);
    await flows.smsFactor.activate(USER, factorId, flows.sms.sent.at(-1)?.code);
    const { token, issued } = await flows.challenges.create({
      purpose: 'login',
      userId: USER,
      factorId,
      method: 'sms',
      phone: PHONE,
      withFirstCode: true,
    });
    expect(issued?.code).toBeDefined();
    await flows.factors.remove(USER, factorId);
    expect(await refusalOf(flows.challenges.findOpen(token, ['login']))).toBe('INVALID_CHALLENGE');
  });
});
