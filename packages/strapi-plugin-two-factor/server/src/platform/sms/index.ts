export { createSmsSender } from './createSmsSender';
export { maskPhone } from './maskPhone';
export { renderSmsTemplate, type SmsTemplateValues } from './renderSmsTemplate';
export { SmsCheckNotSupportedError } from './smsCheckNotSupportedError';
export { SmsDeliveryError, type SmsDeliveryErrorOptions, type SmsDeliveryReason } from './smsDeliveryError';
export type { SmsLogger } from './smsLogger';
export type { SmsCheckResult, SmsProvider, SmsSender } from './smsSender';
