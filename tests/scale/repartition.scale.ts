import { describe, expect, it } from '@jest/globals';
import { answersOf, forecastsAgreed, history, PROOF_ENV, settled, type Item } from '../support/answers.js';
import { busesUnderTest, getJson, Platform, post, until } from '../support/platform.js';

const SERVICES = ['processor', 'forecaster', 'anomaly', 'notifier'];
const names = (n: number) => [
  'ingest',
  'gateway',
  ...SERVICES.flatMap((s) => Array.from({ length: n }, (_, i) => `${s}@${i}`)),
];

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

/**
 * `pnpm repartition 4` on a platform of 3 partitions (stopped after it caught up): the gateway's answers,
 * the forecasts and the users' own verdicts and acknowledgements are the same with 4; a replica started with
 * the old PARTITIONS is refused; new events and forecasts go on with 4.
 */
describe.each(busesUnderTest())('re-partitioning (%s bus)', (bus) => {
  it('from 3 partitions to 4 keeps every answer', async () => {
    const p = await Platform.start(names(3), { ...PROOF_ENV, PARTITIONS: '3' }, bus);
    try {
      await history(p, 18, 60, 6, 24);
      await settled(p);
      const anomalies = await getJson<{ items: Item[] }>(`${p.gateway}/api/anomalies?limit=10000`);
      for (const a of anomalies.items.slice(0, 3)) {
        const marked = await post(`${p.gateway}/api/anomalies/${String(a.id)}/verdict`, {
          verdict: 'false_positive',
          reason: `not really (${String(a.store_location)})`,
        });
        expect(marked.status).toBe(200);
      }
      const notifications = await getJson<{ items: Item[] }>(`${p.gateway}/api/notifications?limit=1000`);
      for (const n of notifications.items.slice(0, 4))
        expect((await post(`${p.gateway}/api/notifications/${String(n.id)}/ack`, { by: 'ops' })).status).toBe(
          200,
        );
      const forecast = await forecastsAgreed(p);
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
  }, 600_000);
});
