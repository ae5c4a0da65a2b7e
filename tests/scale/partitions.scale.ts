import { describe, expect, it } from '@jest/globals';
import {
  answersOf,
  forecastsAgreed,
  history,
  PROOF_ENV,
  settled,
  streamResumes,
  type Item,
} from '../support/answers.js';
import { noChromium } from '../support/browser.js';
import { busesUnderTest, getJson, Platform, post, until, type BusKind } from '../support/platform.js';
import { dashboardView } from './dashboard-view.js';

const SERVICES = ['processor', 'forecaster', 'anomaly', 'notifier'];

/** The platform with `n` partitions: one replica of each stateful service per partition. */
const names = (n: number) => [
  'ingest',
  'gateway',
  'dashboard',
  ...SERVICES.flatMap((s) => Array.from({ length: n }, (_, i) => `${s}@${i}`)),
];

/**
 * The same seeded history on `p`, settled: what the gateway answers, its forecasts, its live stream. Both
 * platforms run the forecasts alike (until two runs agree): how many a notifier has seen decides which
 * stock conditions have held long enough to notify (NOTIFY_PENDING_OBSERVATIONS).
 */
async function answered(p: Platform) {
  await history(p, 18, 60, 6, 24);
  await settled(p);
  const forecast = await forecastsAgreed(p);
  // the page in Chromium too, on one bus (it reads the same gateway answers on the other)
  const dashboard = p.busKind === 'embedded' && !noChromium() ? await dashboardView(p) : 'not looked at';
  const answers = { ...(await answersOf(p)), forecast, dashboard };
  // last: it acknowledges two notifications
  return { ...answers, streamResumes: await streamResumes(p) };
}

async function withOnePartition(bus: BusKind) {
  const p = await Platform.start(names(1), { PARTITIONS: '1', ...PROOF_ENV }, bus);
  try {
    return await answered(p);
  } finally {
    await p.stop();
  }
}

/** What users wrote themselves: verdicts and acknowledgements survive a re-partition too. */
async function usersState(p: Platform) {
  const anomalies = await getJson<{ items: Item[] }>(`${p.gateway}/api/anomalies?limit=10000`);
  const judged = anomalies.items.filter((a) => a.verdict);
  const verdicts = await Promise.all(
    judged.map((a) => getJson<{ items: Item[] }>(`${p.gateway}/api/anomalies/${String(a.id)}/verdicts`)),
  );
  const notifications = await getJson<{ items: Item[] }>(`${p.gateway}/api/notifications?limit=1000`);
  const csv = await (await fetch(`${p.gateway}/api/anomalies/verdicts?format=csv`)).text();
  return {
    exported: { csv, json: await getJson(`${p.gateway}/api/anomalies/verdicts`) },
    verdicts: verdicts.map((v) => v.items.map(({ verdict, reason, at }) => ({ verdict, reason, at }))),
    judged: judged.map((a) => [a.id, a.verdict]),
    notifications: notifications.items.map((n) => [n.id, n.status]).sort(),
  };
}

/** Three verdicts and two more acknowledgements, written through the gateway. */
async function usersWrite(p: Platform) {
  const anomalies = await getJson<{ items: Item[] }>(`${p.gateway}/api/anomalies?limit=10000`);
  for (const a of anomalies.items.slice(0, 3)) {
    const marked = await post(`${p.gateway}/api/anomalies/${String(a.id)}/verdict`, {
      verdict: 'false_positive',
      reason: `not really (${String(a.store_location)})`,
    });
    expect(marked.status).toBe(200);
  }
  const open = await getJson<{ items: Item[] }>(`${p.gateway}/api/notifications?status=open&limit=1000`);
  for (const n of open.items.slice(0, 2))
    expect((await post(`${p.gateway}/api/notifications/${String(n.id)}/ack`, { by: 'ops' })).status).toBe(
      200,
    );
}

/**
 * The proof of partitions, on each bus: the same events through one partition and through three give the
 * same answers through the gateway (inventory, metrics, overview tiles, anomalies, notifications, forecasts,
 * the models' leaderboard, the live stream) and, on the embedded bus, the same dashboard in Chromium; then `pnpm repartition 4` on the platform of three (stopped once
 * it caught up) keeps every answer, the forecasts and the users' own verdicts and acknowledgements; a replica
 * started with the old PARTITIONS is refused; new events go on with four. (One platform of three serves both
 * halves: it was built twice when they were two tests, the slowest part of CI.)
 */
describe.each(busesUnderTest())('partitions (%s bus)', (bus) => {
  it('gives the same answers with 1 and with 3 partitions, and keeps them through a re-partition from 3 to 4', async () => {
    const one = await withOnePartition(bus);
    expect(one.inventory.total).toBe(36);
    expect((one.oneStore as { items: unknown[] }).items).toHaveLength(5);
    expect(one.anomalies.length).toBeGreaterThan(0);
    expect(one.notifications.length).toBeGreaterThan(0);
    // every product and category series of the 6 stores, forecast and scored
    expect(one.forecast.series).toBe(36 + 18);
    expect(one.forecast.total).toBe(54);
    // the level models learned across every store: with 3 partitions too, not from a replica's stores alone
    const global = (one.forecast.models as { items: Item[] }).items.find(
      (m) => m.level === 'product' && m.model === 'Global',
    );
    expect(global).toMatchObject({ series: 36, failed: 0, mase: expect.any(Number) });
    expect(one.forecast.models).toMatchObject({
      items: expect.arrayContaining([
        expect.objectContaining({ model: 'SeasonalNaive', level: 'product', series: 36 }),
      ]),
    });
    expect(one.streamResumes).toEqual({ live: true, resumedWithTheNew: true, resumedWithTheOld: false });
    if (typeof one.dashboard === 'object') {
      expect(one.dashboard.overview['[data-kpi="total_stock_value"] strong']![0]).toMatch(/\d/);
      expect(one.dashboard.anomalies['[data-table="anomalies"] tbody tr']!.length).toBeGreaterThan(0);
    }

    const p = await Platform.start(names(3), { PARTITIONS: '3', ...PROOF_ENV }, bus);
    try {
      const three = await answered(p);
      expect(three).toEqual(one);

      await usersWrite(p);
      const forecast = three.forecast;
      const before = { ...(await answersOf(p)), users: await usersState(p) };
      const ran = await p.restartAs(
        names(4),
        { PARTITIONS: '4' },
        { script: 'infra/repartition.ts', args: ['4'] },
      );
      if (ran.code !== 0) throw new Error(`pnpm repartition 4 failed:\n${ran.output}`);
      expect(ran.output).toMatch(/re-partitioned to 4/);
      const after = { ...(await answersOf(p)), users: await usersState(p) };
      expect(after).toEqual(before);
      expect(before.users.judged).toHaveLength(3);
      // four acknowledged: two by the stream's check, two by users
      expect(before.users.notifications.filter(([, status]) => status === 'acknowledged')).toHaveLength(4);
      // the export gathers every replica's verdicts: a header and three records, oldest first
      expect(before.users.exported.csv.trim().split('\r\n')).toHaveLength(4);
      expect(before.users.exported.json).toMatchObject({ total: 3 });
      // the forecasts as the stores hold them, then trained again with 4
      const stored = await getJson<{ items: Item[] }>(
        `${p.gateway}/api/forecasts?history_days=30&limit=1000`,
      );
      expect(stored.items.map(({ generated_at: _, series_id: __, ...f }) => f)).toEqual(forecast.items);
      expect(await forecastsAgreed(p)).toEqual(forecast);
      // the topics have 4 partitions now: a replica of 3 is refused
      const refused = await p.refusal('processor', { PARTITIONS: '3', REPLICA: '0', PROCESSOR_PORT: '0' });
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/has 4 partitions and this process was started with PARTITIONS=3/);
      // and events go on: every one received is applied
      await history(p, 19, 5, 6, 24);
      const progress = await until(
        () => getJson<{ received: number; applied: number; left: number }>(`${p.gateway}/api/ingestion`),
        (x) => x.left === 0 && x.applied === x.received,
        'every event applied with 4 partitions',
        60_000,
      );
      expect(progress.applied).toBeGreaterThan(0);
    } finally {
      await p.stop();
    }
  }, 900_000);
});
