import { runService } from '@stockpulse/service-kit';
import { buildApp, migrations } from './app.js';
import { IngestConfig } from './config.js';

await runService({
  name: 'ingest',
  config: IngestConfig,
  port: (config) => config.INGEST_PORT,
  store: { file: 'inventory.db', migrations },
  build: buildApp,
});
