import type { SplitSpec } from '@stockpulse/service-kit';

/**
 * The processor's stores split again (`pnpm repartition`): every table by its store, the applied reports
 * numbered afresh (their largest id is the count of events applied), and the category's value over the
 * partition's stores made again from the windows — at each moment a window of the category starts, each store's
 * latest window up to then (its closing stock value holds until its next window).
 */
export const split: SplitSpec = {
  rules: {
    snapshots: { store: 't.store_location', renumber: 'id' },
    category_windows: { derived: true },
  },
  after: (db) =>
    db.exec(`
      INSERT INTO category_windows (category, window, window_start, stock_value)
      SELECT m.category, m.window, m.window_start,
        (SELECT COALESCE(SUM((SELECT w.total_stock_value FROM windows w
            WHERE w.store_location = g.store_location AND w.category = m.category AND w.window = m.window
              AND w.window_start <= m.window_start ORDER BY w.window_start DESC LIMIT 1)), 0)
         FROM (SELECT DISTINCT store_location FROM windows x WHERE x.category = m.category AND x.window = m.window) g)
      FROM (SELECT DISTINCT category, window, window_start FROM windows) m`),
};
