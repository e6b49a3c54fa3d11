import { randomBytes } from 'node:crypto';
import { generateURI, ScureBase32Plugin } from 'otplib';
import QRCode from 'qrcode';
import type { AccountStateService } from '../../core/account/accountStateService';
import { describeFactor, type FactorDescription } from '../../core/factors/describeFactor';
import type { AuthorizeAddition, FactorService } from '../../core/factors/factorService';
import type { NotificationService } from '../../core/notifications/notificationService';
import { ACCOUNT_LOCKED_NOTICE } from '../../core/notifications/notificationService';
import type { SecretsService } from '../../core/secrets/secretsService';
import type { SettingsService } from '../../core/settings/settingsService';
import type { ClockService } from '../../platform/clock/clockService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { FactorRow, FactorStore, TotpFactorRow } from '../../platform/stores/factorStore';
import type { UserStore } from '../../platform/stores/userStore';
import { decryptSecret, encryptSecret } from './secretCipher';
import { matchTotpStep } from './totpCode';

/** RFC 4226 §4 recommends 160 bits. */
const SECRET_BYTES = 20;
const PERIOD_SECONDS = 30;
/** RFC 4648 base32 without padding, as authenticator apps read a secret (otplib's own encoder). */
const BASE32 = new ScureBase32Plugin();

/**
 * The account part of the Key URI label. The label is `issuer:account` and neither part may
 * contain a colon (Key URI format); usernames may. otplib percent-encodes each part but keeps
 * colons as separators, so a colon in the account becomes the look-alike U+FF1A: the app
 * still shows the username as typed, and parsers find the issuer at the one real colon.
 */
export function accountLabel(account: string): string {
  return account.replace(/:/g, '\uFF1A');
}

export interface TotpSetup {
  factorId: number;
  secret: string;
  otpauthUri: string;
  qrCodeSvg: string;
}

export interface TotpFactorService {
  /** `authorize` runs once the request is valid and before anything is written. */
  setup(userId: number, authorize: AuthorizeAddition): Promise<TotpSetup>;
  activate(
    userId: number,
    factorId: number,
    code: string,
  ): Promise<{ factor: FactorDescription; recoveryCodes?: string[] }>;
  /**
   * True when `code` is the user's current TOTP (±1 step) and that step was never accepted
   * before for the factor: the step is burnt in the database, so a replay fails on every
   * instance (RFC 6238 §5.2, ASVS 2.8.4).
   */
  consumeCode(userId: number, code: string): Promise<boolean>;
}

export function createTotpFactorService({
  accountState,
  clock,
  factors: factorService,
  notifications,
  secrets,
  settings,
  factorStore,
  users,
}: {
  accountState: AccountStateService;
  clock: ClockService;
  factors: FactorService;
  notifications: NotificationService;
  secrets: SecretsService;
  settings: SettingsService;
  factorStore: FactorStore;
  users: UserStore;
}): TotpFactorService {
  const now = (): Date => clock.now();
  const context = (userId: number): string => `two-factor:totp:${userId}`;

  function encryptionKey(): Buffer {
    const key = secrets.encryptionKey();
    // DESIGN.md: enrolment of a TOTP factor is refused without a key.
    if (key === undefined) throw twoFactorError('ENCRYPTION_KEY_MISSING');
    return key;
  }

  function secretOf(factor: TotpFactorRow): Buffer {
    if (factor.secretCiphertext === null) throw new Error(`TOTP factor ${factor.id} has no secret`);
    return decryptSecret(encryptionKey(), factor.secretCiphertext, context(factor.userId));
  }

  /** Burns `step` for the factor; of parallel requests with one code only one succeeds. */
  function burnStep(factor: TotpFactorRow, step: number, options: { activate?: boolean } = {}): Promise<boolean> {
    return factorStore.burnTotpStep(factor.id, step, now(), options);
  }

  return {
    async setup(userId, authorize) {
      if (!settings.policy().allowedMethods.includes('totp')) throw twoFactorError('METHOD_NOT_AVAILABLE');
      const key = encryptionKey();
      const user = await users.findById(userId);
      if (user === null) throw twoFactorError('NOT_FOUND');
      await authorize();
      const secret = randomBytes(SECRET_BYTES);
      const createdAt = now();
      // One enrolment at a time: an older, never activated secret is dropped.
      await factorStore.deletePending(userId, 'totp');
      const factor = await factorStore.create({
        userId,
        type: 'totp',
        status: 'pending',
        label: 'Authenticator app',
        secretCiphertext: encryptSecret(key, secret, context(userId)),
        createdAt,
      });

      const { appName } = settings.config();
      const base32 = BASE32.encode(secret);
      const otpauthUri = generateURI({
        strategy: 'totp',
        issuer: appName,
        label: accountLabel(user.email ?? user.username),
        secret: base32,
        period: PERIOD_SECONDS,
      });
      const qrCodeSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { factorId: factor.id, secret: base32, otpauthUri, qrCodeSvg };
    },

    async activate(userId, factorId, code) {
      const factor = await factorStore.findOwnedTotp(userId, factorId);
      if (factor === null || factor.type !== 'totp') throw twoFactorError('NOT_FOUND');
      if (factor.status === 'active') throw twoFactorError('ALREADY_ENROLLED');
      await accountState.reserveAttempt(userId);
      const step = matchTotpStep(secretOf(factor), code, Math.floor(now().getTime() / 1000));
      if (step === undefined || !(await burnStep(factor, step, { activate: true }))) {
        const failure = await accountState.recordFailure(userId);
        if (failure.locked) {
          await notifications.securityChange(userId, ACCOUNT_LOCKED_NOTICE);
          throw twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: failure.retryAfterSeconds });
        }
        throw twoFactorError('INVALID_CODE');
      }
      await accountState.recordSuccess(userId);
      const recoveryCodes = await factorService.afterActivation(userId, factor.id);
      const activated = (await factorStore.find(factor.id)) as FactorRow;
      return { factor: describeFactor(activated), ...(recoveryCodes === undefined ? {} : { recoveryCodes }) };
    },

    async consumeCode(userId, code) {
      const active = await factorStore.activeTotpOf(userId);
      const timeInSeconds = Math.floor(now().getTime() / 1000);
      for (const factor of active) {
        const step = matchTotpStep(secretOf(factor), code, timeInSeconds);
        if (step !== undefined) return burnStep(factor, step);
      }
      return false;
    },
  };
}
