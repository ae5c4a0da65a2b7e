import type { SplitSpec } from '@stockpulse/service-kit';

const series = '(SELECT s.store_location FROM old.series s WHERE s.series_id = t.series_id)';

/**
 * The forecaster's stores split again (`pnpm repartition`). Every replica keeps every store's demand and
 * series (the level models learn from all of them), so those come whole from one old store; a series'
 * training (its choice, forecasts and backtests) comes from its old owner and stays only with its new one —
 * elsewhere the series is as a replica keeps another's: untrained.
 */
export const split: SplitSpec = {
  rules: {
    demand: { everywhere: 'first' },
    series: { everywhere: 'owner', store: 't.store_location' },
    points: { store: series },
    backtests: { store: series },
  },
  after: (db) =>
    db.exec(`UPDATE series SET model = NULL, reason = NULL, last_date = NULL, advice = NULL, trained_at = NULL,
      trained_version = -1 WHERE NOT owned(store_location)`),
};
