import type { AnomalyPayload } from '@stockpulse/contracts';
import type { SqliteDatabase } from '@stockpulse/service-kit';
import { uuidv7 } from 'uuidv7';
import type { Finding } from '../domain/findings.js';
import { underThreshold } from '../domain/verdicts.js';

export interface Context {
  event_id?: string | undefined;
  correlation_id: string | null;
  product_id: string;
  store_location: string;
  category: string;
  event_timestamp: string;
}

const COLUMNS = `id, cause, detector, type, severity, score, explanation, event_id, correlation_id, product_id,
  store_location, category, event_timestamp, detected_at`;
const VALUES = `@id, @cause, @detector, @type, @severity, @score, @explanation, @event_id, @correlation_id,
  @product_id, @store_location, @category, @event_timestamp, @detected_at`;

/**
 * Anomalies and notes, one per cause: a finding whose cause is already stored is the same one, not a new one.
 * Warnings and criticals are anomalies (listed, published, notified) unless a verdict raised the threshold of
 * their detector, type, store and product above their score; information-level findings are notes (kept for
 * drill-down, never listed as anomalies).
 */
export function createAnomaliesRepository(db: SqliteDatabase) {
  const insertAnomaly = db.prepare(`INSERT OR IGNORE INTO anomalies (${COLUMNS}) VALUES (${VALUES})`);
  const insertNote = db.prepare(
    `INSERT OR IGNORE INTO notes (${COLUMNS.replace('severity, ', '')}) VALUES (${VALUES.replace('@severity, ', '')})`,
  );
  const threshold = db.prepare<[string, string, string, string], number>(
    'SELECT min_score FROM thresholds WHERE detector = ? AND type = ? AND store_location = ? AND product_id = ?',
  );
  return {
    /** Stores the findings of one event (or day); returns the new anomalies, as published. */
    add(findings: readonly Finding[], ctx: Context): AnomalyPayload[] {
      const detectedAt = new Date().toISOString();
      const added: AnomalyPayload[] = [];
      for (const found of findings) {
        const minScore =
          found.severity === 'info'
            ? undefined
            : threshold.pluck().get(found.detector, found.type, ctx.store_location, ctx.product_id);
        const { cause, ...f } = underThreshold(found, minScore);
        const anomaly: AnomalyPayload = {
          id: `${f.severity === 'info' ? 'note' : 'an'}-${uuidv7()}`,
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
        if (f.severity === 'info') insertNote.run(row);
        else if (insertAnomaly.run(row).changes) added.push(anomaly);
      }
      return added;
    },
  };
}

export type AnomaliesRepository = ReturnType<typeof createAnomaliesRepository>;
