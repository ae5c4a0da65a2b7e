import {
  consumeBatch,
  createInbox,
  createOutbox,
  createServiceApp,
  keyHeaders,
  relayOutbox,
  type ServiceApp,
  type ServiceDeps,
  replicaUrls,
} from '@stockpulse/service-kit';
import { partitionOf } from '@stockpulse/contracts';
import type { NotifierConfig } from './config.js';
import { createConditionsRepository } from './db/conditions.repository.js';
import { createMutesRepository } from './db/mutes.repository.js';
import { createWebhooksRepository } from './db/webhooks.repository.js';
import { anomaliesHandler } from './handlers/anomalies.handler.js';
import { forecastsHandler } from './handlers/forecasts.handler.js';
import { Notifications } from './notifications.js';
import { explainRoutes } from './routes/explain.routes.js';
import { mutesRoutes } from './routes/mutes.routes.js';
import { notificationsRoutes } from './routes/notifications.routes.js';
import { notificationStream } from './routes/stream.routes.js';
import { webhooksRoutes } from './routes/webhooks.routes.js';
import { StockSignals } from './stock-signals.js';
import { DeliveryWorker } from './webhooks/worker.js';

export { migrations } from './db/migrations.js';
export { split } from './db/split.js';

/**
 * notifier: anomalies and forecast signals in (`stockpulse.anomalies`, `stockpulse.forecasts`), deduplicated
 * notifications with a lifecycle out — on `stockpulse.notifications`, to signed webhooks and on a live stream.
 */
export async function buildApp(deps: ServiceDeps, config: NotifierConfig): Promise<ServiceApp> {
  const db = deps.db!;
  const app = await createServiceApp(deps, { name: 'notifier' });
  const outbox = createOutbox(db);
  const inbox = createInbox(db);
  const webhooks = createWebhooksRepository(db);
  webhooks.configure(
    config.WEBHOOK_URLS.split(',')
      .map((u) => u.trim())
      .filter(Boolean),
    config.WEBHOOK_SECRET,
  );
  const mutes = createMutesRepository(db);
  const notifications = new Notifications(db, outbox, webhooks, mutes);
  const stockSignals = new StockSignals(createConditionsRepository(db), notifications, {
    digest: config.NOTIFY_STOCK_DIGEST,
    pending: { observations: config.NOTIFY_PENDING_OBSERVATIONS, ms: config.NOTIFY_PENDING_MS },
  });
  const worker = new DeliveryWorker(
    webhooks,
    {
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: config.WEBHOOK_BACKOFF_MS,
      backoffMaxMs: config.WEBHOOK_BACKOFF_MAX_MS,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    },
    deps.log.child({ component: 'webhooks' }),
  );

  await notificationStream(app, db, Math.min(config.NOTIFIER_TICK_MS, 200));
  await app.register(notificationsRoutes, { db, notifications });
  const processors = replicaUrls(config.PROCESSOR_URL, config.PARTITIONS, config.PROCESSOR_URLS);
  await app.register(explainRoutes, {
    db,
    notifications,
    processorOf: (store: string) => processors[partitionOf(store, config.PARTITIONS)]!,
    headers: keyHeaders(deps.keys),
  });
  await app.register(webhooksRoutes, { webhooks });
  await app.register(mutesRoutes, { mutes });
  consumeBatch(
    app,
    deps,
    'stockpulse.anomalies',
    { subscription: 'notifier', type: 'key_shared' },
    anomaliesHandler(inbox, notifications, {
      minSeverity: config.NOTIFY_MIN_SEVERITY,
      groupBy: config.NOTIFY_GROUP_BY,
    }),
  );
  consumeBatch(
    app,
    deps,
    'stockpulse.forecasts',
    { subscription: 'notifier-forecasts', type: 'key_shared' },
    forecastsHandler(inbox, db, stockSignals, config.STOCKOUT_WITHIN_DAYS),
  );

  // deliveries and snoozes on their own timer: a slow receiver never holds up a consumer
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = (async () => {
        try {
          notifications.wakeSnoozed();
          await worker.tick();
        } catch (err) {
          app.log.error({ err }, 'delivering webhooks failed; will try again');
        }
      })().finally(tick);
    }, config.NOTIFIER_TICK_MS);
  };
  app.addHook('onReady', async () => tick());
  app.addHook('preClose', async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  });
  relayOutbox(app, deps, db, outbox);
  return app;
}
