import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Envelope } from '@stockpulse/contracts';
import { getJson, Platform, post, until } from '../support/platform.js';

type Item = Record<string, unknown> & {
  series_id: string;
  product_id?: string;
  store_location: string;
  category: string;
  points: { date: string; value: number; actual?: number; [bound: string]: unknown }[];
};

const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
/** The generated history ends 10 days ago, so the first forecast days are complete days, ready for actuals. */
const END = day(-10);

/** Every point in order: value and bounds non-negative, 95 % outside 80 % outside the value. */
function expectOrderedIntervals(points: Item['points']) {
  for (const p of points as unknown as Record<string, number>[]) {
    expect(p.lower_95).toBeGreaterThanOrEqual(0);
    expect(p.lower_95! <= p.lower_80! && p.lower_80! <= p.value!).toBe(true);
    expect(p.value! <= p.upper_80! && p.upper_80! <= p.upper_95!).toBe(true);
  }
}

/** processor → forecaster as real processes on the embedded bus, every request through the gateway. */
describe('forecaster: forecasts with intervals, backtests, advice and actuals', () => {
  let p: Platform;
  let published: Envelope<'stockpulse.forecasts'>[];
  beforeAll(async () => {
    p = await Platform.start(['processor', 'ingest', 'forecaster', 'gateway'], {
      PROCESSOR_FLUSH_MS: '20',
      FORECAST_INTERVAL_MS: '300',
      FORECASTER_MODELS: 'SeasonalNaive,Mean,ETS,XGBoost,TSB,Global,Profile',
      FORECAST_THREADS: '1',
    });
    published = await p.collect('stockpulse.forecasts');
  }, 60_000);
  afterAll(() => p.stop());

  const api = (path: string) => `${p.gateway}/api${path}`;

  it('forecasts every product and category series of a generated history, with advice, on the API and the topic', async () => {
    const job = await post(api('/generate'), {
      days: 90,
      stores: 1,
      products: 3,
      categories: 1,
      seed: 11,
      end: END,
    });
    expect(job.status).toBe(202);
    await until(
      () => getJson<Record<string, unknown>>(api(`/jobs/${job.body.job_id as string}`)),
      (j) => j.status === 'succeeded',
      'the generator job',
    );
    // series are trained as days arrive (and a late day trains them again): wait for forecasts of the whole
    // history that stay the same over a few training rounds
    let previous = '';
    await until(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return getJson<{ items: Item[]; total: number }>(api('/forecasts'));
      },
      (f) => {
        const trained = JSON.stringify(f.items.map((i) => i.generated_at));
        const settled = trained === previous;
        previous = trained;
        return settled && f.total === 4 && f.items.every((i) => i.last_date === day(-11));
      },
      'four series forecast from the whole history, and no more training',
      60_000,
    );
    // and the forecaster's own gauge of series left to train comes down to nothing
    await until(
      async () => (await fetch(`${p.url('forecaster')}/metrics`)).text(),
      (text) => /^stockpulse_forecaster_series_pending\{[^}]*\} 0$/m.test(text),
      'no series left to train',
      30_000,
    );
    // the forecasts as they are once nothing is left to train (a series whose last days came after its
    // training had its newer last date shown with the older points until it was trained again)
    const forecasts = await getJson<{ items: Item[]; total: number }>(api('/forecasts'));
    const products = forecasts.items.filter((i) => i.product_id);
    expect(products).toHaveLength(3);
    for (const item of forecasts.items) {
      // the horizon after the last day of history (days before it may show what an earlier training, on a
      // part of the history, predicted for them: the API's past_days, for live accuracy)
      const ahead = item.points.filter((pt) => pt.date > day(-11)).map((pt) => pt.date);
      expect(ahead).toEqual(Array.from({ length: 14 }, (_, i) => day(i - 10)));
      expect(item.model).toBe(item.chosen_model);
      const race = ['SeasonalNaive', 'Mean', 'ETS', 'XGBoost', 'TSB', 'Global', 'Profile', 'Ensemble'];
      expect(race).toContain(item.model);
      expect(item.reason).toEqual(expect.stringContaining(item.model as string));
      expect(item.last_date).toBe(day(-11));
      expectOrderedIntervals(item.points);
      const backtest = item.backtest as Record<string, unknown>[];
      // the cheap models and the level ones (trained, or saying why not) always; the costly ones (ETS,
      // XGBoost and their Ensemble) where the screen let them in
      const raced = backtest.map((b) => b.model as string);
      expect(raced).toEqual(expect.arrayContaining(['SeasonalNaive', 'Mean', 'TSB', 'Global', 'Profile']));
      for (const model of raced) expect(race).toContain(model);
      expect(backtest.find((b) => b.model === 'SeasonalNaive')).toMatchObject({
        windows: 3,
        window_days: 14,
      });
    }
    for (const item of products) {
      expect(item.advice).toEqual(
        expect.objectContaining({
          lead_time_days: 7,
          service_level: 0.95,
          on_hand: expect.any(Number),
          safety_stock: expect.any(Number),
          reorder_point: expect.any(Number),
          suggested_order_qty: expect.any(Number),
        }),
      );
      const advice = item.advice as {
        safety_stock: number;
        reorder_point: number;
        stockout_date: string | null;
      };
      expect(advice.reorder_point).toBeGreaterThanOrEqual(advice.safety_stock);
      expect(advice.stockout_date === null || advice.stockout_date >= day(-10)).toBe(true);
    }
    const category = forecasts.items.find((i) => !i.product_id)!;
    expect(category.series_id).toBe(`${category.store_location}/category:${category.category}`);
    expect(category.advice).toBeUndefined();

    // the same forecasts went out on the topic, valid against the contract
    const onTopic = await until(
      async () => new Set(published.map((e) => e.payload.series_id)),
      (ids) => ids.size === 4,
      'four series on the topic',
    );
    expect([...onTopic].sort()).toEqual(forecasts.items.map((i) => i.series_id).sort());
    // the message of the forecast the API serves carries the same points and advice
    const served = await until(
      async () =>
        published.find(
          (e) =>
            e.payload.series_id === products[0]!.series_id &&
            e.payload.generated_at === products[0]!.generated_at,
        ),
      (e) => e !== undefined,
      'the served forecast on the topic',
    );
    expect(served!.producer).toBe('forecaster');
    expect(served!.payload.points.map((pt) => pt.value)).toEqual(products[0]!.points.map((pt) => pt.value));
    expect(served!.payload.advice).toEqual(products[0]!.advice);
  });

  it('keeps the actual demand of a forecast day next to its prediction, and live accuracy per model', async () => {
    const { items } = await getJson<{ items: Item[] }>(api('/forecasts?kind=product'));
    const item = items[0]!;
    const sale = {
      product_id: item.product_id,
      store_location: item.store_location,
      category: item.category,
      quantity: 500,
      units_sold: 17,
      price: 5,
      event_timestamp: `${day(-10)}T12:00:00Z`,
    };
    expect((await post(api('/events'), sale)).body).toMatchObject({ accepted: 1 });
    const after = await until(
      () =>
        getJson<{ items: Item[] }>(api(`/forecasts?product=${item.product_id}&store=${item.store_location}`)),
      (f) => f.items[0]!.points.some((pt) => pt.date === day(-10) && pt.actual !== undefined),
      'the actual of the first forecast day',
      30_000,
    );
    const point = after.items[0]!.points.find((pt) => pt.date === day(-10))!;
    expect(point.actual).toBe(17);
    const models = await getJson<{ items: Record<string, unknown>[] }>(api('/models'));
    expect(models.items.map((m) => m.model)).toEqual(expect.arrayContaining(['SeasonalNaive', 'Global']));
    // per level, each model against SeasonalNaive on the same series
    const baseline = models.items.find((m) => m.level === 'product' && m.model === 'SeasonalNaive')!;
    expect(baseline).toMatchObject({ vs_seasonal_naive: 1, beats_seasonal_naive: 0, series: 3 });
    expect(models.items.filter((m) => m.level === 'category').map((m) => m.model)).toContain('SeasonalNaive');
    const chosen = models.items.find(
      (m) => m.level === 'product' && m.model === after.items[0]!.chosen_model,
    )!;
    expect(chosen.live_days).toBeGreaterThanOrEqual(1);
    expect(chosen.chosen).toBeGreaterThanOrEqual(1);
  });

  it('retrains on request as a job the gateway finds by its id, with a longer horizon', async () => {
    const { items } = await getJson<{ items: Item[] }>(api('/forecasts?kind=product&limit=1'));
    const run = await post(api('/forecasts/run'), { horizon: 30, product: items[0]!.product_id });
    expect(run.status).toBe(202);
    const id = run.body.job_id as string;
    expect(id).toMatch(/^forecaster-[0-9a-f-]{36}$/);
    const job = await until(
      () => getJson<Record<string, unknown>>(api(`/jobs/${id}`)),
      (j) => j.status === 'succeeded',
      `job ${id}`,
      30_000,
    );
    expect(job.result).toEqual({ series: 1 });
    const longer = await getJson<{ items: (Item & { history: { date: string; units: number }[] })[] }>(
      api(`/forecasts?product=${items[0]!.product_id}&past_days=0&history_days=20`),
    );
    expect(longer.items[0]!.points).toHaveLength(30);
    // the series' own demand before the forecast, complete days, oldest first
    expect(longer.items[0]!.history.map((h) => h.date)).toEqual(
      Array.from({ length: 20 }, (_, i) => day(i - 29)),
    );
    const all = await getJson<{ items: { id: string }[]; unavailable?: string[] }>(api('/jobs'));
    expect(all.items.map((j) => j.id.split('-')[0])).toEqual(
      expect.arrayContaining(['ingest', 'forecaster']),
    );
    expect(all.unavailable).toBeUndefined();
  });

  it('refuses bad requests naming the field', async () => {
    const tooFar = await post(api('/forecasts/run'), { horizon: 91 });
    expect(tooFar.status).toBe(400);
    expect(JSON.stringify(tooFar.body)).toContain('horizon');
    const unknown = await fetch(api('/forecasts?model=Oracle'));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('model');
    const extra = await post(api('/forecasts/run'), { horizon: 14, stores: 'all' });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toContain('stores');
    const level = await fetch(api('/models?level=store'));
    expect(level.status).toBe(400);
    expect(await level.text()).toContain('level');
    const noJob = await fetch(api('/jobs/forecaster-00000000-0000-4000-8000-000000000000'));
    expect(noJob.status).toBe(404);
  });
});
