import type { Core } from '@strapi/strapi';
import { getService } from './http/getService';

/** Stops the clean-up timer and lets queued SMS leave before Strapi stops. */
export async function destroy({ strapi }: { strapi: Core.Strapi }): Promise<void> {
  getService(strapi, 'maintenance').stop();
  await getService(strapi, 'sms').close();
  await getService(strapi, 'email').close();
  await getService(strapi, 'rateLimits').close();
}
