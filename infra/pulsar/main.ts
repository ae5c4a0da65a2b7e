/**
 * `pnpm pulsar`: the local Apache Pulsar broker alone, in the foreground, on 127.0.0.1: the binary protocol on
 * 6650, the admin REST API and the WebSocket API on 8081. Its jars come from Maven Central the first time
 * (cached), its data and log live in DATA_DIR/pulsar (default ./data/pulsar), and the stockpulse topics,
 * subscriptions and dead-letter topics are set up. Ctrl-C stops it.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalPulsarError } from './jars.js';
import { localPulsarUp } from './up.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = join(resolve(process.env.DATA_DIR ?? join(root, 'data')), 'pulsar');
const say = (line: string) => console.log(`pulsar: ${line}`);

const starting = new AbortController();
let stopping = false;
let stopBroker: (() => Promise<void>) | undefined;
const stop = () => {
  if (stopping) return;
  stopping = true;
  say('stopping the broker');
  starting.abort();
  void stopBroker?.().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  const broker = await localPulsarUp(dataDir, say, starting.signal);
  stopBroker = () => broker.stop();
  if (stopping) await broker.stop().then(() => process.exit(0));
  say('ready; Ctrl-C stops it');
  const code = await broker.exited;
  if (!stopping) {
    console.error(`pulsar: the broker exited by itself (code ${code}); its log: ${broker.logFile}`);
    process.exit(1);
  }
} catch (err) {
  console.error(`pulsar: ${err instanceof LocalPulsarError ? err.message : String(err)}`);
  process.exit(stopping ? 0 : 1);
}
