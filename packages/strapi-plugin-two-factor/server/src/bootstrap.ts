import type { Core } from '@strapi/strapi';
import { registerAdminActions } from './http/admin';
import { getService } from './http/getService';
import { SELF_SERVICE_ACTIONS } from './http/routes';

const ROLE_UID = 'plugin::users-permissions.role';
const PERMISSION_UID = 'plugin::users-permissions.permission';

/** Self-service needs a signed-in user: grant its actions to the Authenticated role once. */
async function grantSelfServiceToAuthenticatedRole(strapi: Core.Strapi): Promise<void> {
  const role = (await strapi.db.query(ROLE_UID).findOne({ where: { type: 'authenticated' } })) as { id: number } | null;
  if (role === null) {
    strapi.log.warn('[two-factor] no Authenticated role: self-service routes stay closed until granted');
    return;
  }
  for (const action of SELF_SERVICE_ACTIONS) {
    const existing = await strapi.db.query(PERMISSION_UID).findOne({ where: { action, role: role.id } });
    if (existing === null) await strapi.db.query(PERMISSION_UID).create({ data: { action, role: role.id } });
  }
}

const CLEANUP_INTERVAL_MILLISECONDS = 5 * 60 * 1000;

export async function bootstrap({ strapi }: { strapi: Core.Strapi }): Promise<void> {
  await getService(strapi, 'settings').reload();
  await getService(strapi, 'rateLimits').connect();
  const config = getService(strapi, 'settings').config();
  await grantSelfServiceToAuthenticatedRole(strapi);
  await registerAdminActions(strapi);
  getService(strapi, 'maintenance').start(CLEANUP_INTERVAL_MILLISECONDS);
  const provider = typeof config.sms.provider === 'function' ? 'custom function' : config.sms.provider;
  strapi.log.info(`[two-factor] ready (SMS provider: ${provider})`);
}
