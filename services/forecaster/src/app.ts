import { Gauge } from 'prom-client';
import {
  consumeBatch,
  createInbox,
  createOutbox,
  createServiceApp,
  JobRunner,
  jobsRoutes,
  relayOutbox,
  type ServiceApp,
  type ServiceDeps,
} from '@stockpulse/service-kit';
import type { ForecasterConfig } from './config.js';
import { metricsHandler } from './handlers/metrics.handler.js';
import { forecastsRoutes } from './routes/forecasts.routes.js';
import { replenishmentRoutes } from './routes/replenishment.routes.js';
import { Trainer, type Selection } from './trainer.js';
import { createForecastPool, type ForecastPool } from './workers/pool.js';

export { migrations } from './db/migrations.js';
export { split } from './db/split.js';

export interface ForecasterDeps extends ServiceDeps {
  /** The forecasting threads (tests may share one pool between apps). */
  pool?: ForecastPool;
  /** Today's UTC date, `YYYY-MM-DD`: days before it are complete. */
  today?: () => string;
}

/**
 * forecaster: daily demand in (from `stockpulse.inventory-metrics`), forecasts with intervals, backtests,
 * the automatic choice and reorder advice out (`stockpulse.forecasts` and the API).
 */
export async function buildApp(deps: ForecasterDeps, config: ForecasterConfig): Promise<ServiceApp> {
  const db = deps.db!;
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));
  const app = await createServiceApp(deps, { name: 'forecaster' });
  const outbox = createOutbox(db);
  const pool = deps.pool ?? createForecastPool(config.FORECAST_THREADS, config.FORECAST_NICE);
  const log = deps.log.child({ component: 'trainer' });
  const trainer = new Trainer(db, pool, outbox, config, log, today, deps.partition);
  const pending = db
    .prepare('SELECT COUNT(*) FROM series WHERE version > trained_version AND owned(store_location)')
    .pluck();
  new Gauge({
    name: 'stockpulse_forecaster_series_pending',
    help: 'Series whose data changed since their last training (the trainer works them off)',
    registers: [deps.metrics.registry],
    collect() {
      this.set(pending.get() as number);
    },
  });
  const jobs = new JobRunner(
    db,
    'forecaster',
    {
      forecast: async (params: Selection, ctx) => {
        const rows = trainer.selected(params);
        ctx.progress(0, rows.length);
        const trained = await trainer.train(
          rows,
          params.horizon,
          (done) => ctx.progress(done, rows.length),
          ctx.signal,
          // asked for: the level models learn from the data as it is now too
          true,
          // one series asked for gets the costly fits wherever the screen lets them in
          rows.length === 1 ? 1 : undefined,
        );
        return { series: trained };
      },
    },
    deps.log.child({ component: 'jobs' }),
  );

  await app.register(forecastsRoutes, {
    db,
    forecasts: trainer.forecasts,
    demand: trainer.demand,
    today,
    jobs,
    maxHorizon: config.FORECAST_MAX_HORIZON,
  });
  await app.register(replenishmentRoutes, { db, today, reviewDays: config.REVIEW_DAYS });
  await app.register(jobsRoutes, { jobs });
  // every partition (with PARTITIONS > 1): the level models (Global, Profile) learn from the whole catalogue,
  // so that a series' forecast does not depend on how many replicas there are
  consumeBatch(
    app,
    deps,
    'stockpulse.inventory-metrics',
    { subscription: 'forecaster', type: 'key_shared', partitions: 'every' },
    metricsHandler(createInbox(db), trainer.demand, config.FORECAST_HORIZON, today, (size) =>
      trainer.sawInput(size),
    ),
  );
  app.addHook('onReady', async () => {
    jobs.resume();
    trainer.start();
  });
  app.addHook('preClose', async () => {
    await jobs.stop();
    await trainer.stop();
  });
  relayOutbox(app, deps, db, outbox);
  app.addHook('onClose', async () => {
    if (!deps.pool) await pool.close();
  });
  return app;
}
