import { partitionOf } from '@stockpulse/contracts';
import type { Logger, Outbox, SqliteDatabase } from '@stockpulse/service-kit';
import type { ForecasterConfig } from './config.js';
import { createDemandRepository } from './db/demand.repository.js';
import { createForecastsRepository, type SeriesRow } from './db/forecasts.repository.js';
import { LevelModels, levelOf, type Level, type LevelModel } from './level-models.js';
import { LEVEL_MODELS, parseModelList } from './models/names.js';
import { tail } from './models/types.js';
import { forecastPublisher } from './publish.js';
import type { ForecastPool } from './workers/pool.js';

export interface Selection {
  store?: string | undefined;
  product?: string | undefined;
  horizon?: number | undefined;
}

/** A batch of input this large means a backlog (the bus hands over up to 256 at a time). */
const BACKLOG_BATCH = 200;
/** Training waits out a backlog for this many intervals at the most. */
const MAX_DEFERRED_INTERVALS = 10;
/** Series per task to a forecasting thread, at most (fewer where that spreads a small job over the threads). */
const CHUNK = 50;

/**
 * Retrains the series whose complete days changed (every FORECAST_INTERVAL_MS, and at each UTC midnight,
 * when yesterday becomes complete), or the ones asked for. Series go to the forecasting threads; results
 * are stored, and the new forecast published, in one transaction per series.
 */
export class Trainer {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> = Promise.resolve();
  private lastToday: string;
  private stopped = false;
  private backlogUntil = 0;
  private backlogSince = 0;
  readonly demand;
  readonly forecasts;
  private readonly models: string[];
  readonly levels: LevelModels;
  private readonly publish: ReturnType<typeof forecastPublisher>;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly pool: ForecastPool,
    private readonly outbox: Outbox,
    private readonly config: ForecasterConfig,
    private readonly log: Logger,
    private readonly today: () => string,
    /** This replica's partition (none: every store is its own). */
    partition?: number,
  ) {
    // a replica learns the level models from every store's demand and forecasts its own stores' series alone
    db.function('owned', { deterministic: true }, (store) =>
      partition === undefined || partitionOf(String(store), config.PARTITIONS) === partition ? 1 : 0,
    );
    this.demand = createDemandRepository(db);
    this.forecasts = createForecastsRepository(db);
    this.lastToday = today();
    this.models = parseModelList(config.FORECASTER_MODELS);
    this.publish = forecastPublisher(db, outbox, config, this.demand, this.forecasts);
    this.levels = new LevelModels(
      db,
      this.demand,
      pool,
      config.FORECAST_HISTORY_DAYS,
      config.BACKTEST_WINDOWS,
    );
  }

  /**
   * A batch of daily demand arrived. A large one means the forecaster is working off a backlog (a backfill, a
   * generated history, a return after downtime): every day that completes would retrain its series again,
   * so training waits until the input has been quiet for one interval, then trains each series once.
   */
  sawInput(batchSize: number, now = Date.now()): void {
    if (batchSize < BACKLOG_BATCH) return;
    if (now >= this.backlogUntil) this.backlogSince = now;
    this.backlogUntil = now + this.config.FORECAST_INTERVAL_MS;
  }

  /**
   * True while training waits for a backlog of input to end, for MAX_DEFERRED_INTERVALS at the most: a
   * backlog that never ends must not stop training (the series are then trained as they stand).
   */
  deferring(now = Date.now()): boolean {
    const interval = this.config.FORECAST_INTERVAL_MS;
    return now < this.backlogUntil && now - this.backlogSince < MAX_DEFERRED_INTERVALS * interval;
  }

  start(): void {
    const tick = () => {
      this.timer = setTimeout(() => {
        this.current = (this.deferring() ? Promise.resolve(0) : this.trainChanged())
          .catch((err: unknown) => this.log.error({ err }, 'training failed; will try again'))
          .finally(() => !this.stopped && tick());
      }, this.config.FORECAST_INTERVAL_MS);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /**
   * This replica's series changed since their last training (a new day completed counts as a change for
   * all); `owned` (app.ts) tells its stores from the others', whose demand it keeps for the level models.
   */
  async trainChanged(): Promise<number> {
    const today = this.today();
    if (today !== this.lastToday) {
      this.db.prepare('UPDATE series SET version = version + 1').run();
      this.lastToday = today;
    }
    this.forecasts.fillActuals(today);
    const rows = this.db
      .prepare<[], SeriesRow>(
        'SELECT * FROM series WHERE version > trained_version AND owned(store_location)',
      )
      .all();
    return this.train(rows, undefined, () => {});
  }

  /** Series matching a selection, now (a job). */
  selected(selection: Selection): SeriesRow[] {
    return this.db
      .prepare<[{ store: string | null; product: string | null }], SeriesRow>(
        `SELECT * FROM series WHERE (@store IS NULL OR store_location = @store)
           AND (@product IS NULL OR product_id = @product) AND owned(store_location)`,
      )
      .all({ store: selection.store ?? null, product: selection.product ?? null });
  }

  /**
   * Trains these series: the level models of their level first (today's, kept, unless `refit`), then chunks of series
   * through the race, two chunks at a time per thread; `progress` after each chunk.
   */
  async train(
    rows: SeriesRow[],
    horizon: number | undefined,
    progress: (done: number) => void,
    signal?: AbortSignal,
    refit = false,
    costlyShare = this.config.FORECAST_COSTLY_SHARE,
  ): Promise<number> {
    const today = this.today();
    const groups = new Map<string, { level: Level; horizon: number; rows: SeriesRow[] }>();
    for (const row of rows) {
      const h = horizon ?? row.horizon ?? this.config.FORECAST_HORIZON;
      const key = `${levelOf(row)}/${h}`;
      (groups.get(key) ?? groups.set(key, { level: levelOf(row), horizon: h, rows: [] }).get(key)!).rows.push(
        row,
      );
    }
    let done = 0;
    const going = () => !this.stopped && !signal?.aborted;
    for (const group of groups.values()) {
      if (!going()) break;
      const level = this.models.some((m) => LEVEL_MODELS.includes(m))
        ? await this.levels.get(group.level, group.horizon, today, refit)
        : null;
      const size = Math.max(1, Math.min(CHUNK, Math.ceil(group.rows.length / (2 * this.pool.threads))));
      let next = 0;
      const lane = async () => {
        while (next < group.rows.length && going()) {
          const chunk = group.rows.slice(next, (next += size));
          const trained = await this.trainChunk(chunk, group.horizon, today, level, costlyShare);
          progress((done += trained));
        }
      };
      await Promise.all(Array.from({ length: this.pool.threads * 2 }, lane));
    }
    return done;
  }

  private async trainChunk(
    rows: SeriesRow[],
    horizon: number,
    today: string,
    level: LevelModel | null,
    costlyShare: number,
  ) {
    // the most recent FORECAST_HISTORY_DAYS: the level models learn from all of them, each per-series model
    // from its own most recent part (types.ts: tail)
    const items = [];
    for (const [i, row] of rows.entries()) {
      items.push({
        row,
        series: tail(this.demand.series(row, today), this.config.FORECAST_HISTORY_DAYS),
        codes: level?.codes(row) ?? ([-1, -1] as [number, number]),
      });
      // reads and writes of the service go on between the series of a chunk
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    const present = items.filter((item) => item.series.values.length);
    if (!present.length) return rows.length;
    const results = await this.pool.race({
      items: present.map(({ row, series, codes }) => ({
        series,
        codes,
        key: `${row.store_location}|${row.category}|${row.product_id ?? ''}`,
      })),
      horizon,
      windows: this.config.BACKTEST_WINDOWS,
      models: this.models,
      levels: level?.fits ?? [],
      costlyShare,
    });
    present.forEach(({ row, series }, i) => this.publish(row, series, results[i]!, horizon));
    return rows.length;
  }
}
