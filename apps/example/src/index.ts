import type { Core } from '@strapi/strapi';
import { registerDevOAuthProvider } from './auth/devOAuthProvider';

const ROLE_UID = 'plugin::users-permissions.role';
const PERMISSION_UID = 'plugin::users-permissions.permission';

/** Signed-in users may call the example's own route; its policy asks for more (AAL2). */
const AUTHENTICATED_ACTIONS = ['api::example.example.securePing'];

async function grantAuthenticatedActions(strapi: Core.Strapi): Promise<void> {
  const role = (await strapi.db.query(ROLE_UID).findOne({ where: { type: 'authenticated' } })) as { id: number } | null;
  if (role === null) return;
  for (const action of AUTHENTICATED_ACTIONS) {
    const existing = await strapi.db.query(PERMISSION_UID).findOne({ where: { action, role: role.id } });
    if (existing === null) await strapi.db.query(PERMISSION_UID).create({ data: { action, role: role.id } });
  }
}

export default {
  register({ strapi }: { strapi: Core.Strapi }): void {
    registerDevOAuthProvider(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }): Promise<void> {
    await grantAuthenticatedActions(strapi);
  },
};
