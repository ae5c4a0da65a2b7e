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
import { busesUnderTest, Platform } from '../support/platform.js';

const SERVICES = ['processor', 'forecaster', 'anomaly', 'notifier'];

/** The platform with `n` partitions: one replica of each stateful service per partition. */
const names = (n: number) => [
  'ingest',
  'gateway',
  ...SERVICES.flatMap((s) => Array.from({ length: n }, (_, i) => `${s}@${i}`)),
];

/** What the gateway answers after the same seeded history, once every service has settled. */
async function answers(n: number, bus: 'embedded' | 'pulsar') {
  const p = await Platform.start(
    names(n),
    {
      PARTITIONS: String(n),
      ...PROOF_ENV,
    },
    bus,
  );
  try {
    await history(p, 18, 60, 6, 24);
    await settled(p);
    const forecast = await forecastsAgreed(p);
    const answers = { ...(await answersOf(p)), forecast };
    // last: it acknowledges two notifications
    return { ...answers, streamResumes: await streamResumes(p) };
  } finally {
    await p.stop();
  }
}

/** The same events through one partition and through three: the gateway's answers do not depend on N. */
describe.each(busesUnderTest())('answers that do not depend on PARTITIONS (%s bus)', (bus) => {
  it('gives the same inventory, metrics, overview tiles, anomalies, notifications, forecasts and models leaderboard with 1 and with 3 partitions', async () => {
    const one = await answers(1, bus);
    const three = await answers(3, bus);
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
    expect(three).toEqual(one);
  }, 400_000);
});
