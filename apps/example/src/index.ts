import type { Core } from '@strapi/strapi';
import { registerDevOAuthProvider } from './auth/devOAuthProvider';

export default {
  register({ strapi }: { strapi: Core.Strapi }): void {
    registerDevOAuthProvider(strapi);
  },
};
