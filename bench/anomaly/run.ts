/**
 * One scored run through the real services: ingest and anomaly as processes on the embedded bus, a fresh
 * store each time. Events go in, and what a user would see comes out: the anomalies (and, apart, the notes),
 * scored against the run's labels with the service's own scoring.
 */
import { scoreDetections, type Detection, type Label } from '../../services/anomaly/src/domain/score.js';
import { getJson, Platform, post, until } from '../../tests/support/platform.js';

export interface Listed {
  event_id?: string;
  detector: Detection['detector'];
  type: string;
  severity?: string;
  score: number;
  event_timestamp: string;
  product_id: string;
  store_location: string;
  explanation: string;
}

export interface RunResult {
  score: ReturnType<typeof scoreDetections>;
  anomalies: Listed[];
  notes: Listed[];
  events: number;
  seconds: number;
  labels: Label[];
}

export const startPlatform = () => Platform.start(['ingest', 'anomaly'], {});

/** Every item of a list route, a page at a time. */
export async function all(url: string): Promise<Listed[]> {
  const items: Listed[] = [];
  for (let offset = 0; ; offset += 10_000) {
    const page = await getJson<{ items: Listed[]; total: number }>(
      `${url}${url.includes('?') ? '&' : '?'}limit=10000&offset=${offset}`,
    );
    items.push(...page.items);
    if (!page.items.length || items.length >= page.total) return items;
  }
}

/** Waits until the anomaly service has judged `events` events (its per-job event counts), then reads it all. */
export async function collect(
  p: Platform,
  events: number,
  labelsOf: () => Promise<Label[]> | Label[],
  jobId?: string,
  t0 = performance.now(),
) {
  const anomaly = p.url('anomaly');
  await until(
    () => getJson<{ events: number }>(`${anomaly}/api/anomalies/score${jobId ? `?job_id=${jobId}` : ''}`),
    (s) => s.events >= events,
    `anomaly to judge ${events} events`,
    900_000,
  );
  const seconds = (performance.now() - t0) / 1000;
  const anomalies = await all(`${anomaly}/api/anomalies`);
  const notes = await all(`${anomaly}/api/anomalies/notes`);
  const asDetections = (xs: Listed[]) =>
    xs.filter((x) => x.event_id).map((x) => ({ event_id: x.event_id!, detector: x.detector }));
  const labels = await labelsOf();
  const score = scoreDetections(labels, asDetections(anomalies), events, asDetections(notes));
  return { score, anomalies, notes, events, seconds, labels };
}

/** Posts events to ingest in bodies of 1,000, in order; returns how many were accepted. */
export async function postEvents(p: Platform, events: readonly object[]): Promise<number> {
  let accepted = 0;
  for (let i = 0; i < events.length; i += 1000) {
    const r = await post(`${p.url('ingest')}/api/events`, events.slice(i, i + 1000));
    if (r.status !== 202) throw new Error(`events refused: ${JSON.stringify(r.body).slice(0, 300)}`);
    accepted += (r.body as { accepted: number }).accepted;
  }
  return accepted;
}
