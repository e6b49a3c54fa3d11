/**
 * The GraphQL face of the REST contract (DESIGN.md "GraphQL"): the same operations, with the
 * REST names for every input and payload field. Optional REST fields are nullable here.
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

  input TwoFactorLoginInput {
    identifier: String!
    password: String!
    deviceId: String
  }

  input TwoFactorVerifyInput {
    token: String!
    method: String!
    code: String!
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
  }

  input TwoFactorReauthenticationInput {
    method: String
    code: String
  }

  input TwoFactorActivateInput {
    factorId: ID!
    code: String!
  }

  input TwoFactorRemoveFactorInput {
    factorId: ID!
    method: String!
    code: String!
  }

  input TwoFactorRegenerateRecoveryCodesInput {
    method: String!
    code: String!
  }

  input TwoFactorRevokeTrustedDeviceInput {
    trustedDeviceId: ID!
  }

  input TwoFactorStepUpSendInput {
    method: String!
  }

  input TwoFactorStepUpVerifyInput {
    method: String!
    code: String!
  }

  extend type Query {
    twoFactorMe: TwoFactorStatus!
  }

  extend type Mutation {
    twoFactorLogin(input: TwoFactorLoginInput!): TwoFactorLoginResult!
    twoFactorVerify(input: TwoFactorVerifyInput!): TwoFactorSession!
    twoFactorSendCode(input: TwoFactorSendCodeInput!): TwoFactorCodeDelivery!
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
    twoFactorRemoveFactor(input: TwoFactorRemoveFactorInput!): TwoFactorStatus!
    twoFactorRegenerateRecoveryCodes(input: TwoFactorRegenerateRecoveryCodesInput!): TwoFactorRecoveryCodes!
    twoFactorRevokeTrustedDevice(input: TwoFactorRevokeTrustedDeviceInput!): TwoFactorStatus!
    twoFactorStepUpSend(input: TwoFactorStepUpSendInput!): TwoFactorCodeDelivery!
    twoFactorStepUpVerify(input: TwoFactorStepUpVerifyInput!): TwoFactorStepUp!
  }
`;
