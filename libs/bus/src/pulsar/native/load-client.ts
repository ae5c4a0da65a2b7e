import { createRequire } from 'node:module';
import type * as Pulsar from 'pulsar-client';

export type PulsarModule = typeof Pulsar;

export class PulsarUnavailableError extends Error {
  override readonly name = 'PulsarUnavailableError';
  constructor(
    message: string,
    /** Why the binding did not load, in a few words. */
    readonly reason: string,
  ) {
    super(message);
  }
}

/**
 * Loads pulsar-client on first use only. Its JS and types install everywhere; its native binding is downloaded
 * by its install script, which this workspace does not run (the binary host is unreachable on the development
 * machines). The container images build it.
 */
export function loadPulsarClient(): PulsarModule {
  try {
    return createRequire(import.meta.url)('pulsar-client') as PulsarModule;
  } catch (err) {
    const detail = ((err as Error).message || String(err)).split('\n')[0]!;
    const reason = /Cannot find module .*pulsar\.node/.test(detail)
      ? "pulsar-client's native binding is not installed"
      : `pulsar-client did not load: ${detail}`;
    throw new PulsarUnavailableError(
      `PULSAR_CLIENT=native needs the native binding of pulsar-client, which does not load here (${detail}). ` +
        "Fix: PULSAR_CLIENT=websocket (or auto) uses Pulsar's WebSocket API instead; the container images " +
        'build the binding, and `pulsar-client: true` under allowBuilds in pnpm-workspace.yaml builds it on a ' +
        'machine that can download it.',
      reason,
    );
  }
}
