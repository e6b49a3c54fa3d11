import type { Core } from '@strapi/strapi';
import { describeFactor, type FactorDescription } from '../../core/factors/describeFactor';
import type { FactorService } from '../../core/factors/factorService';
import type { RecoveryCodeService } from '../../core/recovery-codes/recoveryCodeService';
import type { EnforcementService } from '../../core/settings/enforcementService';
import type { ClockService } from '../../platform/clock/clockService';

export interface TrustedDeviceDescription {
  id: number;
  userAgent: string | null;
  lastUsedAt: string | null;
  expiresAt: string;
}

export interface TwoFactorStatus {
  enabled: boolean;
  required: boolean;
  factors: FactorDescription[];
  recoveryCodesRemaining: number;
  trustedDevices: TrustedDeviceDescription[];
}

export interface MeService {
  status(userId: number): Promise<TwoFactorStatus>;
}

interface TrustedDeviceRow {
  id: number;
  userAgent: string | null;
  lastUsedAt: string | Date | null;
  expiresAt: string | Date;
}

export function createMeService({
  strapi,
  clock,
  factors: factorService,
  enforcement,
  recoveryCodes,
}: {
  strapi: Core.Strapi;
  clock: ClockService;
  factors: FactorService;
  enforcement: EnforcementService;
  recoveryCodes: RecoveryCodeService;
}): MeService {
  return {
    async status(userId) {
      const now = clock.now();
      const [factors, recoveryCodesRemaining, devices] = await Promise.all([
        factorService.activeFactors(userId),
        recoveryCodes.remaining(userId),
        strapi.db.query('plugin::two-factor.trusted-device').findMany({
          where: { userId, expiresAt: { $gt: now } },
          orderBy: { id: 'desc' },
        }) as Promise<TrustedDeviceRow[]>,
      ]);
      return {
        enabled: factors.length > 0,
        required: await enforcement.isRequiredFor(userId),
        factors: factors.map(describeFactor),
        recoveryCodesRemaining,
        trustedDevices: devices.map((device) => ({
          id: device.id,
          userAgent: device.userAgent,
          lastUsedAt: device.lastUsedAt === null ? null : new Date(device.lastUsedAt).toISOString(),
          expiresAt: new Date(device.expiresAt).toISOString(),
        })),
      };
    },
  };
}
