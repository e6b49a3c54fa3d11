import { it } from 'vitest';
import { benchDatabase } from './src/benchDatabase';
import { runPairedLoginScenarios } from './src/scenarios/pairedLoginScenarios';
import { runPlainStrapiScenarios } from './src/scenarios/plainStrapiScenarios';
import { runScenarioPart } from './src/scenarios/runScenarioPart';
import { runSignInScenarios } from './src/scenarios/signInScenarios';

// Plain, plugin, plain: the baselines bracket the plugin's runs (see plainStrapiScenarios.ts).
// Then both up at once, taking turns: the comparison that holds the 2% target.
it(`should measure sign-in with and without the plugin on ${benchDatabase()}`, async () => {
  await runScenarioPart('sign-in', async (context) => {
    await runPlainStrapiScenarios(context, 'before');
    await runSignInScenarios(context);
    await runPlainStrapiScenarios(context, 'after');
    await runPairedLoginScenarios(context);
  });
});
