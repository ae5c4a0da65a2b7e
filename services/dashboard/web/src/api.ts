/** The gateway's API, through this origin (the dashboard service forwards /api). */
export async function api<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<T> {
  // writes carry the API key typed into the page, when there is one (the gateway asks for it when API_KEY is set)
  const key = localStorage.getItem('api-key');
  const headers = {
    ...(init?.headers as Record<string, string> | undefined),
    ...(key ? { 'x-api-key': key } : {}),
  };
  const res = await fetch(`/api${path}`, { ...init, headers });
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as T & { error?: { message?: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `${res.status} ${res.statusText}`);
  return body;
}

export const postJson = <T = Record<string, unknown>>(path: string, body: unknown) =>
  api<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

export interface List<T> {
  items: T[];
  total: number;
}

/** `path` with those of `params` that have a value set in its query string. */
export const withParams = (path: string, params: Record<string, string>): string => {
  const [base, query] = path.split('?') as [string, string | undefined];
  const all = new URLSearchParams(query);
  for (const [k, v] of Object.entries(params)) if (v) all.set(k, v);
  return `${base}?${all.toString()}`;
};

/** A list read whole in pages of `limit`, up to `max` items (fewer than its `total` past that). */
export async function readAll<T>(path: string, max: number, limit = 1000): Promise<List<T>> {
  const items: T[] = [];
  let total = 0;
  for (let offset = 0; offset < max; offset += limit) {
    const page = await api<List<T>>(withParams(path, { limit: String(limit), offset: String(offset) }));
    items.push(...page.items);
    total = page.total;
    if (page.items.length < limit || items.length >= total) break;
  }
  return { items, total };
}

type Listener = (data: Record<string, unknown>) => void;
const listeners = new Map<string, Set<Listener>>();

/** Subscribes to one event of the live stream (metrics, forecast, anomaly, notification). */
export function on(event: string, listener: Listener): void {
  if (!listeners.has(event)) listeners.set(event, new Set());
  listeners.get(event)!.add(listener);
}

/** Opens the live stream once; EventSource reconnects by itself, sending Last-Event-ID. */
export function connect(status: (text: string, ok: boolean) => void): void {
  const source = new EventSource('/api/stream');
  source.onopen = () => status('● live', true);
  source.onerror = () => status('○ reconnecting', false);
  for (const event of ['metrics', 'forecast', 'anomaly', 'notification']) {
    source.addEventListener(event, (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
      for (const listener of listeners.get(event) ?? []) listener(data);
    });
  }
}

/** Calls `fn` at most once per `ms` (for refreshing on bursts of live events). */
export function throttle(fn: () => void, ms: number): () => void {
  let timer: number | undefined;
  return () => {
    if (timer !== undefined) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
}
