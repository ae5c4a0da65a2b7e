import { api, postJson, type List } from '../api.js';
import { el, table } from '../dom.js';

type Webhook = Record<string, unknown> & {
  id: string;
  url: string;
  source: string;
  min_severity: string;
  stores: string[];
  types: string[];
};
type Mute = Record<string, unknown> & {
  id: string;
  store_location: string | null;
  type: string | null;
  ends_at: string;
  reason: string;
  active: boolean;
};

const TYPES = ['', 'below_reorder_point', 'stockout_expected', 'price_spike', 'price_drop', 'stock_jump'];
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const send = async (method: 'PATCH' | 'DELETE', path: string, body?: unknown) =>
  api(path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

/**
 * Notification rules: each webhook's minimum severity and the stores and types it is sent (PATCH
 * /api/webhooks/:id), and mute windows (a store, a type or both; webhooks stay quiet while one holds).
 */
export function notificationRules(root: HTMLElement): () => Promise<void> {
  const hooks = el('div', { 'data-webhooks': '' });
  const mutes = el('div', { 'data-mutes': '' });
  const message = el('p', { role: 'status' });
  const store = el('input', { name: 'mute-store', placeholder: 'every store', maxlength: 64, size: 12 });
  const type = el(
    'select',
    { name: 'mute-type' },
    ...TYPES.map((t) => el('option', { value: t }, t || 'every type')),
  );
  const hours = el('input', { type: 'number', name: 'mute-hours', value: 2, min: 1, max: 2160 });
  const reason = el('input', { name: 'mute-reason', placeholder: 'reason', maxlength: 300, size: 16 });
  const form = el(
    'form',
    { class: 'inline', 'data-mute-form': '' },
    el('label', {}, 'Store ', store),
    el('label', {}, ' Type ', type),
    el('label', {}, ' for hours ', hours),
    el('label', {}, ' Reason ', reason),
    el('button', { type: 'submit' }, 'Mute webhooks'),
  );
  root.replaceChildren(
    el('h3', {}, 'Rules: webhooks and mute windows'),
    message,
    hooks,
    el('h4', {}, 'Mute windows'),
    form,
    mutes,
  );

  const attempt = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      message.textContent = done;
      await refresh();
    } catch (err) {
      message.textContent = `Refused: ${(err as Error).message}`;
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = {
      ...(store.value.trim() ? { store_location: store.value.trim() } : {}),
      ...(type.value ? { type: type.value } : {}),
      ends_at: new Date(Date.now() + Number(hours.value) * 3_600_000).toISOString(),
      reason: reason.value.trim(),
    };
    void attempt(() => postJson('/mutes', body), 'Muted.');
  });

  const refresh = async () => {
    const [webhooks, windows] = await Promise.all([
      api<List<Webhook>>('/webhooks'),
      api<List<Mute>>('/mutes'),
    ]);
    hooks.replaceChildren(
      el('h4', {}, 'Webhooks'),
      webhooks.items.length
        ? el('ul', {}, ...webhooks.items.map((w) => hookRow(w, attempt)))
        : el('p', {}, 'No webhooks: register one with POST /api/webhooks (or WEBHOOK_URLS).'),
    );
    mutes.replaceChildren(
      table(
        'mutes',
        [
          { key: 'store_location', label: 'store', render: (m: Mute) => m.store_location ?? 'every store' },
          { key: 'type', label: 'type', render: (m: Mute) => m.type ?? 'every type' },
          { key: 'ends_at', label: 'until' },
          { key: 'reason', label: 'reason' },
          { key: 'active', label: 'now', render: (m: Mute) => (m.active ? 'muting' : 'not yet / over') },
          {
            key: 'remove',
            label: '',
            render: (m: Mute) =>
              el(
                'button',
                {
                  type: 'button',
                  onclick: () => void attempt(() => send('DELETE', `/mutes/${m.id}`), 'Unmuted.'),
                },
                'Remove',
              ),
          },
        ],
        windows.items,
      ),
    );
  };
  return refresh;
}

/** One webhook with its rules, editable unless it comes from the environment. */
function hookRow(w: Webhook, attempt: (what: () => Promise<unknown>, done: string) => Promise<void>) {
  const fixed = w.source === 'environment';
  const severity = el(
    'select',
    { 'aria-label': `minimum severity of ${w.url}`, disabled: fixed },
    ...['info', 'warning', 'critical'].map((s) =>
      el('option', { value: s, ...(s === w.min_severity ? { selected: true } : {}) }, s),
    ),
  );
  const stores = el('input', {
    value: w.stores.join(', '),
    placeholder: 'every store',
    'aria-label': `stores sent to ${w.url}`,
    disabled: fixed,
    size: 18,
  });
  const types = el('input', {
    value: w.types.join(', '),
    placeholder: 'every type',
    'aria-label': `types sent to ${w.url}`,
    disabled: fixed,
    size: 18,
  });
  const save = el(
    'button',
    {
      type: 'button',
      disabled: fixed,
      onclick: () =>
        void attempt(
          () =>
            send('PATCH', `/webhooks/${w.id}`, {
              min_severity: severity.value,
              stores: list(stores.value),
              types: list(types.value),
            }),
          'Webhook rules saved.',
        ),
    },
    'Save',
  );
  return el(
    'li',
    { 'data-webhook': w.id },
    `${w.url} (${w.source}) — at least `,
    severity,
    ' · stores ',
    stores,
    ' · types ',
    types,
    ' ',
    save,
  );
}
