import { Flag, Port, serviceEnv, Url } from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';

export const GatewayConfig = serviceEnv({
  GATEWAY_PORT: Port(3000),
  INGEST_URL: Url('http://127.0.0.1:3001'),
  PROCESSOR_URL: Url('http://127.0.0.1:3002'),
  FORECASTER_URL: Url('http://127.0.0.1:3003'),
  ANOMALY_URL: Url('http://127.0.0.1:3004'),
  NOTIFIER_URL: Url('http://127.0.0.1:3005'),
  /**
   * With PARTITIONS > 1, where each replica of a stateful service answers, comma-separated in replica order,
   * when they are not on `<SERVICE>_URL`'s host at its port + 10 × i (compose: one container per replica).
   */
  PROCESSOR_URLS: Type.Optional(Type.String({ minLength: 1 })),
  FORECASTER_URLS: Type.Optional(Type.String({ minLength: 1 })),
  ANOMALY_URLS: Type.Optional(Type.String({ minLength: 1 })),
  NOTIFIER_URLS: Type.Optional(Type.String({ minLength: 1 })),
  /** Largest body the gateway accepts (413 above it, before anything is forwarded). */
  GATEWAY_MAX_BODY_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 64 * 1024 * 1024,
    default: 5 * 1024 * 1024,
  }),
  /** How long `/api/overview` waits for each service before reporting it down. */
  OVERVIEW_TIMEOUT_MS: Type.Integer({ minimum: 50, maximum: 60_000, default: 1500 }),
  /** How long one reading of the services serves `/api/overview` (0: only requests at the same moment share one). */
  OVERVIEW_MAX_AGE_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 1000 }),
  /** Requests per client address per minute on /api (429 above it); the benchmarks raise it. */
  GATEWAY_RATE_LIMIT: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 18_000 }),
  /** Test mode: `/api/test-mode/*` inject anomalies, simulate actuals and score (403 when off). */
  TEST_MODE: Flag(false),
  /** How long a forwarded request may take before the gateway answers 504. */
  GATEWAY_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 300_000, default: 30_000 }),
});
export type GatewayConfig = Static<typeof GatewayConfig>;
