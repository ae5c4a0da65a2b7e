/** HTTP helpers of the cross-service tests and benchmarks: polling, JSON reads and posts, day totals. */
import { eventually } from '@stockpulse/service-kit/testing';

/**
 * Polls `probe` until `done` holds (the kit's `eventually`), here with a default of 20 s. A poll whose
 * connection failed (a busy service may reset one) counts as not yet; any other error fails at once.
 */
export async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  type Poll = { ok: true; value: T } | { ok: false; error: string };
  const poll = async (): Promise<Poll> => {
    try {
      return { ok: true, value: await probe() };
    } catch (err) {
      if ((err as Error).message !== 'fetch failed') throw err;
      return { ok: false, error: String((err as Error & { cause?: unknown }).cause) };
    }
  };
  const last = await eventually(poll, (p) => p.ok && done(p.value), what, timeoutMs);
  return (last as { value: T }).value;
}

export async function getJson<T = { items: Record<string, unknown>[]; total: number }>(
  url: string,
): Promise<T> {
  const res = await fetch(url);
  return (await res.json()) as T;
}

export async function post(url: string, body: unknown, contentType = 'application/json') {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json as Record<string, unknown> };
}

/**
 * Σ event_count and Σ units_sold over every day window of a metrics API (the processor's or the gateway's,
 * `base` up to `/api`), page by page: what the platform has counted, to compare with what was sent.
 */
export async function dayTotals(base: string): Promise<{ events: number; units: number }> {
  const totals = { events: 0, units: 0 };
  for (let offset = 0; ; offset += 10_000) {
    const page = await getJson<{ items: { event_count: number; units_sold: number }[]; total: number }>(
      `${base}/api/metrics?window=day&limit=10000&offset=${offset}`,
    );
    for (const d of page.items) {
      totals.events += d.event_count;
      totals.units += d.units_sold;
    }
    if (offset + page.items.length >= page.total) return totals;
  }
}
