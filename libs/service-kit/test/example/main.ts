import { runService } from '@stockpulse/service-kit';
import { buildApp, migrations } from './app.js';
import { ExampleConfig } from './config.js';

await runService({
  name: 'example',
  config: ExampleConfig,
  port: (config) => config.EXAMPLE_PORT,
  store: { file: 'example.db', migrations },
  build: buildApp,
});
