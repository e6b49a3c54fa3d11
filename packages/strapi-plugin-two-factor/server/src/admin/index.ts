import { createAdminEventsController } from './adminEventsController';
import { createAdminSessionsController } from './adminSessionsController';
import { createAdminSettingsController } from './adminSettingsController';
import { createAdminUsersController } from './adminUsersController';

export { registerAdminActions } from './adminActions';
export { ADMIN_ROUTES } from './adminRoutes';

/** Spread into the plugin's `controllers` map. */
export const adminControllers = {
  adminSettings: createAdminSettingsController,
  adminUsers: createAdminUsersController,
  adminEvents: createAdminEventsController,
  adminSessions: createAdminSessionsController,
};
