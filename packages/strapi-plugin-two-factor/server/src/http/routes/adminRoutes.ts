import type { Core } from '@strapi/strapi';
import { type AdminActionUid, adminActionId } from '../admin/adminActions';

type Route = Core.RouteInput;

/** A signed-in admin whose roles grant the action; anyone else gets 401 or 403 from Strapi. */
function guardedBy(uid: AdminActionUid): Route['config'] {
  return {
    policies: [
      'admin::isAuthenticatedAdmin',
      { name: 'admin::hasPermissions', config: { actions: [adminActionId(uid)] } },
    ],
  };
}

/** Admin API, under `/two-factor` (the admin panel's own prefix, no `/api`). */
export const ADMIN_ROUTES: Route[] = [
  { method: 'GET', path: '/settings', handler: 'adminSettings.find', config: guardedBy('settings') },
  { method: 'PUT', path: '/settings', handler: 'adminSettings.update', config: guardedBy('settings') },
  {
    method: 'POST',
    path: '/settings/preview-sms',
    handler: 'adminSettings.previewSms',
    config: guardedBy('settings'),
  },
  { method: 'GET', path: '/users', handler: 'adminUsers.find', config: guardedBy('read') },
  { method: 'POST', path: '/users/:id/reset', handler: 'adminUsers.reset', config: guardedBy('manage-users') },
  { method: 'POST', path: '/users/:id/unlock', handler: 'adminUsers.unlock', config: guardedBy('manage-users') },
  { method: 'GET', path: '/users/:id/sessions', handler: 'adminSessions.find', config: guardedBy('read') },
  {
    method: 'POST',
    path: '/users/:id/sessions/end',
    handler: 'adminSessions.endAll',
    config: guardedBy('manage-users'),
  },
  { method: 'GET', path: '/events', handler: 'adminEvents.find', config: guardedBy('read') },
];
