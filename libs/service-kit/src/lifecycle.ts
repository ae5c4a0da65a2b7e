import type { BatchHandler, Handler, SubscribeOptions, Subscription } from '@stockpulse/bus';
import { replicaSubscription, type Envelope, type TopicName } from '@stockpulse/contracts';
import type { SqliteDatabase } from './database.js';
import type { ServiceApp, ServiceDeps } from './http/create-app.js';
import { OutboxRelay, type Outbox, type RelayOptions } from './outbox.js';

/**
 * Subscribes when the app is ready and leaves on close (before the server stops: `preClose`), waiting for
 * the message in hand. A failing handler is logged here once per attempt; the bus retries it.
 */
export function consume<T extends TopicName>(
  app: ServiceApp,
  deps: Pick<ServiceDeps, 'bus' | 'partition'>,
  topic: T,
  options: SubscribeOptions,
  handler: Handler<Envelope<T>>,
): void {
  const logged: Handler<Envelope<T>> = (delivery) => {
    const fail = (err: unknown) => {
      app.log.warn(
        {
          err,
          topic,
          subscription: options.subscription,
          messageId: delivery.envelope.id,
          attempt: delivery.attempt,
        },
        'message handler failed',
      );
      throw err;
    };
    try {
      const result = handler(delivery);
      return result instanceof Promise ? result.catch(fail) : result;
    } catch (err) {
      return fail(err);
    }
  };
  keepSubscribed(app, () => deps.bus.subscribe(topic, owned(deps, options), logged));
}

/** Subscribes once the app is ready and leaves first thing on close, waiting for the message in hand. */
function keepSubscribed(app: ServiceApp, subscribe: () => Promise<Subscription>): void {
  let subscription: Subscription | undefined;
  app.addHook('onReady', async () => {
    subscription = await subscribe();
  });
  app.addHook('preClose', async () => {
    await subscription?.close();
  });
}

/** Like `consume`, a batch at a time (see the bus's BatchHandler): one transaction per batch, not per message. */
export function consumeBatch<T extends TopicName>(
  app: ServiceApp,
  deps: Pick<ServiceDeps, 'bus' | 'partition'>,
  topic: T,
  options: ReplicaOptions,
  handler: BatchHandler<Envelope<T>>,
): void {
  const logged: BatchHandler<Envelope<T>> = async (deliveries) => {
    try {
      await handler(deliveries);
    } catch (err) {
      const first = deliveries[0];
      app.log.warn(
        {
          err,
          topic,
          subscription: options.subscription,
          messages: deliveries.length,
          firstMessageId: first?.envelope.id,
        },
        deliveries.length > 1
          ? 'batch handler failed; each message goes again alone'
          : 'message handler failed',
      );
      throw err;
    }
  };
  keepSubscribed(app, () => deps.bus.subscribeBatch(topic, owned(deps, options), logged));
}

/**
 * Runs the outbox relay for the app's life. Register it after the consumers: on close it stops after them
 * and publishes what their last messages wrote.
 */
export function relayOutbox(
  app: ServiceApp,
  deps: Pick<ServiceDeps, 'bus' | 'log'>,
  db: SqliteDatabase,
  outbox: Outbox,
  options?: RelayOptions,
): OutboxRelay {
  const relay = new OutboxRelay(db, outbox, deps.bus, deps.log.child({ component: 'outbox' }), options);
  app.addHook('onReady', async () => relay.start());
  app.addHook('preClose', () => relay.stop());
  return relay;
}

/** How a replica of a partitioned service reads a topic. */
export interface ReplicaOptions extends SubscribeOptions {
  /**
   * `own` (default): its own partition alone (the bus refuses a second replica on it). `every`: every
   * partition, under a subscription of its own (`<subscription>-<replica>`, exclusive: a second replica of
   * the same index is refused) — for what a replica must learn from every store, not only its own.
   */
  partitions?: 'own' | 'every';
}

const owned = (deps: Pick<ServiceDeps, 'partition'>, options: ReplicaOptions): SubscribeOptions => {
  const { partitions, ...rest } = options;
  if (deps.partition === undefined) return rest;
  return partitions === 'every'
    ? { ...rest, subscription: replicaSubscription(rest.subscription, deps.partition), type: 'exclusive' }
    : { ...rest, partition: deps.partition };
};
