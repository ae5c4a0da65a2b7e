import { runService } from '@stockpulse/service-kit';
import { buildApp, migrations } from './app.js';
import { NotifierConfig } from './config.js';

await runService({
  name: 'notifier',
  config: NotifierConfig,
  port: (config) => config.NOTIFIER_PORT,
  store: { file: 'notifications.db', migrations },
  build: buildApp,
});
