import type { SplitSpec } from '@stockpulse/service-kit';

/**
 * The anomaly service's stores split again (`pnpm repartition`): every table by its store (a verdict by its
 * anomaly's); the descriptions a replica learned its text model from go to every new replica (the model is
 * per partition: each starts from all it had learned); the count of scored events per job made again from
 * the features of the events each new replica now holds.
 */
export const split: SplitSpec = {
  rules: {
    descriptions: { everywhere: 'all' },
    features: { store: "COALESCE(t.store_location, '')", offset: 'id' },
    verdicts: {
      store: '(SELECT a.store_location FROM old.anomalies a WHERE a.id = t.anomaly_id)',
      offset: 'id',
    },
    event_counts: { derived: true },
  },
  after: (db) =>
    db.exec(`INSERT INTO event_counts (correlation_id, events)
      SELECT correlation_id, COUNT(*) FROM features WHERE correlation_id IS NOT NULL GROUP BY correlation_id`),
};
