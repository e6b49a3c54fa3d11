import { createAdminEventService } from './adminEventService';
import { createAdminEventsController } from './adminEventsController';
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
};

/** Spread into the plugin's `services` map. */
export const adminServices = {
  adminUsers: createAdminUserService,
  adminEvents: createAdminEventService,
};
