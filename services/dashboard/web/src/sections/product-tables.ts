import { dataTable } from '../data-table.js';
import { severityColumn } from '../table-view.js';
import { fmt } from '../dom.js';
import { verdictCell } from './anomaly-review.js';
import { enc, named, type Anomaly, type Event, type Notification } from './product-model.js';

/** The product's anomalies (with verdicts), the notifications naming it, and its latest events: paged tables. */
export function productTables() {
  const anomalyTable = dataTable<Anomaly>({
    name: 'product-anomalies',
    source: () => {
      const n = named();
      return `/anomalies?store=${enc(n.store)}&product=${enc(n.product)}`;
    },
    search: true,
    columns: [
      { key: 'event_timestamp', label: 'when' },
      severityColumn(),
      { key: 'detector', label: 'detector' },
      { key: 'type', label: 'type' },
      { key: 'score', label: 'score', render: (a) => fmt(a.score, 2) },
      { key: 'explanation', label: 'explanation' },
      { key: 'verdict', label: 'verdict', render: verdictCell },
    ],
  });
  // a digest names several products (`products`); the notifier's `product` filter finds it by any of them
  const notificationTable = dataTable<Notification>({
    name: 'product-notifications',
    source: () => {
      const n = named();
      return `/notifications?store=${enc(n.store)}&product=${enc(n.product)}`;
    },
    search: true,
    columns: [
      { key: 'last_seen', label: 'last seen' },
      severityColumn(),
      { key: 'status', label: 'status' },
      { key: 'type', label: 'type' },
      { key: 'title', label: 'title' },
      { key: 'message', label: 'message', sortable: false },
      {
        key: 'product_id',
        label: 'products',
        render: (x) => x.product_id ?? (x.products ?? []).join(', '),
      },
      { key: 'count', label: 'count' },
    ],
  });
  const eventTable = dataTable<Event>({
    name: 'product-events',
    source: () => {
      const n = named();
      return `/events?store=${enc(n.store)}&product=${enc(n.product)}`;
    },
    search: true,
    columns: [
      { key: 'event_timestamp', label: 'event time' },
      { key: 'quantity', label: 'quantity' },
      { key: 'units_sold', label: 'sold' },
      { key: 'units_received', label: 'received' },
      { key: 'price', label: 'price', render: (e) => fmt(e.price, 2) },
      { key: 'description', label: 'description' },
      { key: 'source', label: 'source' },
      { key: 'received_at', label: 'received at' },
    ],
  });
  return { anomalyTable, notificationTable, eventTable };
}
