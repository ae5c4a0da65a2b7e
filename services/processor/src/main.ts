import { runService } from '@stockpulse/service-kit';
import { buildApp, migrations } from './app.js';
import { ProcessorConfig } from './config.js';

await runService({
  name: 'processor',
  config: ProcessorConfig,
  port: (config) => config.PROCESSOR_PORT,
  store: { file: 'inventory_metrics.db', migrations },
  build: buildApp,
});
