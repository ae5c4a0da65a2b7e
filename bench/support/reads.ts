/**
 * Reads while a load runs: one client asking the gateway for `/api/metrics?window=day&limit=100` five times
 * a second (the next after the previous answer, or after 200 ms), timing each answer. An answer that is not
 * 200, or none within 30 s, counts as refused.
 */
import { quantile } from './report.js';

export interface ReadFigures {
  count: number;
  refused: number;
  p50: number;
  p99: number;
  max: number;
}

export function readProbe(gateway: string, path = '/api/metrics?window=day&limit=100') {
  const times: number[] = [];
  let refused = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${gateway}${path}`, { signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        if (res.status === 200) times.push(performance.now() - t0);
        else refused++;
      } catch {
        refused++;
      }
      const wait = 200 - (performance.now() - t0);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    async stop(): Promise<ReadFigures> {
      running = false;
      await loop;
      const sorted = [...times].sort((a, b) => a - b);
      return {
        count: times.length,
        refused,
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        max: sorted.at(-1) ?? NaN,
      };
    },
  };
}
