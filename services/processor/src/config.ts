import { Port, serviceEnv } from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';

export const ProcessorConfig = serviceEnv({
  PROCESSOR_PORT: Port(3002),
  /** How often changed windows are recomputed and published (coalescing every event in between). */
  PROCESSOR_FLUSH_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000 }),
});
export type ProcessorConfig = Static<typeof ProcessorConfig>;
