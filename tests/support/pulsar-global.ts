/**
 * Jest's global set-up and tear-down: a local Apache Pulsar broker for the Pulsar legs of the tests (the bus
 * contract suite, the platform tests, the soak) when none is given. With PULSAR_URL and PULSAR_ADMIN_URL set
 * (`.ci/run` starts one with `pnpm pulsar`) it does nothing; with STOCKPULSE_PULSAR=off, neither. Otherwise it
 * starts infra/pulsar's broker on free loopback ports in a temporary folder (the jars come from Maven Central
 * the first time), and the test processes inherit its URLs. Without Java (or Maven for a first download) the
 * Pulsar legs say why and skip, unless STOCKPULSE_REQUIRE_PULSAR=1 makes that a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalBroker, type LocalBroker } from '../../infra/pulsar/broker.js';

const state = globalThis as { stockpulseBroker?: { broker: LocalBroker; dir: string } };

export default async function setUp(): Promise<void> {
  if ((process.env.PULSAR_URL && process.env.PULSAR_ADMIN_URL) || process.env.STOCKPULSE_PULSAR === 'off')
    return;
  const dir = mkdtempSync(join(tmpdir(), 'stockpulse-test-pulsar-'));
  const say = (line: string) => process.stderr.write(`pulsar for the tests: ${line}\n`);
  try {
    const [brokerPort, webPort] = [await freePort(), await freePort()];
    const broker = await startLocalBroker({ dataDir: dir, brokerPort, webPort, progress: say });
    process.env.PULSAR_URL = broker.url;
    process.env.PULSAR_ADMIN_URL = broker.adminUrl;
    state.stockpulseBroker = { broker, dir };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    if (process.env.STOCKPULSE_REQUIRE_PULSAR === '1') throw err;
    process.env.PULSAR_SKIP_REASON = `no local broker could be started: ${(err as Error).message}`;
    say(process.env.PULSAR_SKIP_REASON);
  }
}

export async function tearDown(): Promise<void> {
  const started = state.stockpulseBroker;
  if (!started) return;
  await started.broker.stop();
  rmSync(started.dir, { recursive: true, force: true });
}
