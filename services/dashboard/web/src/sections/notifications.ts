import { api, on, postJson, throttle, type List } from '../api.js';
import { el, fmt, table } from '../dom.js';

type Notification = Record<string, unknown> & { id: string; status: string; severity: string; title: string };

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
  root.replaceChildren(el('h2', {}, 'Notifications'), el('label', {}, 'Status ', status), list, detail);

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
      el('p', { class: 'explain' }, explained.explanation),
      el('h4', {}, 'History'),
      table(
        'notification-history',
        ['at', 'change', 'status', 'actor', 'note'].map((key) => ({ key, label: key })),
        n.history,
      ),
    );
  };
  const refresh = async () => {
    const { items, total } = await api<List<Notification>>(
      `/notifications?limit=200${status.value ? `&status=${status.value}` : ''}`,
    );
    list.replaceChildren(
      el('h3', {}, `${total} notifications`),
      table(
        'notifications',
        [
          { key: 'last_seen', label: 'last seen' },
          {
            key: 'severity',
            label: 'severity',
            render: (n) => el('span', { class: `sev-${n.severity}` }, n.severity),
          },
          { key: 'status', label: 'status' },
          { key: 'title', label: 'title' },
          { key: 'count', label: 'count' },
          {
            key: 'actions',
            label: '',
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
        items,
        (n) => void show(n.id),
      ),
    );
  };
  status.addEventListener('change', () => void refresh());
  on(
    'notification',
    throttle(() => void refresh(), 1000),
  );
  return refresh;
}
