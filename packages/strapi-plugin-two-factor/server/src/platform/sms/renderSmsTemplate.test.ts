import { describe, expect, it } from 'vitest';
import { renderSmsTemplate } from './renderSmsTemplate';

const values = { code: '123456', appName: 'Acme', codeLifetimeSeconds: 300 };

describe('renderSmsTemplate', () => {
  it('should fill the code, the app name and the minutes', () => {
    expect(renderSmsTemplate('{code} is your {appName} code. It expires in {minutes} minutes.', values)).toBe(
      '123456 is your Acme code. It expires in 5 minutes.',
    );
  });

  it('should replace every occurrence of a placeholder', () => {
    expect(renderSmsTemplate('{code} / {code}', values)).toBe('123456 / 123456');
  });

  it('should round a part minute up', () => {
    expect(renderSmsTemplate('{minutes}', { ...values, codeLifetimeSeconds: 90 })).toBe('2');
  });

  it('should leave a placeholder inside a value as text', () => {
    expect(renderSmsTemplate('{appName}: {code}', { ...values, appName: '{code}' })).toBe('{code}: 123456');
  });

  it('should leave unknown braces alone', () => {
    expect(renderSmsTemplate('{code} {user}', values)).toBe('123456 {user}');
  });
});
