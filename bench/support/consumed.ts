import type { Platform } from '../../tests/support/platform.js';

/**
 * Inventory events a service has acknowledged, from its Prometheus counter (cheap to ask while it works);
 * NaN when it does not answer this time.
 */
export async function acked(platform: Platform, service: string): Promise<number> {
  let text: string;
  try {
    text = await (await fetch(`${platform.url(service)}/metrics`)).text();
  } catch {
    return NaN; // a busy service may drop the connection: the caller asks again
  }
  const line = text.split('\n').find(
    (l) =>
      l.startsWith('stockpulse_bus_consumed_total{') &&
      // a replica's partition topic (`stockpulse.inventory-events-partition-<i>`) counts as the topic
      l.includes('topic="stockpulse.inventory-events') &&
      l.includes('outcome="acked"'),
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** Series the forecaster has yet to retrain, from its Prometheus gauge (NaN when it does not answer). */
export async function pendingSeries(platform: Platform): Promise<number> {
  try {
    const text = await (await fetch(`${platform.url('forecaster')}/metrics`)).text();
    return Number(/^stockpulse_forecaster_series_pending\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}
