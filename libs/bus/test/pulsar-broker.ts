import { loadPulsarClient } from '../src/pulsar/native/load-client.js';
import type { PulsarClientChoice } from '../src/index.js';

export interface Broker {
  url: string;
  adminUrl: string;
}

/**
 * The broker of the Pulsar legs: PULSAR_URL and PULSAR_ADMIN_URL, set by `.ci/run` (which starts one with
 * `pnpm pulsar`) or by jest's global set-up (tests/support/pulsar-global.ts, which starts a local one when Java
 * is there). Without one the Pulsar legs say why and skip, unless STOCKPULSE_REQUIRE_PULSAR=1 (CI) makes that
 * a failure.
 */
export function pulsarBroker(): Broker | { skip: string } {
  const { PULSAR_URL: url, PULSAR_ADMIN_URL: adminUrl } = process.env;
  if (url && adminUrl) return { url, adminUrl };
  const skip = process.env.PULSAR_SKIP_REASON ?? 'PULSAR_URL and PULSAR_ADMIN_URL are not set';
  if (process.env.STOCKPULSE_REQUIRE_PULSAR === '1')
    throw new Error(`a Pulsar broker is required here (STOCKPULSE_REQUIRE_PULSAR=1): ${skip}`);
  return { skip };
}

/** The client layers that load on this machine: the WebSocket one always, the native one where its binding does. */
export function loadableClients(): Exclude<PulsarClientChoice, 'auto'>[] {
  try {
    loadPulsarClient();
    return ['native', 'websocket'];
  } catch {
    return ['websocket'];
  }
}
