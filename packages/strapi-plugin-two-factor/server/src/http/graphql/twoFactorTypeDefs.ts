/**
 * The GraphQL face of the REST contract (DESIGN.md "GraphQL"): the same operations, with the
 * REST names for every input and payload field. Optional REST fields are nullable here.
 * WebAuthn options and responses are JSON (`@strapi/plugin-graphql`'s `JSON` scalar): they are
 * the browser's `PublicKeyCredential*JSON` objects, passed through untouched.
 */
export const TWO_FACTOR_TYPE_DEFS = /* GraphQL */ `
  "A login that needs a second step: the challenge of POST /api/auth/local's mfaRequired answer."
  type TwoFactorChallenge {
    token: String!
    expiresAt: String!
    methods: [String!]!
    method: String!
    sentTo: String
    resendAvailableAt: String
    "When the user has a passkey: the options for navigator.credentials.get()."
    passkeyOptions: JSON
  }

  "A login whose role requires a factor the user has not set up yet: the token opens enrolment only."
  type TwoFactorEnrollment {
    token: String!
    expiresAt: String!
  }

  type TwoFactorTrustedDeviceToken {
    token: String!
    expiresAt: String!
  }

  """
  A finished sign-in: what Strapi's GraphQL login gives (the refresh token, in refresh mode, as
  its http-only cookie), plus a trusted-device token when asked for or rotated, and the recovery
  codes a phone sign-up's first factor comes with.
  """
  type TwoFactorSession {
    jwt: String
    user: UsersPermissionsMe!
    trustedDevice: TwoFactorTrustedDeviceToken
    recoveryCodes: [String!]
  }

  union TwoFactorLoginResult = UsersPermissionsLoginPayload | TwoFactorSession | TwoFactorChallenge | TwoFactorEnrollment

  type TwoFactorCodeDelivery {
    sentTo: String!
    expiresAt: String!
    resendAvailableAt: String!
  }

  """
  What a send answers: a new code (sentTo, expiresAt, resendAvailableAt), or for method
  "passkey" new request options (passkeyOptions; a sign-in challenge's also has expiresAt).
  """
  type TwoFactorDelivery {
    sentTo: String
    expiresAt: String
    resendAvailableAt: String
    passkeyOptions: JSON
  }

  type TwoFactorPhoneVerification {
    verification: TwoFactorCodeDelivery!
  }

  type TwoFactorFactor {
    id: ID!
    type: String!
    label: String
    sentTo: String
    createdAt: String
    lastUsedAt: String
    "Passkeys: synced or backed up, or bound to one device."
    backedUp: Boolean
    "Passkeys: how the browser reached the authenticator (internal, usb, hybrid…)."
    transports: [String!]
  }

  type TwoFactorDevice {
    id: ID!
    userAgent: String
    lastUsedAt: String
    expiresAt: String!
  }

  type TwoFactorStatus {
    enabled: Boolean!
    required: Boolean!
    factors: [TwoFactorFactor!]!
    recoveryCodesRemaining: Int!
    trustedDevices: [TwoFactorDevice!]!
  }

  type TwoFactorCodeFactorSetup {
    factorId: ID!
    sentTo: String!
    expiresAt: String!
    resendAvailableAt: String!
  }

  type TwoFactorTotpSetup {
    factorId: ID!
    secret: String!
    otpauthUri: String!
    qrCodeSvg: String!
  }

  "An activated factor; recovery codes when it is the first one; a session when an enrolment token finished."
  type TwoFactorActivation {
    factor: TwoFactorFactor!
    recoveryCodes: [String!]
    jwt: String
    user: UsersPermissionsMe
  }

  type TwoFactorRecoveryCodes {
    recoveryCodes: [String!]!
  }

  type TwoFactorStepUp {
    jwt: String!
  }

  "A passkey being registered: options for navigator.credentials.create()."
  type TwoFactorPasskeySetup {
    factorId: ID!
    options: JSON!
  }

  "A passwordless sign-in: options for navigator.credentials.get() (any discoverable passkey)."
  type TwoFactorPasskeyLoginOptions {
    token: String!
    expiresAt: String!
    options: JSON!
  }

  input TwoFactorLoginInput {
    identifier: String!
    password: String!
    deviceId: String
  }

  "A code, or for method passkey the assertion (PublicKeyCredential JSON) as response."
  input TwoFactorVerifyInput {
    token: String!
    method: String!
    code: String
    response: JSON
    trustDevice: Boolean
    deviceId: String
  }

  input TwoFactorSendCodeInput {
    token: String!
    method: String!
  }

  input TwoFactorPhoneRegisterInput {
    username: String!
    phone: String!
    email: String
    password: String
  }

  input TwoFactorPhoneVerifyInput {
    phone: String!
    code: String!
  }

  input TwoFactorPhoneInput {
    phone: String!
  }

  "A fresh code from a factor the user holds: adding a factor next to an active one needs it."
  input TwoFactorSmsSetupInput {
    phone: String!
    method: String
    code: String
    response: JSON
  }

  "A fresh proof: {method, code}, or method passkey and its assertion as response (after twoFactorStepUpSend)."
  input TwoFactorReauthenticationInput {
    method: String
    code: String
    response: JSON
  }

  input TwoFactorActivateInput {
    factorId: ID!
    code: String!
  }

  input TwoFactorRemoveFactorInput {
    factorId: ID!
    method: String!
    code: String
    response: JSON
  }

  input TwoFactorRenameFactorInput {
    factorId: ID!
    label: String!
  }

  input TwoFactorRegenerateRecoveryCodesInput {
    method: String!
    code: String
    response: JSON
  }

  input TwoFactorRevokeTrustedDeviceInput {
    trustedDeviceId: ID!
  }

  input TwoFactorStepUpSendInput {
    method: String!
  }

  input TwoFactorStepUpVerifyInput {
    method: String!
    code: String
    response: JSON
  }

  input TwoFactorPasskeyActivateInput {
    factorId: ID!
    response: JSON!
    label: String
  }

  input TwoFactorPasskeyLoginVerifyInput {
    token: String!
    response: JSON!
    deviceId: String
  }

  extend type Query {
    twoFactorMe: TwoFactorStatus!
  }

  extend type Mutation {
    twoFactorLogin(input: TwoFactorLoginInput!): TwoFactorLoginResult!
    twoFactorVerify(input: TwoFactorVerifyInput!): TwoFactorSession!
    twoFactorSendCode(input: TwoFactorSendCodeInput!): TwoFactorDelivery!
    twoFactorPhoneRegister(input: TwoFactorPhoneRegisterInput!): TwoFactorPhoneVerification!
    twoFactorPhoneVerify(input: TwoFactorPhoneVerifyInput!): TwoFactorSession!
    twoFactorPhoneResend(input: TwoFactorPhoneInput!): TwoFactorPhoneVerification!
    twoFactorPhoneLogin(input: TwoFactorPhoneInput!): TwoFactorChallenge!
    twoFactorSmsSetup(input: TwoFactorSmsSetupInput!): TwoFactorCodeFactorSetup!
    twoFactorSmsActivate(input: TwoFactorActivateInput!): TwoFactorActivation!
    twoFactorEmailSetup(input: TwoFactorReauthenticationInput): TwoFactorCodeFactorSetup!
    twoFactorEmailActivate(input: TwoFactorActivateInput!): TwoFactorActivation!
    twoFactorTotpSetup(input: TwoFactorReauthenticationInput): TwoFactorTotpSetup!
    twoFactorTotpActivate(input: TwoFactorActivateInput!): TwoFactorActivation!
    twoFactorPasskeySetup(input: TwoFactorReauthenticationInput): TwoFactorPasskeySetup!
    twoFactorPasskeyActivate(input: TwoFactorPasskeyActivateInput!): TwoFactorActivation!
    twoFactorPasskeyLoginOptions: TwoFactorPasskeyLoginOptions!
    twoFactorPasskeyLoginVerify(input: TwoFactorPasskeyLoginVerifyInput!): TwoFactorSession!
    twoFactorRenameFactor(input: TwoFactorRenameFactorInput!): TwoFactorStatus!
    twoFactorRemoveFactor(input: TwoFactorRemoveFactorInput!): TwoFactorStatus!
    twoFactorRegenerateRecoveryCodes(input: TwoFactorRegenerateRecoveryCodesInput!): TwoFactorRecoveryCodes!
    twoFactorRevokeTrustedDevice(input: TwoFactorRevokeTrustedDeviceInput!): TwoFactorStatus!
    twoFactorStepUpSend(input: TwoFactorStepUpSendInput!): TwoFactorDelivery!
    twoFactorStepUpVerify(input: TwoFactorStepUpVerifyInput!): TwoFactorStepUp!
  }
`;
