/**
 * The forecaster's models leaderboard (`GET /api/models`) from additive parts, so that replicas' parts add up
 * to the figures one forecaster holding every series would give: per level and model, sums and counts of
 * each backtest score, against SeasonalNaive on the same series, and of the live errors.
 */
export const LEADERBOARD_SCORES = [
  'mase',
  'wape',
  'smape',
  'bias',
  'rmse',
  'coverage_80',
  'coverage_95',
] as const;

type Score = (typeof LEADERBOARD_SCORES)[number];

/** One replica's part of a leaderboard row (`GET /api/models?parts=true`). */
export type LeaderboardPart = {
  level: 'product' | 'category';
  model: string;
  series: number;
  chosen: number;
  failed: number;
  /** Its MASE summed over the series where SeasonalNaive has one, and SeasonalNaive's where it has one. */
  vs_num: number | null;
  vs_den: number | null;
  beats: number | null;
  beats_n: number;
  live_abs: number | null;
  live_actual: number | null;
  live_days: number;
} & Record<`${Score}_sum`, number | null> &
  Record<`${Score}_n`, number>;

const round = (v: number | null) => (v === null || !Number.isFinite(v) ? null : Math.round(v * 1000) / 1000);
const ratio = (a: number, b: number) => (b ? a / b : null);

/** The leaderboard rows of these parts: best mean MASE first within each level (product, then category). */
export function leaderboardOf(parts: readonly LeaderboardPart[]): Record<string, number | string | null>[] {
  const rows = new Map<string, LeaderboardPart[]>();
  for (const p of parts) {
    const key = `${p.level}\u0000${p.model}`;
    (rows.get(key) ?? rows.set(key, []).get(key)!).push(p);
  }
  const sum = (ps: LeaderboardPart[], pick: (p: LeaderboardPart) => number | null) =>
    ps.reduce((s, p) => s + (pick(p) ?? 0), 0);
  const out = [...rows.values()].map((ps) => {
    const scores: Record<string, number | null> = Object.fromEntries(
      LEADERBOARD_SCORES.map((s) => [
        s,
        round(
          ratio(
            sum(ps, (p) => p[`${s}_sum`]),
            sum(ps, (p) => p[`${s}_n`]),
          ),
        ),
      ]),
    );
    const days = sum(ps, (p) => p.live_days);
    return {
      level: ps[0]!.level,
      model: ps[0]!.model,
      series: sum(ps, (p) => p.series),
      chosen: sum(ps, (p) => p.chosen),
      ...scores,
      failed: sum(ps, (p) => p.failed),
      vs_seasonal_naive: round(
        ratio(
          sum(ps, (p) => p.vs_num),
          sum(ps, (p) => p.vs_den),
        ),
      ),
      beats_seasonal_naive: round(
        ratio(
          sum(ps, (p) => p.beats),
          sum(ps, (p) => p.beats_n),
        ),
      ),
      live_mae: round(
        ratio(
          sum(ps, (p) => p.live_abs),
          days,
        ),
      ),
      live_wape: round(
        ratio(
          100 * sum(ps, (p) => p.live_abs),
          sum(ps, (p) => p.live_actual),
        ),
      ),
      live_days: days,
    };
  });
  const mase = (r: Record<string, unknown>) => (typeof r.mase === 'number' ? r.mase : Infinity);
  return out.sort(
    (a, b) =>
      (a.level === b.level ? 0 : a.level === 'product' ? -1 : 1) ||
      mase(a) - mase(b) ||
      (a.model < b.model ? -1 : a.model > b.model ? 1 : 0),
  );
}
