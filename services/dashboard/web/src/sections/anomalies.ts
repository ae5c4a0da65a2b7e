import { api, on, throttle, type List } from '../api.js';
import { chart } from '../charts.js';
import { el, table } from '../dom.js';
import type { Filters } from '../filters.js';

type Anomaly = Record<string, unknown> & {
  store_location: string;
  category: string;
  severity: string;
  detector: string;
};

/** Anomalies by detector with explanation and severity; counts per store and per category. */
export function anomalies(root: HTMLElement, filters: Filters): () => Promise<void> {
  const detector = el(
    'select',
    { name: 'detector' },
    ...['', 'rules', 'text', 'isolation_forest', 'forecast_residual'].map((d) =>
      el('option', { value: d }, d || 'every detector'),
    ),
  );
  const severity = el(
    'select',
    { name: 'severity' },
    ...['warning', 'critical', 'info', ''].map((s) => el('option', { value: s }, s || 'every severity')),
  );
  const counts = el('div', { class: 'grid' }, el('div', { class: 'panel' }), el('div', { class: 'panel' }));
  const list = el('div', { class: 'panel' });
  root.replaceChildren(
    el('h2', {}, 'Anomalies'),
    el('label', {}, 'Detector ', detector),
    el('label', {}, ' Severity ', severity),
    counts,
    list,
  );

  const refresh = async () => {
    const q = `${detector.value ? `&detector=${detector.value}` : ''}${severity.value ? `&severity=${severity.value}` : ''}${filters.query()}`;
    const { items, total } = await api<List<Anomaly>>(`/anomalies?limit=1000${q}`);
    const countBy = (key: 'store_location' | 'category') => {
      const m = new Map<string, number>();
      for (const a of items) m.set(a[key], (m.get(a[key]) ?? 0) + 1);
      return [...m].sort((a, b) => b[1] - a[1]);
    };
    const [byStore, byCategory] = [countBy('store_location'), countBy('category')];
    chart(
      counts.children[0] as HTMLElement,
      'Anomalies per store',
      'anomalies-by-store',
      'bar',
      byStore.map((x) => x[0]),
      [{ label: 'anomalies', data: byStore.map((x) => x[1]) }],
    );
    chart(
      counts.children[1] as HTMLElement,
      'Anomalies per category',
      'anomalies-by-category',
      'bar',
      byCategory.map((x) => x[0]),
      [{ label: 'anomalies', data: byCategory.map((x) => x[1]) }],
    );
    list.replaceChildren(
      el('h3', {}, `${total} anomalies${total > items.length ? ` (newest ${items.length} shown)` : ''}`),
      table(
        'anomalies',
        [
          { key: 'event_timestamp', label: 'when' },
          {
            key: 'severity',
            label: 'severity',
            render: (a) => el('span', { class: `sev-${a.severity}` }, a.severity),
          },
          { key: 'detector', label: 'detector' },
          { key: 'type', label: 'type' },
          { key: 'store_location', label: 'store' },
          { key: 'product_id', label: 'product' },
          { key: 'category', label: 'category' },
          { key: 'explanation', label: 'explanation' },
        ],
        items,
      ),
    );
  };
  for (const s of [detector, severity]) s.addEventListener('change', () => void refresh());
  filters.onChange(() => void refresh());
  on(
    'anomaly',
    throttle(() => void refresh(), 3000),
  );
  return refresh;
}
