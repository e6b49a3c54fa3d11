export {
  createTwilioDevServer,
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  type InjectedFault,
  type TwilioApi,
  TwilioDevServer,
  type TwilioDevServerOptions,
} from './createTwilioDevServer';
export type { OutboxMessage } from './outbox';
export { TWILIO_ERRORS, type TwilioErrorBody, type TwilioErrorCode, twilioErrorBody } from './twilioErrors';
