import { api, on, throttle } from '../api.js';
import { el, fmt, tile } from '../dom.js';

interface Overview {
  services: Record<string, { status: string; latency_ms: number }>;
  kpis: Record<string, number | string | null>;
  dead_letters: { total: number; queues: { topic: string; subscription: string; depth: number }[] } | null;
  unavailable?: string[];
}

const age = (iso: string | number | null) => {
  if (typeof iso !== 'string') return '—';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return s < 120
    ? `${s} s ago`
    : s < 7200
      ? `${Math.round(s / 60)} min ago`
      : `${Math.round(s / 3600)} h ago`;
};

/** The subscriptions with dead letters waiting, and how to replay them (a write: the API key's business). */
const deadLetters = (dead: Overview['dead_letters']) => {
  const waiting = dead?.queues.filter((q) => q.depth > 0) ?? [];
  if (!waiting.length) return [];
  return [
    el('h3', {}, 'Dead letters'),
    el(
      'ul',
      { class: 'dead-letters' },
      ...waiting.map((q) =>
        el('li', { 'data-topic': q.topic }, `${q.subscription}: ${fmt(q.depth)} waiting in ${q.topic}`),
      ),
    ),
    el('p', { class: 'hint' }, 'Replay them once the cause is fixed: POST /api/dlq/<topic>/replay.'),
  ];
};

interface Ingestion {
  received: number;
  applied: number;
  left: number;
  applied_per_second: number;
  eta_seconds: number | null;
}

/** While an import is being applied: how far it is, how fast, and about how long is left. */
const importProgress = (i: Ingestion | undefined) => {
  if (!i || i.left <= 0) return [];
  const eta =
    i.eta_seconds === null
      ? 'time left unknown'
      : i.eta_seconds < 120
        ? `about ${i.eta_seconds} s left`
        : `about ${Math.round(i.eta_seconds / 60)} min left`;
  return [
    el(
      'div',
      { class: 'import-progress', 'data-left': String(i.left) },
      el('progress', { max: String(i.received), value: String(i.applied) }),
      el(
        'span',
        {},
        `Applying events: ${fmt(i.applied)} of ${fmt(i.received)} (${fmt(i.left)} left, ${fmt(i.applied_per_second, 1)}/s, ${eta})`,
      ),
    ),
  ];
};

/** KPI tiles and service status, from /api/overview; refreshed every 5 s and on live events. */
export function overview(root: HTMLElement): () => Promise<void> {
  const refresh = async () => {
    const [o, ingestion] = await Promise.all([
      api<Overview>('/overview'),
      api<Ingestion>('/ingestion').catch(() => undefined),
    ]);
    const k = o.kpis;
    const kpi = (label: string, value: string, name: string) => tile(label, value, { 'data-kpi': name });
    root.replaceChildren(
      el('h2', {}, 'Overview'),
      ...importProgress(ingestion),
      el(
        'div',
        { class: 'tiles' },
        kpi('Total stock value', fmt(k.total_stock_value, 2), 'total_stock_value'),
        kpi('Products low on stock', fmt(k.products_low), 'products_low'),
        kpi('Products out of stock', fmt(k.products_out), 'products_out'),
        kpi('Open alerts', fmt(k.open_alerts), 'open_alerts'),
        kpi('Events per second', fmt(k.events_per_second, 2), 'events_per_second'),
        kpi(
          'Newest event in the data',
          `${typeof k.latest_event_at === 'string' ? k.latest_event_at.slice(0, 19).replace('T', ' ') : '—'} (${age(k.latest_event_at ?? null)})`,
          'freshness',
        ),
        kpi('Dead letters', fmt(o.dead_letters?.total ?? null), 'dead_letters'),
      ),
      el('h3', {}, 'Services'),
      el(
        'ul',
        { class: 'services' },
        ...Object.entries(o.services).map(([name, s]) =>
          el(
            'li',
            { class: `status-${s.status.replace(' ', '-')}`, 'data-service': name },
            `${name}: ${s.status} (${s.latency_ms} ms)`,
          ),
        ),
      ),
      ...deadLetters(o.dead_letters),
      ...(o.unavailable ? [el('p', { class: 'warning' }, `Partial: ${o.unavailable.join('; ')}`)] : []),
    );
  };
  const soon = throttle(() => void refresh(), 2000);
  on('notification', soon);
  on('metrics', soon);
  window.setInterval(() => void refresh(), 5000);
  return refresh;
}
