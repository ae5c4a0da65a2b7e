import type { SplitSpec } from '@stockpulse/service-kit';

const notification = (id: string) => `(SELECT n.store_location FROM old.notifications n WHERE n.id = ${id})`;
const change = (id: string) =>
  notification(`(SELECT c.notification_id FROM old.changes c WHERE c.id = ${id})`);

/**
 * The notifier's stores split again (`pnpm repartition`): a notification, its changes, deliveries and
 * attempts go with its store; webhooks and mutes (every replica sends to the same ones) go to every new replica.
 * Change ids stay unique (and the deliveries' references to them right) by an offset per old store.
 */
export const split: SplitSpec = {
  rules: {
    changes: { store: notification('t.notification_id'), offset: 'id' },
    webhooks: { everywhere: 'all' },
    mutes: { everywhere: 'all' },
    deliveries: { store: change('t.change_id'), refs: { change_id: 'changes' } },
    attempts: {
      store: change('(SELECT d.change_id FROM old.deliveries d WHERE d.id = t.delivery_id)'),
      offset: 'id',
    },
  },
};
