import {
  JobRunner,
  createOutbox,
  createServiceApp,
  isOn,
  jobsRoutes,
  relayOutbox,
  type ServiceApp,
  type ServiceDeps,
} from '@stockpulse/service-kit';
import type { IngestConfig } from './config.js';
import { createEventsRepository } from './db/events.repository.js';
import { generateHistory, streamLive, type GenerateParams } from './jobs/generate.job.js';

import { eventsRoutes } from './routes/events.routes.js';
import { generateParams, generateRoutes } from './routes/generate.routes.js';

export { migrations } from './db/migrations.js';

/**
 * ingest: accepts inventory events over HTTP and from its generator, stores each new one in inventory.db and
 * publishes it on `stockpulse.inventory-events` through the outbox.
 */
export async function buildApp(deps: ServiceDeps, config: IngestConfig): Promise<ServiceApp> {
  const db = deps.db!;
  const app = await createServiceApp(deps, { name: 'ingest', bodyLimit: config.INGEST_MAX_BODY_BYTES });
  const outbox = createOutbox(db);
  const events = createEventsRepository(db, outbox);

  const jobs: JobRunner = new JobRunner(
    db,
    'ingest',
    {
      generate: generateHistory(events, (params) => startStream(params), deps.log),
      stream: streamLive(events),
    },
    deps.log.child({ component: 'jobs' }),
  );
  /** One live stream at a time: a new one replaces the old. */
  function startStream(params: GenerateParams): void {
    void Promise.all(jobs.list('stream', 'running').map((job) => jobs.cancel(job.id))).then(() =>
      jobs.start('stream', params),
    );
  }

  await app.register(eventsRoutes, { events, bodyLimit: config.INGEST_MAX_BODY_BYTES });
  await app.register(generateRoutes, { jobs, events, db, testMode: isOn(config.TEST_MODE) });
  await app.register(jobsRoutes, { jobs });
  relayOutbox(app, deps, db, outbox);

  app.addHook('onReady', async () => {
    jobs.resume();
    if (isOn(config.DEMO) && !jobs.hasAny() && events.count() === 0) {
      const job = jobs.start('generate', generateParams({ rate: config.DEMO_RATE, anomalies: 30 }));
      app.log.info({ jobId: job.id }, 'empty store: seeding the demo history and a live stream (DEMO is on)');
    }
  });
  // before the relay's final flush (hooks run in order): stop making events first
  app.addHook('preClose', () => jobs.stop());
  return app;
}
