import {
  consumeBatch,
  createInbox,
  createOutbox,
  createServiceApp,
  relayOutbox,
  type ServiceApp,
  type ServiceDeps,
} from '@stockpulse/service-kit';
import type { ProcessorConfig } from './config.js';
import { createFlusher } from './db/flush.js';
import { createStateRepository } from './db/state.repository.js';
import { createWindowsRepository } from './db/windows.repository.js';
import { inventoryEventsHandler } from './handlers/inventory-events.handler.js';
import { metricsRoutes } from './routes/metrics.routes.js';

export { migrations } from './db/migrations.js';

/**
 * processor: keeps current stock, daily demand and window metrics from `stockpulse.inventory-events`,
 * exactly once per event, and publishes what changed on `stockpulse.inventory-metrics`.
 */
export async function buildApp(deps: ServiceDeps, config: ProcessorConfig): Promise<ServiceApp> {
  const db = deps.db!;
  const app = await createServiceApp(deps, { name: 'processor' });
  const outbox = createOutbox(db);
  const inbox = createInbox(db);
  const state = createStateRepository(db);
  const flusher = createFlusher(db, createWindowsRepository(db), outbox);

  // coalescing: events mark windows dirty; a flush recomputes them at most every PROCESSOR_FLUSH_MS
  let timer: NodeJS.Timeout | undefined;
  const flushSoon = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      try {
        flusher.flush();
      } catch (err) {
        app.log.error({ err }, 'flushing window metrics failed; will retry');
        flushSoon();
      }
    }, config.PROCESSOR_FLUSH_MS);
  };

  await app.register(metricsRoutes, { db });
  consumeBatch(
    app,
    deps,
    'stockpulse.inventory-events',
    { subscription: 'processor', type: 'key_shared' },
    inventoryEventsHandler(inbox, state, flushSoon),
  );
  app.addHook('onReady', async () => flushSoon()); // what a previous run left dirty
  app.addHook('preClose', async () => {
    clearTimeout(timer);
    flusher.flush();
  });
  relayOutbox(app, deps, db, outbox);
  return app;
}
