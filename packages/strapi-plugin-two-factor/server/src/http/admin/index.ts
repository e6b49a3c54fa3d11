import { createAdminEventsController } from '../controllers/adminEventsController';
import { createAdminSessionsController } from '../controllers/adminSessionsController';
import { createAdminSettingsController } from '../controllers/adminSettingsController';
import { createAdminUsersController } from '../controllers/adminUsersController';

export { ADMIN_ROUTES } from '../routes/adminRoutes';
export { registerAdminActions } from './adminActions';

/** Spread into the plugin's `controllers` map. */
export const adminControllers = {
  adminSettings: createAdminSettingsController,
  adminUsers: createAdminUsersController,
  adminEvents: createAdminEventsController,
  adminSessions: createAdminSessionsController,
};
