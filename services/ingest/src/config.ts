import { Flag, Port, serviceEnv } from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';

export const IngestConfig = serviceEnv({
  INGEST_PORT: Port(3001),
  /** Seed the demo history and a slow live stream when the store is empty (on for `pnpm start`). */
  DEMO: Flag(false),
  /** Live events per second of the demo stream. */
  DEMO_RATE: Type.Number({ minimum: 0, maximum: 5000, default: 2 }),
  /** Test mode: `POST /api/test/anomalies` injects labelled anomalies into live data (refused when off). */
  TEST_MODE: Flag(false),
  /** Largest accepted request body; a larger one answers 413. */
  INGEST_MAX_BODY_BYTES: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, default: 5 * 1024 * 1024 }),
});
export type IngestConfig = Static<typeof IngestConfig>;
