import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { acked } from '../../bench/support/consumed.js';
import { dayTotals, getJson, Platform, post, until } from '../support/platform.js';

/** 24 series × 1,500 days (four years), series by series (as a bulk import of history sends them), in bodies of 1,000. */
function history(): string[] {
  const bodies: string[] = [];
  let batch: unknown[] = [];
  for (let s = 0; s < 24; s++) {
    for (let d = 0; d < 1500; d++) {
      batch.push({
        product_id: `H-${s % 8}`,
        store_location: `Store-${Math.floor(s / 8)}`,
        category: s % 2 ? 'Dry' : 'Fresh',
        quantity: 500 - ((d * 7 + s) % 300),
        units_sold: (d + s) % 9,
        price: 2 + s / 4,
        event_timestamp: new Date(Date.parse('2018-01-01T18:00:00Z') + d * 86_400_000).toISOString(),
      });
      if (batch.length === 1000) {
        bodies.push(JSON.stringify(batch));
        batch = [];
      }
    }
  }
  return bodies;
}

/**
 * Busy is not down: while the processor works off a backlog of years of history, it and the gateway answer
 * reads, and SIGTERM stops it gracefully (exit 0, before the 15 s grace runs out), with nothing lost.
 */
describe('processor catching up on a backlog', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await Platform.start(['processor', 'ingest', 'gateway']);
  }, 60_000);
  afterAll(() => p.stop());

  it('answers reads while it catches up, stops gracefully on SIGTERM, and applies every event after', async () => {
    const bodies = history();
    const total = bodies.length * 1000;
    let next = 0;
    let posting = true;
    const client = async () => {
      while (next < bodies.length)
        expect((await post(`${p.url('ingest')}/api/events`, bodies[next++]!)).status).toBe(202);
    };
    // reads answered all along, while ingest takes the import in and the processor works it off
    let answered = 0;
    const reads = (async () => {
      while (posting) {
        for (const url of [
          `${p.url('processor')}/health`,
          `${p.url('processor')}/ready`,
          `${p.gateway}/api/metrics?window=day&limit=10`,
        ]) {
          const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
          expect(res.status).toBe(200);
        }
        if (posting) answered++; // answered while the import was still going in
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await Promise.all([client(), client(), client(), client()]);
    posting = false;
    await reads;
    // every read was answered (each 200 within 5 s, above), and some while the import was still going in
    expect(answered).toBeGreaterThan(0);
    expect(await acked(p, 'processor')).toBeLessThan(total); // stopped while still catching up

    const exitCode = await p.kill('processor', 'SIGTERM');
    expect(exitCode).toBe(0);
    await p.startService('processor');
    const counted = await until(
      () => dayTotals(p.gateway).then((t) => t.events),
      (n) => n === total,
      'every event in the day windows after the restart',
      // beside the partitions' platform tests (eighteen processes) on two cores, over two minutes in CI once
      300_000,
    );
    expect(counted).toBe(total);
    const progress = await getJson<Record<string, number>>(`${p.gateway}/api/ingestion`);
    expect(progress).toMatchObject({ received: total, applied: total, left: 0 });
  }, 480_000);
});
