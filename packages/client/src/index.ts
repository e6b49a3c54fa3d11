export type {
  CodeDelivery,
  CodeSendingMethod,
  EnrollmentTicket,
  FactorActivation,
  FactorDescription,
  LoginChallenge,
  RecoveryCodes,
  RefreshedTokens,
  SecondFactorMethod,
  SessionTokens,
  SignInResult,
  SmsSetup,
  StrapiSession,
  StrapiUser,
  TotpSetup,
  TrustedDeviceDescription,
  TrustedDeviceToken,
  TwoFactorErrorCode,
  TwoFactorStatus,
  VerifiedSession,
} from './contract';
export {
  type ActivateFactorInput,
  createTwoFactorClient,
  type PhoneInput,
  type ReauthenticationInput,
  type RegisterWithPhoneInput,
  type RemoveFactorInput,
  type ResendCodeInput,
  type SignInInput,
  type TwoFactorClient,
  type TwoFactorClientOptions,
  type VerifyChallengeInput,
  type VerifyPhoneInput,
} from './createTwoFactorClient';
export { NotSignedInError } from './notSignedInError';
export { parseRetryAfter } from './parseRetryAfter';
export { TwoFactorApiError, type TwoFactorApiErrorInit } from './twoFactorApiError';
export { UnexpectedResponseError } from './unexpectedResponseError';
