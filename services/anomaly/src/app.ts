import {
  consumeBatch,
  createInbox,
  createOutbox,
  createServiceApp,
  keyHeaders,
  relayOutbox,
  type ServiceApp,
  type ServiceDeps,
} from '@stockpulse/service-kit';
import type { AnomalyConfig } from './config.js';
import { createAnomaliesRepository } from './db/anomalies.repository.js';
import { createStateRepository } from './db/state.repository.js';
import { createVerdictsRepository } from './db/verdicts.repository.js';
import { Detectors } from './detectors.js';
import { eventsHandler } from './handlers/events.handler.js';
import { forecastsHandler } from './handlers/forecasts.handler.js';
import { anomaliesRoutes } from './routes/anomalies.routes.js';
import { notesRoutes } from './routes/notes.routes.js';
import { scoreRoutes } from './routes/score.routes.js';
import { verdictsRoutes } from './routes/verdicts.routes.js';

export { migrations } from './db/migrations.js';
export { split } from './db/split.js';

/**
 * anomaly: every inventory event through the rules, the isolation forest and the text checks; each day's
 * demand against its forecast (from `stockpulse.forecasts`); each anomaly once, on `stockpulse.anomalies`.
 */
export async function buildApp(deps: ServiceDeps, config: AnomalyConfig): Promise<ServiceApp> {
  const db = deps.db!;
  const app = await createServiceApp(deps, { name: 'anomaly' });
  const outbox = createOutbox(db);
  const inbox = createInbox(db);
  const detectors = new Detectors(
    createStateRepository(db),
    createAnomaliesRepository(db),
    config,
    deps.log.child({ component: 'detectors' }),
  );

  await app.register(scoreRoutes, { db, ingestUrl: config.INGEST_URL, headers: keyHeaders(deps.keys) });
  await app.register(anomaliesRoutes, { db });
  await app.register(notesRoutes, { db });
  await app.register(verdictsRoutes, { db, verdicts: createVerdictsRepository(db, config.VERDICT_MARGIN) });
  consumeBatch(
    app,
    deps,
    'stockpulse.forecasts',
    { subscription: 'anomaly-forecasts', type: 'key_shared' },
    forecastsHandler(inbox, db),
  );
  consumeBatch(
    app,
    deps,
    'stockpulse.inventory-events',
    { subscription: 'anomaly', type: 'key_shared' },
    eventsHandler(inbox, outbox, detectors),
  );

  app.addHook('onReady', async () => detectors.resume()); // the forest of the events a previous run stored
  relayOutbox(app, deps, db, outbox);
  return app;
}
