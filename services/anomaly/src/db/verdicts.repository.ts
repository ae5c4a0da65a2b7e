import type { SqliteDatabase } from '@stockpulse/service-kit';
import { thresholdFrom, type Judged, type Verdict } from '../domain/verdicts.js';

interface Judgeable {
  detector: string;
  type: string;
  store_location: string;
  product_id: string;
}

/**
 * Users' verdicts on anomalies: every verdict kept in order (the history), the latest on the anomaly itself,
 * and the threshold of its detector, type, store and product learned again from the current verdicts there.
 */
export function createVerdictsRepository(db: SqliteDatabase, margin: number) {
  const anomaly = db.prepare<[string], Judgeable>(
    'SELECT detector, type, store_location, product_id FROM anomalies WHERE id = ?',
  );
  const append = db.prepare(
    'INSERT INTO verdicts (anomaly_id, verdict, reason, at) VALUES (@id, @verdict, @reason, @at)',
  );
  const setCurrent = db.prepare(
    'UPDATE anomalies SET verdict = @verdict, verdict_reason = @reason, verdict_at = @at WHERE id = @id',
  );
  const judged = db.prepare<[string, string, string, string], Judged>(
    `SELECT verdict, score FROM anomalies
     WHERE detector = ? AND type = ? AND store_location = ? AND product_id = ? AND verdict IS NOT NULL`,
  );
  const putThreshold = db.prepare(
    `INSERT OR REPLACE INTO thresholds (detector, type, store_location, product_id, min_score, because)
     VALUES (@detector, @type, @store_location, @product_id, @min_score, @because)`,
  );
  const dropThreshold = db.prepare(
    'DELETE FROM thresholds WHERE detector = @detector AND type = @type AND store_location = @store_location AND product_id = @product_id',
  );
  const history = db.prepare<[string], { verdict: Verdict; reason: string | null; at: string }>(
    'SELECT verdict, reason, at FROM verdicts WHERE anomaly_id = ? ORDER BY id',
  );

  const judge = db.transaction((id: string, verdict: Verdict, reason: string | null): boolean => {
    const a = anomaly.get(id);
    if (!a) return false;
    const row = { id, verdict, reason, at: new Date().toISOString() };
    append.run(row);
    setCurrent.run(row);
    const minScore = thresholdFrom(judged.all(a.detector, a.type, a.store_location, a.product_id), margin);
    if (minScore === undefined) dropThreshold.run(a);
    else putThreshold.run({ ...a, min_score: minScore, because: id });
    return true;
  });
  return {
    /** Records a verdict; false when there is no such anomaly (nothing is written then). */
    judge: (id: string, verdict: Verdict, reason: string | null): boolean => judge(id, verdict, reason),
    history: (id: string) => history.all(id),
  };
}

export type VerdictsRepository = ReturnType<typeof createVerdictsRepository>;
