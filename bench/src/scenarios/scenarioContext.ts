import type { DatabaseKind } from '@strapi-two-factor/test-utils';
import type { LoadGeneratorProcess } from '../loadGeneratorProcess';
import type { Measurement, Profile } from '../rawResults';

export interface ScenarioContext {
  database: DatabaseKind;
  load: LoadGeneratorProcess;
  twilioUrl: string;
  /** Each scenario appends what it measured. */
  measurements: Measurement[];
  profile: Profile;
}
