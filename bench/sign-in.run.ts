import { it } from 'vitest';
import { benchDatabase } from './src/benchDatabase';
import { runPlainStrapiScenarios } from './src/scenarios/plainStrapiScenarios';
import { runScenarioPart } from './src/scenarios/runScenarioPart';
import { runSignInScenarios } from './src/scenarios/signInScenarios';

// Plain, plugin, plain: the baselines bracket the plugin's runs (see plainStrapiScenarios.ts).
it(`should measure sign-in with and without the plugin on ${benchDatabase()}`, async () => {
  await runScenarioPart('sign-in', async (context) => {
    await runPlainStrapiScenarios(context, 'before');
    await runSignInScenarios(context);
    await runPlainStrapiScenarios(context, 'after');
  });
});
