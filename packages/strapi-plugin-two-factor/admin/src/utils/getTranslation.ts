import { PLUGIN_ID } from '../pluginId';

/** The translation id of one of the plugin's keys in `translations/*.json`. */
export function getTranslation(id: string): string {
  return `${PLUGIN_ID}.${id}`;
}
