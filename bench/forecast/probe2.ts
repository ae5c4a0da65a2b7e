import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createOutbox, loadConfig, openDatabase } from '@stockpulse/service-kit';
import { ForecasterConfig } from '../../services/forecaster/src/config.js';
import { migrations } from '../../services/forecaster/src/db/migrations.js';
import { Trainer } from '../../services/forecaster/src/trainer.js';
import { createForecastPool } from '../../services/forecaster/src/workers/pool.js';
import { seedForecaster } from './scale.js';
const N = Number(process.env.N ?? 1000);
const file = join(mkdtempSync(join(tmpdir(), 'fc-')), 'ml.db');
let t = performance.now();
seedForecaster(file, N, 1461);
console.log('seed s', ((performance.now() - t) / 1000).toFixed(1));
const db = openDatabase(file, migrations);
const config = loadConfig(ForecasterConfig, {
  FORECAST_NICE: '0',
  ...(process.env.SHARE ? { FORECAST_COSTLY_SHARE: process.env.SHARE } : {}),
});
const pool = createForecastPool(2);
const trainer = new Trainer(
  db,
  pool,
  createOutbox(db),
  config,
  createLogger({ service: 'p', level: 'silent' }),
  () => '2025-06-02',
);
const rows = trainer.selected({});
const cpu0 = process.cpuUsage();
t = performance.now();
const n = await trainer.train(rows, undefined, () => {});
const wall = (performance.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  'series',
  n,
  'wall s',
  wall.toFixed(1),
  'series/s',
  (n / wall).toFixed(1),
  'process cpu s',
  ((cpu.user + cpu.system) / 1e6).toFixed(1),
  'rss MB',
  (process.memoryUsage().rss / 1e6).toFixed(0),
);
await pool.close();
