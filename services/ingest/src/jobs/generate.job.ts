import { deriveEventId } from '../domain/event-id.js';
import type { AcceptedRecord } from '../domain/record.js';
import { ANOMALY_KINDS, canInject, inject, type AnomalyKind } from '../domain/generator/anomalies.js';
import { Random } from '../domain/generator/random.js';
import { Simulation, type GeneratedEvent, type GeneratorParams } from '../domain/generator/simulate.js';
import type { EventsRepository } from '../db/events.repository.js';
import type { JobContext, Logger } from '@stockpulse/service-kit';
import { progressLog } from './progress-log.js';

export interface GenerateParams extends GeneratorParams {
  /** Live events per second after the history (0: none). */
  rate: number;
  anomalies: { count: number; kinds: AnomalyKind[] };
}

export const withId = (event: GeneratedEvent): AcceptedRecord => ({
  ...event,
  event_id: deriveEventId(event),
});

/**
 * Which history events become labelled anomalies: `count` distinct (day, series) places, none in the first
 * fortnight (detectors need a baseline), kinds dealt in turn. Drawn from its own random stream, so asking for
 * anomalies does not change the rest of the history.
 */
export function planAnomalies(params: GenerateParams, series: number): Map<number, Map<number, AnomalyKind>> {
  const plan = new Map<number, Map<number, AnomalyKind>>();
  const kinds = params.anomalies.kinds.length ? params.anomalies.kinds : [...ANOMALY_KINDS];
  const firstDay = Math.min(14, Math.floor(params.days / 4));
  const places = (params.days - firstDay) * series;
  const count = Math.min(params.anomalies.count, places);
  const rng = new Random(params.seed ^ 0x5eed);
  const taken = new Set<number>();
  while (taken.size < count) taken.add(rng.int(0, places - 1));
  [...taken].forEach((place, i) => {
    const day = firstDay + Math.floor(place / series);
    if (!plan.has(day)) plan.set(day, new Map());
    plan.get(day)!.set(place % series, kinds[i % kinds.length]!);
  });
  return plan;
}

/**
 * The history job: day by day, one transaction per day, progress per day (in the job; in `log`, about once a
 * second, counted in events).
 */
export function generateHistory(
  events: EventsRepository,
  onDone: (params: GenerateParams) => void,
  log?: Logger,
) {
  return async (params: GenerateParams, ctx: JobContext) => {
    const sim = new Simulation(params);
    const plan = planAnomalies(params, sim.series.length);
    const report = log && progressLog(log, 'seeding history', 'events');
    const rng = new Random(params.seed ^ 0xa11);
    let accepted = 0;
    let duplicates = 0;
    let injected = 0;
    for (let day = 0; day < params.days; day++) {
      if (ctx.signal.aborted) break;
      const labels = new Map<number, { kind: string; detail: string }>();
      const records = sim.day(day).map((event, index) => {
        const kind = plan.get(day)?.get(index);
        if (!kind || !canInject(kind, event)) return withId(event);
        const anomaly = inject(kind, event, rng);
        labels.set(index, { kind, detail: anomaly.detail });
        injected++;
        return withId(anomaly.event);
      });
      const result = events.ingest(records, {
        source: 'generator',
        correlationId: ctx.id,
        jobId: ctx.id,
        labels,
      });
      accepted += result.accepted;
      duplicates += result.duplicates;
      ctx.progress(day + 1, params.days);
      report?.((day + 1) * sim.series.length, params.days * sim.series.length);
      await new Promise((resolve) => setImmediate(resolve)); // let requests in between days
    }
    if (!ctx.signal.aborted && params.rate > 0) onDone(params);
    return { accepted, duplicates, anomalies: injected };
  };
}

/** The live stream: the simulation replayed to the end of its history, then reports in real time at `rate`/s. */
export function streamLive(events: EventsRepository) {
  return async (params: GenerateParams, ctx: JobContext) => {
    const sim = new Simulation(params);
    for (let day = 0; day < params.days; day++) sim.day(day);
    const tickMs = 100;
    let credit = 0;
    let next = 0;
    let sent = 0;
    while (!ctx.signal.aborted) {
      credit += (params.rate * tickMs) / 1000;
      const count = Math.floor(credit);
      credit -= count;
      if (count > 0) {
        const now = Date.now();
        // a millisecond apart, so one series observed twice in a tick reports two instants
        const records = Array.from({ length: count }, (_, i) => {
          const series = sim.series[next++ % sim.series.length]!;
          return withId(sim.observe(series, now - (count - 1 - i)));
        });
        sent += events.ingest(records, {
          source: 'generator',
          correlationId: ctx.id,
          jobId: ctx.id,
        }).accepted;
        ctx.progress(sent, 0);
      }
      await new Promise((resolve) => setTimeout(resolve, tickMs));
    }
    return { sent };
  };
}
