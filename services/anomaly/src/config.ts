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
  /**
   * A day's demand outside its forecast's 95 % interval is a note; this many standard deviations (σ from the
   * interval's width) from the forecast an anomaly: by the forecast's own intervals about 6 days in 100,000.
   */
  RESIDUAL_ALARM_Z: Positive(4, 100),
  /** Stock rules judge a series once this many of its latest reports reconciled (last − sold + received). */
  STOCK_TRUST_REPORTS: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
  IFOREST_TREES: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  IFOREST_SAMPLE: Type.Integer({ minimum: 2, maximum: 100_000, default: 256 }),
  /** The forest's random choices (samples, splits) come from this seed: the same events, the same scores. */
  IFOREST_SEED: Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, default: 2026 }),
  /** Share of events the forest notes (its most unusual, by the training scores' quantile); never alarms. */
  IFOREST_NOTE_SHARE: Type.Number({ minimum: 0.0001, maximum: 0.5, default: 0.01 }),
  /** Refit the forest each time this many more events were scored (counted, so runs are repeatable). */
  IFOREST_REFIT_EVENTS: Type.Integer({ minimum: 100, maximum: 10_000_000, default: 5000 }),
  IFOREST_WINDOW: Type.Integer({ minimum: 256, maximum: 1_000_000, default: 20_000 }),
  /** Feature rows kept (the newest): the refit window, and the events the score's ROC-AUC can cover. */
  FEATURES_KEEP: Type.Integer({ minimum: 1000, maximum: 100_000_000, default: 500_000 }),
  IFOREST_MIN_EVENTS: Type.Integer({ minimum: 10, maximum: 1_000_000, default: 500 }),
  /**
   * After a false-positive verdict, the same detector and type for that product at that store is an anomaly
   * again only from this many times the rejected anomaly's score (and never above a confirmed one's).
   */
  VERDICT_MARGIN: Type.Number({ minimum: 1, maximum: 100, default: 1.5 }),
  /** Descriptions shorter than this many letters (after trimming) are reported. */
  TEXT_MIN_LETTERS: Type.Integer({ minimum: 0, maximum: 100, default: 6 }),
  /** A description whose letters score below this many bits per letter against the catalogue is gibberish. */
  TEXT_GIBBERISH_BITS: Type.Number({ minimum: -30, maximum: 0, default: -6 }),
  /** A description reads like another category when the classifier gives its own at most this probability. */
  TEXT_OWN_CATEGORY_MAX: Type.Number({ minimum: 0, maximum: 1, default: 0.3 }),
});
export type AnomalyConfig = Static<typeof AnomalyConfig>;
