import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { busesUnderTest, dayTotals, Platform, post, until } from '../support/platform.js';

/** 4,000 reports with explicit sales, one product × store per minute, in batches of 100. */
const events = Array.from({ length: 4000 }, (_, i) => ({
  product_id: `P${i % 10}`,
  store_location: `S${i % 4}`,
  category: i % 10 < 5 ? 'Food' : 'Toys',
  quantity: 100,
  units_sold: 1 + (i % 3),
  price: 2,
  event_timestamp: new Date(Date.parse('2025-06-01T00:00:00Z') + i * 60_000).toISOString(),
}));
const batches = Array.from({ length: 40 }, (_, b) => events.slice(b * 100, b * 100 + 100));

/** SIGTERM to the processor and to ingest while events stream in: nothing in flight is lost or counted twice. */
describe.each(busesUnderTest())('graceful shutdown under load (%s bus)', (bus) => {
  let p: Platform;
  beforeAll(async () => {
    p = await Platform.start(['processor', 'ingest'], { PROCESSOR_FLUSH_MS: '20' }, bus);
  }, 60_000);
  afterAll(() => p.stop());

  it('keeps every event exactly once across SIGTERM of each service mid-stream', async () => {
    let accepted = 0;
    let duplicates = 0;
    let retried = 0;
    const send = async (batch: (typeof events)[number][]) => {
      // a batch whose answer was lost may or may not be stored: sending it again is safe (event ids)
      for (let attempt = 0; attempt < 200; attempt++) {
        const res = await post(`${p.url('ingest')}/api/events`, batch).catch(() => undefined);
        if (res?.status === 202) {
          accepted += res.body.accepted as number;
          duplicates += res.body.duplicates as number;
          return;
        }
        retried++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('ingest never came back');
    };
    const restarts: Promise<void>[] = [];
    for (const [b, batch] of batches.entries()) {
      if (b === 10) restarts.push(p.kill('processor', 'SIGTERM').then(() => p.startService('processor')));
      if (b === 25) restarts.push(p.kill('ingest', 'SIGTERM').then(() => p.startService('ingest')));
      await send(batch);
    }
    await Promise.all(restarts);
    expect(accepted).toBe(events.length - duplicates);
    const totals = await until(
      () => dayTotals(p.url('processor')),
      (t) => t.events >= events.length,
      'every event in the day windows',
      60_000,
    );
    expect(totals).toEqual({ events: events.length, units: events.reduce((s, e) => s + e.units_sold, 0) });
    console.log(
      `graceful shutdown (${bus} bus): ${events.length} events sent, ${totals.events} counted, 2 SIGTERMs survived, ${retried} batch retries, ${duplicates} duplicates refused`,
    );
  }, 120_000);
});
