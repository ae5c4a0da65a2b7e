import { runService } from '@stockpulse/service-kit';
import { buildApp, migrations } from './app.js';
import { ForecasterConfig } from './config.js';

await runService({
  name: 'forecaster',
  config: ForecasterConfig,
  port: (config) => config.FORECASTER_PORT,
  store: { file: 'ml_metrics.db', migrations },
  build: buildApp,
});
