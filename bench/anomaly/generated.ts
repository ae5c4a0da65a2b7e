/**
 * Detection on labelled data from two generators: ingest's own, and the second, independent one in
 * tests/support/second-generator (another catalogue, demand shapes, restocking and price policies). The
 * shape is a new user's trial: 5 stores × 20 products, 90 days, 3 % of the events of the anomaly period
 * labelled anomalies of six kinds (the second generator keeps its first 60 days clean; ingest's spreads its
 * anomalies over the whole history, after its first week).
 */
import type { Label } from '../../services/anomaly/src/domain/score.js';
import { generateSecond } from '../../tests/support/second-generator/index.js';
import { getJson, post } from '../../tests/support/platform.js';
import { collect, postEvents, startPlatform, type RunResult } from './run.js';

export const SHAPE = { stores: 5, products: 20, days: 90, historyDays: 60, share: 0.03 };
const END = '2026-06-01';

export interface Scored extends RunResult {
  generator: 'ingest' | 'second';
  seed: number;
  /** Unlabelled events of the first 60 days, and how many of them were listed as anomalies. */
  history: { events: number; flagged: number };
}

/** Events of the first `historyDays` days: before this instant. */
const historyEnd = () =>
  new Date(Date.parse(`${END}T00:00:00Z`) - (SHAPE.days - SHAPE.historyDays - 1) * 86_400_000).toISOString();

function historyOf(r: RunResult, labels: readonly Label[], historyEvents: number): Scored['history'] {
  const end = historyEnd();
  const labelled = new Set(labels.map((l) => l.event_id));
  const flagged = new Set(
    r.anomalies
      .filter((a) => a.event_id && !labelled.has(a.event_id) && a.event_timestamp < end)
      .map((a) => a.event_id),
  );
  return { events: historyEvents, flagged: flagged.size };
}

export async function ingestGenerated(seed: number): Promise<Scored> {
  const p = await startPlatform();
  try {
    const events = SHAPE.stores * SHAPE.products * SHAPE.days;
    const t0 = performance.now();
    const started = await post(`${p.url('ingest')}/api/generate`, {
      days: SHAPE.days,
      stores: SHAPE.stores,
      products: SHAPE.products,
      categories: 5,
      seed,
      end: END,
      anomalies: { count: Math.round(events * SHAPE.share) },
    });
    const job = started.body.job_id as string;
    // the labels are complete once every event is in (the generator writes them with its events)
    const labels = async () =>
      (await getJson<{ items: Label[] }>(`${p.url('ingest')}/api/labels?job_id=${job}&limit=10000`)).items;
    const r = await collect(p, events, labels, job, t0);
    const inHistory = SHAPE.stores * SHAPE.products * SHAPE.historyDays;
    const end = historyEnd();
    const labelledInHistory = r.anomalies.length ? countLabelledBefore(r.labels, r, end) : 0;
    return {
      ...r,
      generator: 'ingest',
      seed,
      history: historyOf(r, r.labels, inHistory - labelledInHistory),
    };
  } finally {
    await p.stop();
  }
}

/** Labels of history events (ingest labels carry no time: the anomalies and notes on them say when). */
function countLabelledBefore(labels: readonly Label[], r: RunResult, end: string): number {
  const when = new Map([...r.anomalies, ...r.notes].map((x) => [x.event_id, x.event_timestamp]));
  return labels.filter((l) => (when.get(l.event_id) ?? end) < end).length;
}

export async function secondGenerated(seed: number): Promise<Scored> {
  const data = generateSecond({
    seed,
    stores: SHAPE.stores,
    products: SHAPE.products,
    cleanDays: SHAPE.historyDays,
    anomalyDays: SHAPE.days - SHAPE.historyDays,
    share: SHAPE.share,
    end: END,
  });
  const p = await startPlatform();
  try {
    const t0 = performance.now();
    const accepted = await postEvents(p, data.events);
    if (accepted !== data.events.length)
      throw new Error(`ingest accepted ${accepted} of ${data.events.length} events`);
    const r = await collect(p, data.events.length, () => data.labels, undefined, t0);
    return { ...r, generator: 'second', seed, history: historyOf(r, data.labels, data.history) };
  } finally {
    await p.stop();
  }
}
