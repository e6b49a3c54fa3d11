import { it } from 'vitest';
import { benchDatabase } from './src/benchDatabase';
import { runEnumerationScenarios } from './src/scenarios/enumerationScenarios';
import { runScenarioPart } from './src/scenarios/runScenarioPart';

// Its own process and apps: fresh SMS budgets for the phone routes.
it(`should time known against unknown on every unauthenticated route on ${benchDatabase()}`, async () => {
  await runScenarioPart('enumeration', runEnumerationScenarios);
});
