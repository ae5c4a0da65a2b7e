import { api, on, throttle, type List } from '../api.js';
import { chart } from '../charts.js';
import { dataTable } from '../data-table.js';
import { severityColumn } from '../table-view.js';
import { el } from '../dom.js';
import type { Filters } from '../filters.js';
import { productHref, setParams } from '../url-state.js';
import { drawNotes, verdictCell, type Judged, type Note } from './anomaly-review.js';

type Anomaly = Record<string, unknown> &
  Judged & {
    store_location: string;
    category: string;
    severity: string;
    detector: string;
  };

const param = (name: string, value: string) => (value ? `&${name}=${encodeURIComponent(value)}` : '');

/**
 * Anomalies by detector with explanation, severity and the user's verdict (confirm, or mark a false positive
 * with a reason); counts per store and per category; how many notes are kept apart; the verdicts as CSV.
 */
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
    ...['warning', 'critical', ''].map((s) => el('option', { value: s }, s || 'every severity')),
  );
  const verdict = el(
    'select',
    { name: 'verdict' },
    ...[
      ['', 'every verdict'],
      ['none', 'not judged'],
      ['confirmed', 'confirmed'],
      ['false_positive', 'false positive'],
    ].map(([value, label]) => el('option', { value: value! }, label)),
  );
  const product = el('input', {
    type: 'search',
    name: 'product',
    placeholder: 'any product',
    maxlength: 128,
  });
  const exportVerdicts = el(
    'a',
    {
      href: '/api/anomalies/verdicts?format=csv',
      download: 'anomaly-verdicts.csv',
      'data-export': 'verdicts',
    },
    'Export verdicts (CSV)',
  );
  const notes = el('details', { class: 'notes', 'data-notes': '', hidden: true });
  const counts = el('div', { class: 'grid' }, el('div', { class: 'panel' }), el('div', { class: 'panel' }));
  const common = () =>
    `${param('detector', detector.value)}${param('product', product.value.trim())}${filters.query()}`;
  const anomalyTable = dataTable<Anomaly>({
    name: 'anomalies',
    source: () =>
      `/anomalies?${common()}${param('severity', severity.value)}${param('verdict', verdict.value)}`,
    search: true,
    columns: [
      { key: 'event_timestamp', label: 'when' },
      severityColumn(),
      { key: 'detector', label: 'detector' },
      { key: 'type', label: 'type' },
      { key: 'store_location', label: 'store' },
      {
        key: 'product_id',
        label: 'product',
        render: (a) =>
          el('a', { href: productHref(a.store_location, String(a.product_id)) }, String(a.product_id)),
      },
      { key: 'category', label: 'category' },
      { key: 'explanation', label: 'explanation' },
      { key: 'verdict', label: 'verdict', render: verdictCell },
    ],
  });
  const heading = el('h3', {}, 'Anomalies');
  const list = el('div', { class: 'panel' }, heading, anomalyTable.root);
  root.replaceChildren(
    el('h2', {}, 'Anomalies'),
    el(
      'div',
      { class: 'toolbar' },
      el('label', {}, 'Detector ', detector),
      el('label', {}, 'Severity ', severity),
      el('label', {}, 'Verdict ', verdict),
      el('label', {}, 'Product ', product),
      exportVerdicts,
    ),
    notes,
    counts,
    list,
  );

  let latest = 0;
  const draw = async (mine: number) => {
    // the counts per store and category are of the newest 1,000 under the filters; the table pages them all
    const [{ items, total }, kept] = await Promise.all([
      api<List<Anomaly>>(
        `/anomalies?limit=1000${common()}${param('severity', severity.value)}${param('verdict', verdict.value)}`,
      ),
      api<List<Note>>(`/anomalies/notes?limit=5${common()}`),
      anomalyTable.refresh(),
    ]);
    if (mine !== latest) return;
    const countBy = (key: 'store_location' | 'category') => {
      const m = new Map<string, number>();
      for (const a of items) m.set(a[key], (m.get(a[key]) ?? 0) + 1);
      return [...m].sort((a, b) => b[1] - a[1]);
    };
    const [byStore, byCategory] = [countBy('store_location'), countBy('category')];
    const newest = total > items.length ? ` (newest ${items.length.toLocaleString('en-US')})` : '';
    chart(
      counts.children[0] as HTMLElement,
      `Anomalies per store${newest}`,
      'anomalies-by-store',
      'bar',
      byStore.map((x) => x[0]),
      [{ label: 'anomalies', data: byStore.map((x) => x[1]) }],
    );
    chart(
      counts.children[1] as HTMLElement,
      `Anomalies per category${newest}`,
      'anomalies-by-category',
      'bar',
      byCategory.map((x) => x[0]),
      [{ label: 'anomalies', data: byCategory.map((x) => x[1]) }],
    );
    drawNotes(notes, kept);
    heading.textContent = `${total.toLocaleString('en-US')} anomalies`;
  };
  // a slow answer to an older request must not overwrite a newer one; aria-busy says when the list is current
  const refresh = async () => {
    const mine = ++latest;
    list.setAttribute('aria-busy', 'true');
    try {
      await draw(mine);
    } finally {
      if (mine === latest) list.setAttribute('aria-busy', 'false');
    }
  };
  const update = () =>
    void (setParams({ 'anomalies.page': null }), refresh()).catch((err: Error) =>
      list.prepend(el('p', { class: 'warning' }, `Could not load: ${err.message}`)),
    );
  for (const input of [detector, severity, verdict, product]) input.addEventListener('change', update);
  filters.onChange(update);
  // live updates wait while a reason is being typed (redrawing the table would throw it away)
  on(
    'anomaly',
    throttle(() => {
      if (!list.querySelector('[data-reason-form]')) update();
    }, 3000),
  );
  return refresh;
}
