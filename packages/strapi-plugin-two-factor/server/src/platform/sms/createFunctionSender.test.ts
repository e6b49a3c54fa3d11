import { describe, expect, it } from 'vitest';
import { createFunctionSender } from './createFunctionSender';
import { SmsCheckNotSupportedError } from './smsCheckNotSupportedError';
import { SmsDeliveryError } from './smsDeliveryError';

const message = { to: '+14155550123', body: '123456 is your Acme code' };

describe('createFunctionSender', () => {
  it("should pass the number and the text to the app's function", async () => {
    const received: { to: string; body: string }[] = [];
    await createFunctionSender(async (sms) => {
      received.push(sms);
    }).send(message);
    expect(received).toEqual([message]);
  });

  it('should let an SmsDeliveryError through unchanged', async () => {
    const thrown = new SmsDeliveryError('invalid-phone', 'no such number');
    const sender = createFunctionSender(async () => {
      throw thrown;
    });
    await expect(sender.send(message)).rejects.toBe(thrown);
  });

  it('should turn any other error into unavailable and keep it as the cause', async () => {
    const original = new Error(`gateway refused "${message.body}"`);
    const sender = createFunctionSender(async () => {
      throw original;
    });
    const error = await sender.send(message).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect(error).toMatchObject({ reason: 'unavailable', cause: original });
  });

  it("should keep the app's error message, which may quote the code, out of its own", async () => {
    const sender = createFunctionSender(async () => {
      throw new Error(`gateway refused "${message.body}"`);
    });
    const error = await sender.send(message).catch((caught: unknown) => caught);
    expect((error as Error).message).not.toContain('123456');
  });

  it('should refuse to check a code', async () => {
    const sender = createFunctionSender(async () => undefined);
    await expect(sender.check({ to: message.to, code: '123456' })).rejects.toThrow(SmsCheckNotSupportedError);
  });
});
