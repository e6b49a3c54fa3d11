import { it } from 'vitest';
import { benchDatabase } from './src/benchDatabase';
import { runPasskeyScenarios } from './src/scenarios/passkeyScenarios';
import { runScenarioPart } from './src/scenarios/runScenarioPart';

// Its own process and app: TOTP and passkey users only, no SMS.
it(`should measure a passkey's step 2 beside an app code's on ${benchDatabase()}`, async () => {
  await runScenarioPart('passkey', runPasskeyScenarios);
});
