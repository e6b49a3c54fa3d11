import { describeFactor, type FactorDescription } from '../../core/factors/describeFactor';
import type { FactorService } from '../../core/factors/factorService';
import type { RecoveryCodeService } from '../../core/recovery-codes/recoveryCodeService';
import type { EnforcementService } from '../../core/settings/enforcementService';
import type { ClockService } from '../../platform/clock/clockService';
import type { TrustedDeviceStore } from '../../platform/stores/trustedDeviceStore';

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

export function createMeService({
  clock,
  factors: factorService,
  enforcement,
  recoveryCodes,
  trustedDeviceStore,
}: {
  clock: ClockService;
  factors: FactorService;
  enforcement: EnforcementService;
  recoveryCodes: RecoveryCodeService;
  trustedDeviceStore: TrustedDeviceStore;
}): MeService {
  return {
    async status(userId) {
      const now = clock.now();
      const [factors, recoveryCodesRemaining, devices] = await Promise.all([
        factorService.activeFactors(userId),
        recoveryCodes.remaining(userId),
        trustedDeviceStore.listLive(userId, now),
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
