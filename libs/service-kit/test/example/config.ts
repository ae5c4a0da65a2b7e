import { Port, serviceEnv } from '@stockpulse/service-kit';
import type { Static } from 'typebox';

/** The example's whole configuration: the common variables and its port. */
export const ExampleConfig = serviceEnv({ EXAMPLE_PORT: Port(3999) });
export type ExampleConfig = Static<typeof ExampleConfig>;
