import { afterAll, describe, expect, it } from '@jest/globals';
import {
  createLogger,
  createOutbox,
  loadConfig,
  openDatabase,
  type SqliteDatabase,
} from '@stockpulse/service-kit';
import { ForecasterConfig } from './config.js';
import { migrations } from './db/migrations.js';
import { Trainer } from './trainer.js';
import { createForecastPool, type ForecastPool } from './workers/pool.js';

const DAY_MS = 86_400_000;
const date = (i: number) =>
  new Date(Date.parse('2024-01-01T00:00:00Z') + i * DAY_MS).toISOString().slice(0, 10);

const trainerOn = (
  db: SqliteDatabase,
  env: Record<string, string>,
  pool: ForecastPool,
  today: () => string,
) =>
  new Trainer(
    db,
    pool,
    createOutbox(db),
    loadConfig(ForecasterConfig, env),
    createLogger({ service: 't', level: 'silent' }),
    today,
  );

describe('Trainer', () => {
  const real = createForecastPool(1);
  afterAll(() => real.close());

  it('fits a series on its most recent FORECAST_HISTORY_DAYS only', async () => {
    const db = openDatabase(':memory:', migrations);
    const env = { FORECAST_HISTORY_DAYS: '90', FORECASTER_MODELS: 'Mean,SeasonalNaive' };
    const seen: { first: string; length: number }[] = [];
    const pool: ForecastPool = {
      ...real,
      race: (task) => {
        for (const { series } of task.items)
          seen.push({ first: series.dates[0]!, length: series.values.length });
        return real.race(task);
      },
    };
    const trainer = trainerOn(db, env, pool, () => date(400));
    db.transaction(() => {
      for (let i = 0; i < 400; i++) {
        trainer.demand.record(
          {
            kind: 'daily_demand',
            store_location: 'S1',
            date: date(i),
            products: [{ product_id: 'P1', category: 'Toys', units_sold: i % 7, units_received: 0 }],
            updated_at: new Date().toISOString(),
          },
          14,
          true,
        );
      }
    })();
    expect(await trainer.trainChanged()).toBe(2); // the product and its category
    expect(seen).toEqual([
      { first: date(310), length: 90 },
      { first: date(310), length: 90 },
    ]);
    db.close();
  }, 60_000);

  it('defers training while its input comes in large batches, for one interval after the last', () => {
    const db = openDatabase(':memory:', migrations);
    const trainer = trainerOn(db, { FORECAST_INTERVAL_MS: '30000' }, real, () => date(0));
    trainer.sawInput(20, 1000);
    expect(trainer.deferring(1000)).toBe(false); // live traffic: small batches train as usual
    trainer.sawInput(256, 1000);
    expect(trainer.deferring(30_999)).toBe(true);
    expect(trainer.deferring(31_000)).toBe(false);
    // a backlog that never ends defers training for ten intervals at the most
    for (let t = 100_000; t <= 500_000; t += 10_000) trainer.sawInput(256, t);
    expect(trainer.deferring(390_000)).toBe(true);
    expect(trainer.deferring(400_000)).toBe(false);
    db.close();
  });

  it("retrains only what new data changed, and keeps the day's level models until the next day", async () => {
    const db = openDatabase(':memory:', migrations);
    const env = { FORECASTER_MODELS: 'SeasonalNaive,Mean,TSB,Global', FORECAST_HORIZON: '7' };
    let raced: string[] = [];
    const pool: ForecastPool = {
      ...real,
      race: (task) => {
        raced.push(...task.items.map(({ series }) => `${series.values.length}`));
        return real.race(task);
      },
    };
    let today = date(300);
    const trainer = trainerOn(db, env, pool, () => today);
    const day = (i: number, units: (p: number) => number) =>
      trainer.demand.record(
        {
          kind: 'daily_demand',
          store_location: 'S1',
          date: date(i),
          products: [1, 2, 3].map((p) => ({
            product_id: `P${p}`,
            category: 'Toys',
            units_sold: units(p),
            units_received: 0,
          })),
          updated_at: new Date().toISOString(),
        },
        7,
        true,
      );
    db.transaction(() => {
      for (let i = 0; i < 300; i++) day(i, (p) => p + (i % 7));
    })();
    expect(await trainer.trainChanged()).toBe(4); // three products and their category
    // per level (products, categories): level models per backtest origin and on everything
    expect(trainer.levels.trainings).toBe(8);
    const chosen = db.prepare('SELECT series_id, model FROM series ORDER BY series_id').all();
    expect(await trainer.trainChanged()).toBe(0); // nothing changed: nothing trained
    // a late correction of one product's day: that product and its category, with the day's level models
    raced = [];
    db.transaction(() =>
      trainer.demand.record(
        {
          kind: 'daily_demand',
          store_location: 'S1',
          date: date(250),
          products: [{ product_id: 'P2', category: 'Toys', units_sold: 40, units_received: 0 }],
          updated_at: new Date().toISOString(),
        },
        7,
        true,
      ),
    )();
    expect(await trainer.trainChanged()).toBe(2);
    expect(raced).toHaveLength(2);
    expect(trainer.levels.trainings).toBe(8);
    expect(db.prepare('SELECT series_id, model FROM series ORDER BY series_id').all()).toHaveLength(
      chosen.length,
    );
    // the next day completes: every series again, and new level models
    db.transaction(() => day(300, (p) => p))();
    today = date(301);
    expect(await trainer.trainChanged()).toBe(4);
    expect(trainer.levels.trainings).toBe(16);
    db.close();
  }, 120_000);
});
