import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Envelope } from '@stockpulse/contracts';
import { SHOWS_AS } from '../support/labels.js';
import { getJson, Platform, post, until } from '../support/platform.js';

type Label = { event_id: string; kind: string; product_id: string; store_location: string; category: string };

/** ingest → anomaly as real processes on the embedded bus, every request through the gateway. */
describe('anomaly: injected anomalies in, explained anomalies out on the topic', () => {
  let p: Platform;
  let published: Envelope<'stockpulse.anomalies'>[];
  beforeAll(async () => {
    p = await Platform.start(['ingest', 'anomaly', 'gateway']);
    published = await p.collect('stockpulse.anomalies');
  }, 60_000);
  afterAll(() => p.stop());

  const api = (path: string) => `${p.gateway}/api${path}`;

  it('detects every injected anomaly once, on the right event, with its real product, store and category', async () => {
    const started = await post(api('/generate'), {
      days: 40,
      stores: 2,
      products: 15,
      categories: 3,
      seed: 5,
      end: '2026-01-01',
      anomalies: { count: 18 },
    });
    const job = started.body.job_id as string;
    await until(
      () => getJson<Record<string, unknown>>(api(`/jobs/${job}`)),
      (j) => j.status === 'succeeded',
      'the generator job',
    );
    const labels = (await getJson<{ items: Label[] }>(api(`/labels?job_id=${job}`))).items;
    expect(new Set(labels.map((l) => l.kind)).size).toBe(6);
    const score = await until(
      () =>
        getJson<Record<string, unknown> & { events: number; false_positive_rate: number }>(
          api(`/anomalies/score?job_id=${job}`),
        ),
      (s) => s.events === 40 * 2 * 15,
      'anomaly to see every event',
    );
    const onTopic = await until(
      async () => new Set(published.map((e) => e.payload.event_id)),
      (ids) => labels.every((l) => ids.has(l.event_id)),
      'an anomaly on the topic for every label',
    );
    expect(onTopic.size).toBeGreaterThanOrEqual(labels.length);
    for (const label of labels) {
      const found = published.filter((e) => e.payload.event_id === label.event_id).map((e) => e.payload);
      expect(found.some((a) => SHOWS_AS[label.kind]!.includes(a.type))).toBe(true);
      for (const a of found) {
        expect(a).toMatchObject({
          product_id: label.product_id,
          store_location: label.store_location,
          category: label.category,
        });
        expect(a.explanation).toContain(`${label.product_id} (${label.category}) at ${label.store_location}`);
      }
    }
    // each anomaly once, its message caused by the event's and carrying the generator job's correlation id
    expect(new Set(published.map((e) => e.payload.id)).size).toBe(published.length);
    expect(published.every((e) => e.correlation_id === job && e.producer === 'anomaly')).toBe(true);
    expect(score).toMatchObject({
      labelled: labels.length,
      overall: { all: { recall: 1 } },
      false_positive_rate: expect.any(Number),
    });
    expect(score.false_positive_rate).toBeLessThan(0.01);

    const listed = await getJson(api('/anomalies?detector=rules&severity=critical&limit=500'));
    expect(listed.total).toBeGreaterThanOrEqual(3 * 3); // price ×5–10, negative stock, large stock changes
    expect(listed.items.every((a) => a.detector === 'rules' && a.severity === 'critical')).toBe(true);
  });

  it('answers bad queries through the gateway with 400 naming the field', async () => {
    const res = await fetch(api('/anomalies?from=yesterday'));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('from');
  });
});
