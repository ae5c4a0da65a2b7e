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
import { createWindowBook } from './db/window-book.js';
import { inventoryEventsHandler } from './handlers/inventory-events.handler.js';
import { categoryValuesRoutes } from './routes/category-values.routes.js';
import { inventoryRoutes } from './routes/inventory.routes.js';
import { metricsRoutes } from './routes/metrics.routes.js';

export { migrations } from './db/migrations.js';
export { split } from './db/split.js';

/** Most events per handler call (while catching up): one transaction each, so fewer and larger commits. */
const FULL_BATCH = 2500;
/** A batch this large means a backlog (at 1,000 events/s the bus hands over 10–20 at a time). */
const BACKLOG_BATCH = 200;

/**
 * processor: keeps current stock, daily demand and window metrics from `stockpulse.inventory-events`,
 * exactly once per event, and publishes what changed on `stockpulse.inventory-metrics`.
 */
export async function buildApp(deps: ServiceDeps, config: ProcessorConfig): Promise<ServiceApp> {
  const db = deps.db!;
  const app = await createServiceApp(deps, { name: 'processor' });
  const outbox = createOutbox(db);
  const inbox = createInbox(db);
  const state = createStateRepository(db, createWindowBook(db));
  const flusher = createFlusher(db, outbox);

  // Coalescing: batches update windows and mark them dirty; a flush publishes them. While the processor keeps
  // up (small batches), it flushes almost at once, for fresh metrics; while it catches up on a backlog, at most
  // every PROCESSOR_FLUSH_MS, so that many events of a window make one update. A flush goes a page at a time,
  // yielding between pages, so reads and the consumer are never kept waiting behind it.
  let timer: NodeJS.Timeout | undefined;
  let due = Infinity;
  const flushIn = (ms: number) => {
    const at = Date.now() + ms;
    if (timer && due <= at) return;
    clearTimeout(timer);
    due = at;
    timer = setTimeout(() => {
      timer = undefined;
      due = Infinity;
      try {
        if (flusher.flushPage()) setImmediate(() => flushIn(0));
      } catch (err) {
        app.log.error({ err }, 'flushing window metrics failed; will retry');
        flushIn(config.PROCESSOR_FLUSH_MS);
      }
    }, ms);
  };
  const onBatch = (size: number) => flushIn(size < BACKLOG_BATCH ? 5 : config.PROCESSOR_FLUSH_MS);

  await app.register(metricsRoutes, { db });
  await app.register(inventoryRoutes, { db });
  await app.register(categoryValuesRoutes, { db });
  consumeBatch(
    app,
    deps,
    'stockpulse.inventory-events',
    { subscription: 'processor', type: 'key_shared', batchSize: FULL_BATCH },
    inventoryEventsHandler(inbox, state, onBatch),
  );
  app.addHook('onReady', async () => flushIn(0)); // what a previous run left dirty
  app.addHook('preClose', async () => {
    clearTimeout(timer);
    while (flusher.flushPage());
  });
  relayOutbox(app, deps, db, outbox);
  return app;
}
