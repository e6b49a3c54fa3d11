import { createAdminEventService } from './adminEventService';
import { createAdminEventsController } from './adminEventsController';
import { createAdminSessionService } from './adminSessionService';
import { createAdminSessionsController } from './adminSessionsController';
import { createAdminSettingsController } from './adminSettingsController';
import { createAdminUserService } from './adminUserService';
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

/** Spread into the plugin's `services` map. */
export const adminServices = {
  adminUsers: createAdminUserService,
  adminEvents: createAdminEventService,
  adminSessions: createAdminSessionService,
};
