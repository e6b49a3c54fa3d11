import type { UserStore } from '../../platform/stores/userStore';
import type { SettingsService } from './settingsService';

/** Who the policy requires to hold a factor (DESIGN.md, the policy's `mode` and `requiredRoles`). */
export interface EnforcementService {
  /** Whether the policy requires this user to have a factor (mode `required` or their role). */
  isRequiredFor(userId: number): Promise<boolean>;
  /** Whether the policy requires every user of this users-permissions role type to have a factor. */
  isRequiredForRole(roleType: string): boolean;
}

export function createEnforcementService({
  settings,
  users,
}: {
  settings: SettingsService;
  users: UserStore;
}): EnforcementService {
  function isRequiredForRole(roleType: string): boolean {
    const policy = settings.policy();
    if (policy.mode === 'required') return true;
    return policy.mode !== 'off' && policy.requiredRoles.includes(roleType);
  }

  return {
    isRequiredForRole,
    async isRequiredFor(userId) {
      const policy = settings.policy();
      if (policy.mode === 'required') return true;
      if (policy.mode === 'off' || policy.requiredRoles.length === 0) return false;
      const user = await users.findWithRole(userId);
      return isRequiredForRole(user?.role?.type ?? '');
    },
  };
}
