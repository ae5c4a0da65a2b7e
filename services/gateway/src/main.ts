import { runService } from '@stockpulse/service-kit';
import { buildApp } from './app.js';
import { GatewayConfig } from './config.js';

await runService({
  name: 'gateway',
  config: GatewayConfig,
  port: (config) => config.GATEWAY_PORT,
  build: buildApp,
});
