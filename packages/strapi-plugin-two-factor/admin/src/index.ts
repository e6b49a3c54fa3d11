import { Shield } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import { Initializer } from './components/Initializer';
import { PERMISSIONS } from './permissions';
import { PLUGIN_ID } from './pluginId';
import { getTranslation } from './utils/getTranslation';

type Translations = Record<string, string>;

function prefixKeys(data: Translations): Translations {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [`${PLUGIN_ID}.${key}`, value]));
}

const plugin: StrapiApp['appPlugins'][string] = {
  register(app: StrapiApp) {
    // Main menu: Users and Audit log, for admins with the `read` action.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Shield,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Two-factor' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/HomePage').then((module) => ({ default: module.HomePage })),
    });
    // Settings → "Two-factor" → Policy, for admins with the `settings` action.
    app.addSettingsLink(
      { id: PLUGIN_ID, intlLabel: { id: getTranslation('settings.section'), defaultMessage: 'Two-factor' } },
      {
        id: `${PLUGIN_ID}-policy`,
        to: PLUGIN_ID,
        intlLabel: { id: getTranslation('settings.link'), defaultMessage: 'Policy' },
        permissions: PERMISSIONS.settings,
        Component: () => import('./pages/SettingsPage').then((module) => ({ default: module.SettingsPage })),
      },
    );
    app.registerPlugin({
      id: PLUGIN_ID,
      initializer: Initializer,
      isReady: false,
      name: PLUGIN_ID,
    });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as { default: Translations };
          return { data: prefixKeys(data), locale };
        } catch {
          // No file for this locale: the admin falls back to English.
          return { data: {}, locale };
        }
      }),
    );
  },
};

export default plugin;
