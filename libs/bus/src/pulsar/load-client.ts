import { createRequire } from 'node:module';
import type * as Pulsar from 'pulsar-client';

export type PulsarModule = typeof Pulsar;

export class PulsarUnavailableError extends Error {
  override readonly name = 'PulsarUnavailableError';
}

/**
 * Loads pulsar-client on first use only, so nothing but BUS=pulsar needs its native binding. The package's
 * JS and types install everywhere; its binding is downloaded by its install script, which this workspace
 * does not run (the binary host is unreachable on the development machines). The container image builds it.
 */
export function loadPulsarClient(): PulsarModule {
  try {
    return createRequire(import.meta.url)('pulsar-client') as PulsarModule;
  } catch (err) {
    const reason = ((err as Error).message || String(err)).split('\n')[0];
    throw new PulsarUnavailableError(
      `BUS=pulsar needs the native binding of pulsar-client, which is not installed here (${reason}). ` +
        'Fix: run on Pulsar with `docker compose up` (the image builds the binding), or set ' +
        '`pulsar-client: true` under allowBuilds in pnpm-workspace.yaml and run `pnpm install` on a machine ' +
        'that can download it; on one machine, use BUS=embedded.',
    );
  }
}
