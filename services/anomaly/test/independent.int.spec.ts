/**
 * The detectors on data they were not tuned on: the second, independent generator's chain (its own catalogue,
 * demand shapes, restocking and price policies; 60 clean days, then 30 with 3 % labelled anomalies of six
 * kinds), through the service on a real bus and store. What a user sees is scored against the labels, and the
 * same events on a fresh store must give the same anomalies and notes.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { message } from '@stockpulse/contracts';
import { loadConfig } from '@stockpulse/service-kit';
import { buildTestApp, eventually, type TestApp } from '@stockpulse/service-kit/testing';
import { generateSecond } from '../../../tests/support/second-generator/index.js';
import { buildApp, migrations } from '../src/app.js';
import { AnomalyConfig } from '../src/config.js';
import { scoreDetections, type Detection } from '../src/domain/score.js';

const config = loadConfig(AnomalyConfig, { INGEST_URL: 'http://127.0.0.1:9' });
const data = generateSecond({ seed: 7 });
const meta = { producer: 'test', correlationId: 'second-generator' };

describe('detection on an independent generator', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
  });

  /** Every event through a fresh service; what it listed and noted. */
  async function judge() {
    const t = await buildTestApp((deps) => buildApp(deps, config), { name: 'anomaly', migrations });
    apps.push(t);
    const events = data.events.map((e) => ({ ...e, received_at: e.event_timestamp, source: 'api' as const }));
    for (let i = 0; i < events.length; i += 1000) {
      await t.bus.publishMany(
        events.slice(i, i + 1000).map((e) => message('stockpulse.inventory-events', e, meta)),
      );
    }
    await eventually(
      () => t.db!.prepare('SELECT COALESCE(SUM(events), 0) FROM event_counts').pluck().get() as number,
      (n) => n === events.length,
      'every event judged',
      60_000,
    );
    const rows = (table: string) =>
      t
        .db!.prepare(`SELECT event_id, detector, type, score, explanation FROM ${table} ORDER BY cause`)
        .all() as (Detection & {
        type: string;
      })[];
    return { anomalies: rows('anomalies'), notes: rows('notes') };
  }

  it('finds the labelled anomalies with high precision, lists no noise, and gives the same result twice', async () => {
    const first = await judge();
    const score = scoreDetections(data.labels, first.anomalies, data.events.length, first.notes);
    expect(score.labelled).toBe(90);
    expect(score.overall.numeric.f1).toBeGreaterThanOrEqual(0.95);
    expect(score.overall.text.f1).toBeGreaterThanOrEqual(0.95);
    expect(score.false_positive_rate).toBeLessThanOrEqual(0.003);
    // the forest and the forecast residuals alone never list an anomaly; the forest keeps notes
    expect(first.anomalies.filter((a) => a.detector === 'isolation_forest')).toEqual([]);
    expect(first.notes.filter((n) => n.detector === 'isolation_forest').length).toBeGreaterThan(0);
    const listed = new Set(first.anomalies.map((a) => a.event_id));
    expect(listed.size / data.events.length).toBeLessThanOrEqual(0.011); // 90 labelled of 9,000, and little else

    const again = await judge();
    expect(again).toEqual(first);
  }, 120_000);
});
