import { it } from 'vitest';
import { benchDatabase } from './src/benchDatabase';
import { runCpuProfileScenarios } from './src/scenarios/cpuProfileScenarios';
import { runScenarioPart } from './src/scenarios/runScenarioPart';
import { runVerifyScenarios } from './src/scenarios/verifyScenarios';

// Its own process: a fresh app, fresh SMS budgets, and no other app booted before it here.
it(`should measure step 2 on ${benchDatabase()}`, async () => {
  await runScenarioPart('verify', async (context) => {
    await runVerifyScenarios(context);
    await runCpuProfileScenarios(context);
  });
});
