import { PLUGIN_ID } from './pluginId';

/** The server's RBAC actions (`server/src/admin/adminActions.ts`), as the admin panel checks them. */
export const PERMISSIONS = {
  /** Users and the audit log. */
  read: [{ action: `plugin::${PLUGIN_ID}.read`, subject: null }],
  /** The policy on the settings page. */
  settings: [{ action: `plugin::${PLUGIN_ID}.settings`, subject: null }],
  /** Reset, unlock and end sessions. */
  manageUsers: [{ action: `plugin::${PLUGIN_ID}.manage-users`, subject: null }],
};
