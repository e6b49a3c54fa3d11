export type {
  AuthenticationResponseJSON,
  AuthenticatorTransportName,
  Base64UrlString,
  CodeDelivery,
  CodeMethod,
  CodeSendingMethod,
  EnrollmentTicket,
  FactorActivation,
  FactorDescription,
  LoginChallenge,
  PasskeyLoginOptions,
  PasskeySetup,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RecoveryCodes,
  RefreshedTokens,
  RegistrationResponseJSON,
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
  UserVerificationRequirementName,
  VerifiedSession,
} from './contract';
export {
  type ActivateFactorInput,
  type ActivatePasskeyInput,
  type CodeReauthentication,
  type CreatedPasskey,
  createTwoFactorClient,
  type PasskeyReauthentication,
  type PhoneInput,
  type ReauthenticationInput,
  type RegisterWithPhoneInput,
  type RemoveFactorInput,
  type RenameFactorInput,
  type ResendCodeInput,
  type SetupPasskeyInput,
  type SignInInput,
  type SignInWithPasskeyInput,
  type TwoFactorClient,
  type TwoFactorClientOptions,
  type VerifyChallengeInput,
  type VerifyPhoneInput,
} from './createTwoFactorClient';
export { NotSignedInError } from './notSignedInError';
export { parseRetryAfter } from './parseRetryAfter';
export { base64UrlToBuffer, bufferToBase64Url, InvalidBase64UrlError } from './passkeys/base64url';
export { browserPasskeys, type PasskeyAuthenticator } from './passkeys/passkeyAuthenticator';
export { PasskeysUnavailableError } from './passkeys/passkeysUnavailableError';
export {
  type AssertedCredential,
  authenticationToJSON,
  type CreatedCredential,
  creationOptionsFromJSON,
  registrationToJSON,
  requestOptionsFromJSON,
} from './passkeys/webAuthnJson';
export { TwoFactorApiError, type TwoFactorApiErrorInit } from './twoFactorApiError';
export { UnexpectedResponseError } from './unexpectedResponseError';
