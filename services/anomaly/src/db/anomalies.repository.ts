import type { AnomalyPayload } from '@stockpulse/contracts';
import type { SqliteDatabase } from '@stockpulse/service-kit';
import { uuidv7 } from 'uuidv7';
import type { Finding } from '../domain/findings.js';

export interface Context {
  event_id?: string | undefined;
  correlation_id: string | null;
  product_id: string;
  store_location: string;
  category: string;
  event_timestamp: string;
}

/** Anomalies, one per cause: a finding whose cause is already stored is the same anomaly, not a new one. */
export function createAnomaliesRepository(db: SqliteDatabase) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO anomalies (id, cause, detector, type, severity, score, explanation, event_id, correlation_id,
       product_id, store_location, category, event_timestamp, detected_at)
     VALUES (@id, @cause, @detector, @type, @severity, @score, @explanation, @event_id, @correlation_id,
       @product_id, @store_location, @category, @event_timestamp, @detected_at)`,
  );
  return {
    /** Stores the findings of one event (or day); returns the new anomalies, as published. */
    add(findings: readonly Finding[], ctx: Context): AnomalyPayload[] {
      const detectedAt = new Date().toISOString();
      const added: AnomalyPayload[] = [];
      for (const { cause, ...f } of findings) {
        const anomaly: AnomalyPayload = {
          id: `an-${uuidv7()}`,
          ...f,
          score: Math.round(f.score * 1000) / 1000,
          ...(ctx.event_id ? { event_id: ctx.event_id } : {}),
          product_id: ctx.product_id,
          store_location: ctx.store_location,
          category: ctx.category,
          event_timestamp: ctx.event_timestamp,
          detected_at: detectedAt,
        };
        const row = { event_id: null, ...anomaly, cause, correlation_id: ctx.correlation_id };
        if (insert.run(row).changes) added.push(anomaly);
      }
      return added;
    },
  };
}

export type AnomaliesRepository = ReturnType<typeof createAnomaliesRepository>;
