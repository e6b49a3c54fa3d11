import { validatePluginConfig } from './validatePluginConfig';

export default {
  // Defaults live in the schema: Strapi merges the app's options over `{}` and the
  // services read the parsed result, so one place states every default and bound.
  default: {},
  validator(config: unknown): void {
    validatePluginConfig(config);
  },
};
