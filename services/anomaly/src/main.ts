import { runService } from '@stockpulse/service-kit';
import { buildApp, migrations } from './app.js';
import { AnomalyConfig } from './config.js';

await runService({
  name: 'anomaly',
  config: AnomalyConfig,
  port: (config) => config.ANOMALY_PORT,
  store: { file: 'anomalies.db', migrations },
  build: buildApp,
});
