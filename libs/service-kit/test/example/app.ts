/**
 * A tiny service in the shape every stockpulse service has (config schema → buildApp(deps, config) → main):
 * POST /api/readings stores a stock reading and publishes it as an inventory event through the outbox; a
 * consumer of that topic counts events per store exactly once (inbox); GET /api/counts lists the counts.
 */
import { message } from '@stockpulse/contracts';
import {
  consume,
  createInbox,
  createOutbox,
  createServiceApp,
  relayOutbox,
  type Migration,
  type ServiceApp,
  type ServiceDeps,
} from '@stockpulse/service-kit';
import Type from 'typebox';
import type { ExampleConfig } from './config.js';

export const migrations: Migration[] = [
  {
    id: 1,
    name: 'readings and counts',
    up: `CREATE TABLE readings (id INTEGER PRIMARY KEY, product_id TEXT NOT NULL, store_location TEXT NOT NULL,
           quantity INTEGER NOT NULL);
         CREATE TABLE counts (store_location TEXT PRIMARY KEY, events INTEGER NOT NULL) WITHOUT ROWID;`,
  },
];

const Reading = Type.Object(
  {
    product_id: Type.String({ minLength: 1, maxLength: 64 }),
    store_location: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export async function buildApp(deps: ServiceDeps, _config: ExampleConfig): Promise<ServiceApp> {
  const db = deps.db!;
  const app = await createServiceApp(deps, { name: 'example' });
  const inbox = createInbox(db);
  const outbox = createOutbox(db);
  const insertReading = db.prepare(
    'INSERT INTO readings (product_id, store_location, quantity) VALUES (?, ?, ?)',
  );
  const countEvent = db.prepare(
    'INSERT INTO counts (store_location, events) VALUES (?, 1) ON CONFLICT DO UPDATE SET events = events + 1',
  );

  app.post('/api/readings', { schema: { body: Reading } }, async (request, reply) => {
    const { product_id, store_location, quantity } = request.body;
    const now = new Date().toISOString();
    db.transaction(() => {
      const id = insertReading.run(product_id, store_location, quantity).lastInsertRowid;
      const event = {
        event_id: `reading-${id}`,
        product_id,
        store_location,
        category: 'Example',
        quantity,
        price: 1,
      };
      outbox.enqueue([
        message(
          'stockpulse.inventory-events',
          { ...event, event_timestamp: now, received_at: now, source: 'api' },
          { producer: 'example' },
        ),
      ]);
    })();
    return reply.status(202).send({ accepted: 1 });
  });

  app.get('/api/counts', async () => {
    const items = db.prepare('SELECT store_location, events FROM counts ORDER BY store_location').all();
    return { items, total: items.length };
  });

  consume(
    app,
    deps,
    'stockpulse.inventory-events',
    { subscription: 'example', type: 'key_shared' },
    (delivery) => {
      inbox.handleOnce(delivery, () => countEvent.run(delivery.envelope.payload.store_location));
    },
  );
  relayOutbox(app, deps, db, outbox, { pollMs: 200 });
  return app;
}
