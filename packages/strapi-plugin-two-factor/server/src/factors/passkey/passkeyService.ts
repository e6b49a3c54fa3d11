import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Core } from '@strapi/strapi';
import type { PasskeyProof } from '../../core/assurance/assurance';
import type { ChallengeRow, ChallengeService, Judgement } from '../../core/challenges/challengeService';
import type { EventService } from '../../core/events/eventService';
import { describeFactor, type FactorDescription } from '../../core/factors/describeFactor';
import type { AuthorizeAddition, FactorService } from '../../core/factors/factorService';
import type { SecretsService } from '../../core/secrets/secretsService';
import type { SettingsService } from '../../core/settings/settingsService';
import type { ClockService } from '../../platform/clock/clockService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { FactorRow, FactorStore, PasskeyFactorRow } from '../../platform/stores/factorStore';
import type { UserStore } from '../../platform/stores/userStore';
import { parseAuthenticationResponse, parseRegistrationResponse } from './passkeyResponses';

/** DESIGN.md: each WebAuthn challenge lives at most 5 minutes. */
export const PASSKEY_CHALLENGE_LIFETIME_SECONDS = 300;
/** What the browser waits for the user, told in the options (WebAuthn `timeout`). */
const CEREMONY_TIMEOUT_MILLISECONDS = 120_000;
/** ES256 and RS256: what every platform and security key offers (and Ed25519). */
const SUPPORTED_ALGORITHMS = [-8, -7, -257];

export interface VerifiedAssertion {
  userId: number;
  factorId: number;
  proof: PasskeyProof;
  challenge: ChallengeRow;
}

export interface AssertionRules {
  /** The account the credential must belong to; `undefined` for passwordless sign-in. */
  userId?: number;
  /** Refuse an assertion without the UV flag (passwordless, or `userVerification: 'required'`). */
  requireUserVerification: boolean;
}

export interface PasskeyService {
  /** A fresh WebAuthn challenge: 32 random bytes, base64url. */
  newChallenge(): string;
  /** `passkey/setup`: a pending factor and the creation options bound to a new challenge row. */
  setup(
    userId: number,
    authorize: AuthorizeAddition,
  ): Promise<{ factorId: number; options: PublicKeyCredentialCreationOptionsJSON }>;
  /** `passkey/activate`: the attestation judged against the factor's challenge, once. */
  activate(
    userId: number,
    factorId: number,
    response: unknown,
    label: string | undefined,
  ): Promise<{ factor: FactorDescription; recoveryCodes?: string[]; proof: PasskeyProof }>;
  /** Request options for an existing challenge row; `userId` lists that user's passkeys. */
  requestOptions(challenge: string, userId: number | undefined): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /** `passkey/login/options`: a passwordless challenge row and its options. */
  loginOptions(): Promise<{ token: string; expiresAt: string; options: PublicKeyCredentialRequestOptionsJSON }>;
  /**
   * Judges an assertion against the challenge row's WebAuthn challenge, as one attempt of that
   * row (attempt cap, account lock-out, single use). Throws the contract's errors.
   */
  verifyAssertion(challenge: ChallengeRow, response: unknown, rules: AssertionRules): Promise<VerifiedAssertion>;
  hasPasskey(userId: number): Promise<boolean>;
  /** Whether `userVerification` is `'required'` (the default). */
  requiresUserVerification(): boolean;
}

export function createPasskeyService({
  strapi,
  challenges,
  clock,
  events,
  factors: factorService,
  secrets,
  settings,
  factorStore,
  users,
}: {
  strapi: Core.Strapi;
  challenges: ChallengeService;
  clock: ClockService;
  events: EventService;
  factors: FactorService;
  secrets: SecretsService;
  settings: SettingsService;
  factorStore: FactorStore;
  users: UserStore;
}): PasskeyService {
  const now = (): Date => clock.now();
  const config = () => settings.config();

  function relyingParty(): { rpId: string; rpName: string; origins: string[] } {
    const { passkey, appName } = config();
    return { rpId: passkey.rpId, rpName: passkey.rpName ?? appName, origins: expectedOrigins() };
  }

  /**
   * The configured origins, else (never in production: the schema refuses it) the app's own
   * address with the port it listens on, as a browser on this machine would call it.
   */
  function expectedOrigins(): string[] {
    const configured = config().passkey.origins;
    if (configured.length > 0) return configured;
    const address = strapi.server.httpServer.address() as AddressInfo | string | null;
    if (address === null || typeof address === 'string') return [];
    return [`http://localhost:${address.port}`, `http://127.0.0.1:${address.port}`];
  }

  /**
   * The WebAuthn user handle: stable per user (an authenticator keeps one passkey per RP and
   * handle), opaque (no id, name or email on the authenticator: WebAuthn §14.6.1), and the
   * same on every instance (keyed with the plugin's HMAC key).
   */
  function userHandle(userId: number): Uint8Array<ArrayBuffer> {
    const key = secrets.codeHmacKey();
    return new Uint8Array(createHmac('sha256', key).update(`two-factor:passkey-user:${userId}`).digest());
  }

  function passkeysOf(userId: number): Promise<PasskeyFactorRow[]> {
    return factorStore.activePasskeysOf(userId);
  }

  const descriptorOf = (factor: PasskeyFactorRow): { id: string; transports?: AuthenticatorTransport[] } => ({
    id: factor.credentialId ?? '',
    ...(Array.isArray(factor.transports) && factor.transports.length > 0 ? { transports: factor.transports } : {}),
  });

  function userVerification(): 'required' | 'preferred' {
    return config().passkey.userVerification;
  }

  /** Refuses a challenge row whose WebAuthn challenge is missing or past its 5 minutes. */
  function passkeyChallengeOf(challenge: ChallengeRow): string {
    if (challenge.passkeyChallenge === null) throw twoFactorError('METHOD_NOT_AVAILABLE');
    const expiresAt = challenge.passkeyChallengeExpiresAt;
    if (expiresAt === null || new Date(expiresAt) <= now()) throw twoFactorError('PASSKEY_CHALLENGE_EXPIRED');
    return challenge.passkeyChallenge;
  }

  return {
    newChallenge() {
      return randomBytes(32).toString('base64url');
    },

    requiresUserVerification() {
      return userVerification() === 'required';
    },

    async hasPasskey(userId) {
      return (await factorStore.countActive(userId, 'passkey')) > 0;
    },

    async setup(userId, authorize) {
      const user = await users.findById(userId);
      if (user === null) throw twoFactorError('NOT_FOUND');
      await authorize();
      const { rpId, rpName } = relyingParty();
      const challenge = this.newChallenge();
      const createdAt = now();
      // One enrolment at a time: an older, never activated passkey request is dropped.
      await factorStore.deletePending(userId, 'passkey');
      const factor = await factorStore.create({
        userId,
        type: 'passkey',
        status: 'pending',
        label: 'Passkey',
        createdAt,
      });
      await challenges.create({
        purpose: 'passkey-register',
        userId,
        factorId: factor.id,
        method: 'passkey',
        lifetimeSeconds: PASSKEY_CHALLENGE_LIFETIME_SECONDS,
        passkeyChallenge: { challenge, lifetimeSeconds: PASSKEY_CHALLENGE_LIFETIME_SECONDS },
      });
      const options = await generateRegistrationOptions({
        rpName,
        rpID: rpId,
        userName: user.email ?? user.username,
        userDisplayName: user.username,
        userID: userHandle(userId),
        challenge: Buffer.from(challenge, 'base64url'),
        timeout: CEREMONY_TIMEOUT_MILLISECONDS,
        attestationType: 'none',
        excludeCredentials: (await passkeysOf(userId)).map(descriptorOf),
        authenticatorSelection: { residentKey: 'preferred', userVerification: userVerification() },
        supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
      });
      return { factorId: factor.id, options };
    },

    async activate(userId, factorId, input, label) {
      const response = parseRegistrationResponse(input);
      const factor = await factorStore.findOwnedPasskey(userId, factorId);
      if (factor === null || factor.type !== 'passkey') throw twoFactorError('NOT_FOUND');
      if (factor.status === 'active') throw twoFactorError('ALREADY_ENROLLED');
      const challenge = await challenges.findNewestOpen({ factorId }, 'passkey-register');
      if (challenge === undefined) throw twoFactorError('PASSKEY_CHALLENGE_EXPIRED');
      const expectedChallenge = passkeyChallengeOf(challenge);
      const { rpId, origins } = relyingParty();
      let proof: PasskeyProof | undefined;

      await challenges.attempt(challenge, {
        userId,
        method: 'passkey',
        judge: async (): Promise<Judgement> => {
          let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
          try {
            verified = await verifyRegistrationResponse({
              response,
              expectedChallenge,
              expectedOrigin: origins,
              expectedRPID: rpId,
              requireUserVerification: false,
              supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
            });
          } catch {
            return { passed: false, refusal: 'INVALID_PASSKEY' };
          }
          const info = verified.registrationInfo;
          if (!verified.verified || info === undefined) return { passed: false, refusal: 'INVALID_PASSKEY' };
          if (userVerification() === 'required' && !info.userVerified)
            return { passed: false, refusal: 'PASSKEY_USER_VERIFICATION_REQUIRED' };
          const credentialId = info.credential.id;
          if (await factorStore.isCredentialRegistered(credentialId))
            return { passed: false, refusal: 'PASSKEY_ALREADY_REGISTERED' };
          proof = { backedUp: info.credentialBackedUp, userVerified: info.userVerified };
          const activatedAt = now();
          const transports = response.response.transports ?? info.credential.transports ?? [];
          return {
            passed: true,
            // With the challenge burnt, in its transaction: a response sent twice adds nothing.
            // The unique index on credential_id settles two pending factors racing with one key.
            onConsumed: async () => {
              const activated = await factorStore.activatePendingPasskey(
                factorId,
                {
                  label: label ?? factor.label ?? 'Passkey',
                  credentialId,
                  publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
                  signCount: info.credential.counter,
                  transports,
                  backedUp: info.credentialBackedUp,
                  aaguid: info.aaguid,
                },
                activatedAt,
              );
              if (!activated) throw twoFactorError('ALREADY_ENROLLED');
            },
          };
        },
      });
      if (proof === undefined) throw new Error('Passkey activation passed without a proof');
      const recoveryCodes = await factorService.afterActivation(userId, factorId);
      const activated = (await factorStore.find(factorId)) as FactorRow;
      return { factor: describeFactor(activated), ...(recoveryCodes === undefined ? {} : { recoveryCodes }), proof };
    },

    async requestOptions(challenge, userId) {
      const { rpId } = relyingParty();
      return generateAuthenticationOptions({
        rpID: rpId,
        challenge: Buffer.from(challenge, 'base64url'),
        timeout: CEREMONY_TIMEOUT_MILLISECONDS,
        userVerification: userId === undefined ? 'required' : userVerification(),
        allowCredentials: userId === undefined ? [] : (await passkeysOf(userId)).map(descriptorOf),
      });
    },

    async loginOptions() {
      const challenge = this.newChallenge();
      const { token, challenge: row } = await challenges.create({
        purpose: 'passkey-login',
        userId: null,
        method: 'passkey',
        lifetimeSeconds: PASSKEY_CHALLENGE_LIFETIME_SECONDS,
        passkeyChallenge: { challenge, lifetimeSeconds: PASSKEY_CHALLENGE_LIFETIME_SECONDS },
      });
      // Discoverable credentials: no allowCredentials, so the answer says nothing about accounts.
      const options = await this.requestOptions(challenge, undefined);
      return { token, expiresAt: new Date(row.expiresAt).toISOString(), options };
    },

    async verifyAssertion(challenge, input, rules) {
      const response = parseAuthenticationResponse(input);
      const expectedChallenge = passkeyChallengeOf(challenge);
      const { rpId, origins } = relyingParty();
      const stored = await factorStore.findActivePasskeyByCredential(response.id);
      // Another user's passkey is as unknown here as one never registered: same refusal.
      const factor = stored !== null && (rules.userId === undefined || stored.userId === rules.userId) ? stored : null;
      const accountId = rules.userId ?? factor?.userId ?? null;
      let verified: VerifiedAssertion | undefined;

      const consumed = await challenges.attempt(challenge, {
        userId: accountId,
        method: 'passkey',
        judge: async (): Promise<Judgement> => {
          if (factor === null || factor.publicKey === null || factor.credentialId === null)
            return { passed: false, refusal: 'INVALID_PASSKEY' };
          // The user handle, when the authenticator sends one, must be this account's.
          const handle = response.response.userHandle;
          if (handle !== undefined && handle !== Buffer.from(userHandle(factor.userId)).toString('base64url'))
            return { passed: false, refusal: 'INVALID_PASSKEY' };
          const storedCounter = Number(factor.signCount ?? 0);
          let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
          try {
            result = await verifyAuthenticationResponse({
              response,
              expectedChallenge,
              expectedOrigin: origins,
              expectedRPID: rpId,
              // The counter is judged below, where a regression is told apart and recorded.
              credential: {
                id: factor.credentialId,
                publicKey: new Uint8Array(Buffer.from(factor.publicKey, 'base64url')),
                counter: 0,
              },
              // UP is always required; UV is judged below, after the signature, so a missing
              // UV flag gets its own answer only from someone holding the key.
              requireUserVerification: false,
            });
          } catch {
            return { passed: false, refusal: 'INVALID_PASSKEY' };
          }
          if (!result.verified) return { passed: false, refusal: 'INVALID_PASSKEY' };
          const info = result.authenticationInfo;
          if (rules.requireUserVerification && !info.userVerified)
            return { passed: false, refusal: 'PASSKEY_USER_VERIFICATION_REQUIRED' };
          const newCounter = info.newCounter;
          // WebAuthn §6.1.1: a counter that did not grow (when either side counts) means two
          // authenticators share the key, or an assertion was replayed.
          if ((newCounter > 0 || storedCounter > 0) && newCounter <= storedCounter) {
            return {
              passed: false,
              refusal: 'PASSKEY_COUNTER_REPLAYED',
              onRefused: async () => {
                await events.record('passkey.cloned', factor.userId, {
                  factorId: factor.id,
                  storedCounter,
                  receivedCounter: newCounter,
                });
              },
            };
          }
          const proof: PasskeyProof = { backedUp: info.credentialBackedUp, userVerified: info.userVerified };
          verified = { userId: factor.userId, factorId: factor.id, proof, challenge };
          const usedAt = now();
          return {
            passed: true,
            onConsumed: async () => {
              // The counter moves only forward, atomically: of two assertions racing with one
              // counter value on two challenges, one wins and the other is refused.
              const moved = await factorStore.advancePasskeyCounter(
                factor.id,
                newCounter,
                info.credentialBackedUp,
                usedAt,
              );
              if (!moved) throw twoFactorError('PASSKEY_COUNTER_REPLAYED');
            },
          };
        },
      });
      if (verified === undefined) throw new Error('Passkey assertion passed without a verdict');
      return { ...verified, challenge: consumed };
    },
  };
}
