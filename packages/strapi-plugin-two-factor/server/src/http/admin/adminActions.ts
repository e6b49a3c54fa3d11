import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../../platform/pluginId';

/** The plugin's admin RBAC actions; each becomes `plugin::two-factor.<uid>` in Strapi's roles editor. */
export const ADMIN_ACTIONS = [
  { section: 'plugins', pluginName: PLUGIN_ID, uid: 'read', displayName: 'Read users and the audit log' },
  { section: 'plugins', pluginName: PLUGIN_ID, uid: 'settings', displayName: 'Change the policy' },
  { section: 'plugins', pluginName: PLUGIN_ID, uid: 'manage-users', displayName: 'Reset, unlock and sign out users' },
] as const;

export type AdminActionUid = (typeof ADMIN_ACTIONS)[number]['uid'];

/** `plugin::two-factor.<uid>`, the id admin routes and the admin panel check. */
export function adminActionId(uid: AdminActionUid): string {
  return `plugin::${PLUGIN_ID}.${uid}`;
}

interface ActionProvider {
  registerMany(actions: readonly (typeof ADMIN_ACTIONS)[number][]): Promise<void>;
}

/** Registered in `bootstrap`, before the admin syncs the Super Admin role with every known action. */
export async function registerAdminActions(strapi: Core.Strapi): Promise<void> {
  const { actionProvider } = strapi.service('admin::permission') as unknown as { actionProvider: ActionProvider };
  await actionProvider.registerMany(ADMIN_ACTIONS);
}
