import { Port, serviceEnv, Url } from '@stockpulse/service-kit';
import Type, { type Static } from 'typebox';

const Positive = (fallback: number, maximum = 1e9) =>
  Type.Number({ exclusiveMinimum: 0, maximum, default: fallback });

export const AnomalyConfig = serviceEnv({
  ANOMALY_PORT: Port(3004),
  /** Where `/api/score` reads the generator's labels. */
  INGEST_URL: Url('http://127.0.0.1:3001'),
  /** A price this many times its product's recent median (or that fraction of it) is a price anomaly… */
  PRICE_MAX_RATIO: Type.Number({ minimum: 1.1, maximum: 100, default: 3 }),
  /** …and this many robust standard deviations (1.4826 × MAD) away from it. */
  PRICE_MAD_K: Positive(5, 100),
  /** Prices seen before the price rule judges a product at a store. */
  PRICE_MIN_HISTORY: Type.Integer({ minimum: 2, maximum: 1000, default: 5 }),
  /** Stock may differ from last stock − sold + received by this many units… */
  QUANTITY_TOLERANCE: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 2 }),
  /** …or this share of the last stock, whichever is larger. */
  QUANTITY_TOLERANCE_SHARE: Type.Number({ minimum: 0, maximum: 1, default: 0.05 }),
  /** The original's z-score test over forecasts: |actual − forecast| / σ above this is reported (info). */
  RESIDUAL_Z: Positive(1.5, 100),
  IFOREST_TREES: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  IFOREST_SAMPLE: Type.Integer({ minimum: 2, maximum: 100_000, default: 256 }),
  /** Share of events expected to be anomalous; 0 means none set: anomaly when the score is over 0.5. */
  IFOREST_CONTAMINATION: Type.Number({ minimum: 0, maximum: 0.5, default: 0 }),
  /** Forest anomalies scoring up to this are information, above it warnings (critical 0.1 higher). */
  IFOREST_WARNING_SCORE: Type.Number({ minimum: 0.5, maximum: 0.9, default: 0.7 }),
  /** Refit the forest this often (from the latest IFOREST_WINDOW events), once enough events are in. */
  IFOREST_REFIT_MS: Type.Integer({ minimum: 100, maximum: 86_400_000, default: 60_000 }),
  IFOREST_WINDOW: Type.Integer({ minimum: 256, maximum: 1_000_000, default: 20_000 }),
  /** Feature rows kept (the newest): the refit window, and the events the score's ROC-AUC can cover. */
  FEATURES_KEEP: Type.Integer({ minimum: 1000, maximum: 100_000_000, default: 500_000 }),
  IFOREST_MIN_EVENTS: Type.Integer({ minimum: 10, maximum: 1_000_000, default: 500 }),
  /** Descriptions shorter than this many letters (after trimming) are reported. */
  TEXT_MIN_LETTERS: Type.Integer({ minimum: 0, maximum: 100, default: 6 }),
  /** A description whose letters score below this many bits per letter against the catalogue is gibberish. */
  TEXT_GIBBERISH_BITS: Type.Number({ minimum: -30, maximum: 0, default: -6 }),
  /** A description reads like another category when the classifier gives its own at most this probability. */
  TEXT_OWN_CATEGORY_MAX: Type.Number({ minimum: 0, maximum: 1, default: 0.3 }),
});
export type AnomalyConfig = Static<typeof AnomalyConfig>;
