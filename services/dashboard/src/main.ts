import { runService } from '@stockpulse/service-kit';
import { buildApp } from './app.js';
import { DashboardConfig } from './config.js';

await runService({
  name: 'dashboard',
  config: DashboardConfig,
  port: (config) => config.DASHBOARD_PORT,
  build: buildApp,
});
