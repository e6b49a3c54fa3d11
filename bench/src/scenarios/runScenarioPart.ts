import { performance } from 'node:perf_hooks';
import { benchDatabase } from '../benchDatabase';
import { LoadGeneratorProcess } from '../loadGeneratorProcess';
import { type ScenarioPart, writeRawResult } from '../rawResults';
import { startTwilioProcess } from '../twilioProcess';
import type { ScenarioContext } from './scenarioContext';

/**
 * Runs one part of a database's scenarios in this process with its load generator and Twilio
 * server, then writes its raw results. Each scenario boots the app it needs on a fresh
 * database and stops it.
 */
export async function runScenarioPart(
  part: ScenarioPart,
  scenarios: (context: ScenarioContext) => Promise<void>,
): Promise<void> {
  const database = benchDatabase();
  const startedAt = performance.now();
  const load = LoadGeneratorProcess.start();
  const twilio = await startTwilioProcess();
  try {
    const context: ScenarioContext = {
      database,
      load,
      twilioUrl: twilio.url,
      measurements: [],
      profile: {
        database,
        bcryptCompareMilliseconds: 0,
        requests: {},
        databaseSettings: {},
        smsSentPerApp: {},
        cpu: {},
      },
    };
    await scenarios(context);
    await writeRawResult(`scenarios-${part}-${database}`, {
      kind: 'scenarios',
      part,
      database,
      measurements: context.measurements,
      profile: context.profile,
      durationSeconds: Math.round((performance.now() - startedAt) / 1000),
    });
  } finally {
    await twilio.stop();
    await load.stop();
  }
}
