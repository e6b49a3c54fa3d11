import { describe, expect, it } from 'vitest';
import { createConsoleSender } from './createConsoleSender';
import { SmsCheckNotSupportedError } from './smsCheckNotSupportedError';
import type { SmsLogger } from './smsLogger';

function recordingLogger(): SmsLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (line: string): void => {
    lines.push(line);
  };
  return { lines, info: record, warn: record, error: record };
}

describe('createConsoleSender', () => {
  it('should log the number and the text', async () => {
    const logger = recordingLogger();
    await createConsoleSender(logger).send({ to: '+14155550123', body: '123456 is your code' });
    expect(logger.lines).toEqual(['[two-factor] SMS to +14155550123: 123456 is your code']);
  });

  it('should refuse to check a code', async () => {
    const sender = createConsoleSender(recordingLogger());
    expect(sender.checksCodes).toBe(false);
    await expect(sender.check({ to: '+14155550123', code: '123456' })).rejects.toThrow(SmsCheckNotSupportedError);
  });
});
