import { api, on, postJson, throttle } from '../api.js';
import { dataTable } from '../data-table.js';
import { severityColumn } from '../table-view.js';
import { el, fmt, table } from '../dom.js';
import { productHref, setParams } from '../url-state.js';
import { notificationRules } from './notification-rules.js';

type Notification = Record<string, unknown> & {
  id: string;
  status: string;
  severity: string;
  title: string;
  store_location: string;
  product_id?: string;
  products?: string[];
};

/** The live list; acknowledge, resolve, snooze; a notification's history and explanation. */
export function notifications(root: HTMLElement): () => Promise<void> {
  const status = el(
    'select',
    { name: 'status' },
    ...['open', 'acknowledged', 'snoozed', 'resolved', ''].map((s) =>
      el('option', { value: s }, s || 'any status'),
    ),
  );
  const list = el('div', { class: 'panel' });
  const detail = el('div', { class: 'panel', 'data-detail': '' });
  const rules = el('div', { class: 'panel', 'data-rules': '' });
  root.replaceChildren(
    el('h2', {}, 'Notifications'),
    el('label', {}, 'Status ', status),
    list,
    detail,
    rules,
  );
  const refreshRules = notificationRules(rules);

  const act = async (n: Notification, action: 'ack' | 'resolve' | 'snooze') => {
    try {
      const body =
        action === 'snooze'
          ? { until: new Date(Date.now() + 3_600_000).toISOString(), by: 'dashboard' }
          : { by: 'dashboard' };
      await postJson(`/notifications/${n.id}/${action}`, body);
      await refresh();
      await show(n.id);
    } catch (err) {
      detail.prepend(el('p', { class: 'warning' }, (err as Error).message));
    }
  };
  const show = async (id: string) => {
    const [n, explained] = await Promise.all([
      api<Notification & { history: Record<string, unknown>[] }>(`/notifications/${id}`),
      api<{ explanation: string }>(`/notifications/${id}/explain`),
    ]);
    detail.replaceChildren(
      el('h3', {}, n.title),
      el(
        'p',
        { 'data-status': n.status },
        `Status: ${n.status} · severity ${n.severity} · seen ${fmt(n.count)} times`,
      ),
      el('p', {}, String(n.message)),
      products(n),
      el('p', { class: 'explain' }, explained.explanation),
      el('h4', {}, 'History'),
      table(
        'notification-history',
        ['at', 'change', 'status', 'actor', 'note'].map((key) => ({ key, label: key })),
        n.history,
      ),
    );
  };
  const notificationTable = dataTable<Notification>({
    name: 'notifications',
    source: () => `/notifications?${status.value ? `status=${status.value}` : ''}`,
    search: true,
    onRow: (n) => void show(n.id),
    columns: [
      { key: 'last_seen', label: 'last seen' },
      severityColumn(),
      { key: 'status', label: 'status' },
      { key: 'title', label: 'title' },
      { key: 'store_location', label: 'store' },
      { key: 'count', label: 'count' },
      {
        key: 'actions',
        label: 'actions',
        sortable: false,
        render: (n) =>
          el(
            'span',
            { class: 'actions' },
            el(
              'button',
              {
                type: 'button',
                'data-action': 'ack',
                onclick: (e) => (e.stopPropagation(), void act(n, 'ack')),
              },
              'Acknowledge',
            ),
            el(
              'button',
              {
                type: 'button',
                'data-action': 'resolve',
                onclick: (e) => (e.stopPropagation(), void act(n, 'resolve')),
              },
              'Resolve',
            ),
            el(
              'button',
              {
                type: 'button',
                'data-action': 'snooze',
                onclick: (e) => (e.stopPropagation(), void act(n, 'snooze')),
              },
              'Snooze 1 h',
            ),
          ),
      },
    ],
  });
  list.append(notificationTable.root);
  const refresh = async () => {
    await Promise.all([notificationTable.refresh(), refreshRules()]);
  };
  status.addEventListener('change', () => {
    setParams({ 'notifications.page': null });
    void refresh();
  });
  on(
    'notification',
    throttle(() => void notificationTable.refresh(), 1000),
  );
  return refresh;
}

/** The products a notification names (one, or a digest's list), each a link to its page. */
function products(n: Notification) {
  const names = n.products?.length ? n.products : n.product_id ? [n.product_id] : [];
  if (!names.length) return '';
  return el(
    'p',
    { 'data-products': names.length },
    `Product${names.length > 1 ? `s (${names.length})` : ''}: `,
    ...names.flatMap((p, i) => [i ? ', ' : '', el('a', { href: productHref(n.store_location, p) }, p)]),
  );
}
