/**
 * The behaviour every MessageBus adapter must have, run against each of them (bus.embedded.int.spec.ts,
 * bus.pulsar.int.spec.ts). Anything one adapter does that another would not is a bug in one of them.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ContractViolation, deadLetterTopic } from '@stockpulse/contracts';
import type { Delivery, MessageBus, SubscribeOptions, Subscription } from '../src/index.js';
import { ConsumerProcess, messages, sleep, testMessage, uniqueName, waitFor } from './helpers.js';

export interface BusHarness {
  readonly name: string;
  /** Opens one more client of the same bus, as another process would. */
  open(): Promise<MessageBus>;
  /** Publishes bytes as they are, without validation, as a broken producer would. */
  publishRaw(topic: string, body: string, key: string): Promise<void>;
  /** Environment for fixtures/consumer-process.ts to reach the same bus. */
  childEnv: Record<string, string>;
  /** Only where the adapter enforces retention itself (Pulsar leaves it to the namespace policy in infra/). */
  retention?: {
    open(retentionMs: number): Promise<MessageBus>;
    prune(): Promise<unknown>;
    stored(topic: string): number;
  };
  close(): Promise<void>;
}

const FAST_RETRY = { maxAttempts: 3, backoffBaseMs: 100, backoffMaxMs: 1000 };
const n = (d: Delivery) => (d.envelope.payload as { n: number }).n;

export function busContractSuite(makeHarness: () => Promise<BusHarness>): void {
  let harness: BusHarness;
  let bus: MessageBus;
  let topic: string;
  const subscriptions: Subscription[] = [];
  const children: ConsumerProcess[] = [];

  beforeEach(async () => {
    harness = await makeHarness();
    bus = await harness.open();
    topic = uniqueName('test.orders');
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill()));
    await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    await bus.close();
    await harness.close();
  });

  async function collect(
    on: MessageBus,
    options: SubscribeOptions,
    behaviour: (d: Delivery) => Promise<void> | void = () => {},
    name = topic,
  ) {
    const deliveries: Delivery[] = [];
    const sub = await on.subscribe(name, { retry: FAST_RETRY, ...options }, async (d) => {
      deliveries.push(d);
      await behaviour(d);
    });
    subscriptions.push(sub);
    return { deliveries, sub };
  }

  const child = (env: Record<string, string>) => {
    const c = new ConsumerProcess({ ...harness.childEnv, TEST_TOPIC: topic, ...env });
    children.push(c);
    return c.started();
  };

  describe('delivery', () => {
    it('delivers every message once, in publish order, with its envelope and key', async () => {
      const sent = messages(topic, 50);
      await bus.publishMany(sent);
      const { deliveries } = await collect(bus, { subscription: 'orders', type: 'exclusive' });
      await waitFor(() => deliveries.length >= 50, '50 deliveries');
      await sleep(100);
      expect(deliveries.map(n)).toEqual(sent.map((_, i) => i));
      expect(deliveries.map((d) => d.envelope)).toEqual(sent.map((m) => m.envelope));
      expect(deliveries.map((d) => d.key)).toEqual(sent.map((m) => m.key));
      expect(new Set(deliveries.map((d) => d.attempt))).toEqual(new Set([1]));
    });

    it('starts a new subscription after the latest message when asked, and at the first one by default', async () => {
      await bus.publishMany(messages(topic, 3));
      const latest = await collect(bus, { subscription: 'late', initialPosition: 'latest' });
      const earliest = await collect(bus, { subscription: 'early' });
      await bus.publishMany(messages(topic, 2, 3));
      await waitFor(
        () => latest.deliveries.length >= 2 && earliest.deliveries.length >= 5,
        'both subscriptions',
      );
      expect(latest.deliveries.map(n)).toEqual([3, 4]);
      expect(earliest.deliveries.map(n)).toEqual([0, 1, 2, 3, 4]);
    });

    it('gives every subscription of a topic every message', async () => {
      const a = await collect(bus, { subscription: 'a' });
      const b = await collect(bus, { subscription: 'b', type: 'shared' });
      await bus.publishMany(messages(topic, 20));
      await waitFor(() => a.deliveries.length >= 20 && b.deliveries.length >= 20, 'fan-out');
      await sleep(100);
      const all = [...Array(20).keys()];
      expect(a.deliveries.map(n)).toEqual(all);
      expect(b.deliveries.map(n).sort((x, y) => x - y)).toEqual(all);
    });

    it('keeps the position of a durable subscription when its consumer leaves and another comes', async () => {
      await bus.publishMany(messages(topic, 10));
      const first = await collect(bus, { subscription: 'durable' });
      await waitFor(() => first.deliveries.length >= 10, 'the first 10');
      await first.sub.close();
      await bus.publishMany(messages(topic, 5, 10));
      const other = await harness.open();
      try {
        const second = await collect(other, { subscription: 'durable' });
        await waitFor(() => second.deliveries.length >= 5, 'the next 5');
        await sleep(200);
        expect(second.deliveries.map(n)).toEqual([10, 11, 12, 13, 14]);
      } finally {
        await Promise.all(subscriptions.splice(0).map((s) => s.close()));
        await other.close();
      }
    });

    it('finishes the message in hand when closed, and acknowledges it', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const { deliveries, sub } = await collect(bus, { subscription: 'slow' }, () => gate);
      await bus.publishMany(messages(topic, 3));
      await waitFor(() => deliveries.length === 1, 'the first delivery');
      const closed = sub.close();
      release();
      await closed;
      const again = await collect(bus, { subscription: 'slow' });
      await waitFor(() => again.deliveries.length >= 2, 'the rest');
      await sleep(200);
      expect(again.deliveries.map(n)).toEqual([1, 2]);
    });
  });

  describe('batches', () => {
    it('hands messages over a batch at a time, in order, and acknowledges them together', async () => {
      const batches: number[][] = [];
      const sub = await bus.subscribeBatch(topic, { subscription: 'batched' }, (ds) => {
        batches.push(ds.map((d) => (d.envelope.payload as { n: number }).n));
      });
      subscriptions.push(sub);
      await bus.publishMany(messages(topic, 50));
      await waitFor(() => batches.flat().length >= 50, '50 in batches');
      await sub.close();
      expect(batches.flat()).toEqual([...Array(50).keys()]);
      const again = await collect(bus, { subscription: 'batched' });
      await sleep(200);
      expect(again.deliveries).toEqual([]);
    });

    it('hands each message of a failed batch over again alone, so only the one at fault is retried', async () => {
      const succeeded: number[] = [];
      const sub = await bus.subscribeBatch(
        topic as never,
        { subscription: 'batched', retry: FAST_RETRY },
        (ds) => {
          const ns = ds.map((d) => (d.envelope.payload as { n: number }).n);
          if (ds.some((d) => (d.envelope.payload as { n: number }).n === 3 && d.attempt === 1))
            throw new Error('3 fails once');
          succeeded.push(...ns);
        },
      );
      subscriptions.push(sub);
      await bus.publishMany(messages(topic, 10));
      await waitFor(() => succeeded.length >= 10, 'all 10 handled');
      await sleep(200);
      expect([...succeeded].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    });
  });

  describe('contracts', () => {
    const events = 'stockpulse.inventory-events';
    const event = {
      event_id: 'e-1',
      product_id: 'P001',
      store_location: 'NYC',
      category: 'Books',
      quantity: 4,
      price: 9.5,
      event_timestamp: '2025-05-28T15:04:05.000Z',
      received_at: '2025-05-28T15:04:06.000Z',
      source: 'api' as const,
    };

    it('refuses an invalid payload on publish, naming the field, and publishes nothing', async () => {
      const sub = `contract-${uniqueName('s')}`;
      const { deliveries } = await collect(
        bus,
        { subscription: sub, initialPosition: 'latest' },
        () => {},
        events,
      );
      await expect(
        bus.publish(events, { ...event, quantity: 'many' } as never, { producer: 'test' }),
      ).rejects.toThrow(ContractViolation);
      await expect(
        bus.publish(events, { ...event, quantity: 'many' } as never, { producer: 'test' }),
      ).rejects.toThrow('/payload/quantity');
      const sent = await bus.publish(events, event, { producer: 'test' });
      await waitFor(() => deliveries.length >= 1, 'the valid event');
      await sleep(200);
      expect(deliveries.map((d) => d.envelope.id)).toEqual([sent.id]);
    });

    it('dead-letters an invalid consumed message at once, with the validation error, and goes on', async () => {
      const sub = `contract-${uniqueName('s')}`;
      const { deliveries } = await collect(
        bus,
        { subscription: sub, initialPosition: 'latest' },
        () => {},
        events,
      );
      const dead = await collect(bus, { subscription: 'inspect' }, () => {}, deadLetterTopic(events, sub));
      const bad = testMessage(events, 0).envelope;
      await harness.publishRaw(events, JSON.stringify({ ...bad, type: 'inventory-event' }), 'NYC/P001');
      const good = await bus.publish(events, event, { producer: 'test' });
      await waitFor(
        () => deliveries.length >= 1 && dead.deliveries.length >= 1,
        'the good event and the dead letter',
      );
      expect(deliveries.map((d) => d.envelope.id)).toEqual([good.id]);
      expect(dead.deliveries[0]!.envelope.id).toBe(bad.id);
      expect(dead.deliveries[0]!.properties).toMatchObject({
        dead_letter_attempts: '1',
        dead_letter_origin_topic: events,
        dead_letter_subscription: sub,
      });
      expect(dead.deliveries[0]!.properties.dead_letter_error).toMatch(
        /^invalid message: .*\/payload .*event_id/,
      );
    });
  });

  describe('failures', () => {
    it('redelivers a message whose handler throws, with exponential backoff, until it succeeds', async () => {
      const times: number[] = [];
      const { deliveries } = await collect(bus, { subscription: 'flaky', type: 'shared' }, (d) => {
        times.push(Date.now());
        if (d.attempt < 3) throw new Error(`attempt ${d.attempt} failed`);
      });
      await bus.publishMany([testMessage(topic, 1)]);
      await waitFor(() => deliveries.length >= 3, 'three attempts');
      await sleep(300);
      expect(deliveries.map((d) => d.attempt)).toEqual([1, 2, 3]);
      const [t0, t1, t2] = times as [number, number, number];
      // base 100 ms ±10 %, then 200 ms ±10 %: never sooner
      expect(t1 - t0).toBeGreaterThanOrEqual(85);
      expect(t2 - t1).toBeGreaterThanOrEqual(175);
    });

    it('moves a message to <topic>.<subscription>.dlq with its last error after maxAttempts', async () => {
      const { deliveries } = await collect(bus, { subscription: 'doomed', type: 'shared' }, (d) => {
        throw new Error(`boom ${d.attempt}`);
      });
      const dead = await collect(
        bus,
        { subscription: 'inspect' },
        () => {},
        deadLetterTopic(topic, 'doomed'),
      );
      const sent = testMessage(topic, 1);
      await bus.publishMany([sent]);
      await waitFor(() => dead.deliveries.length >= 1, 'the dead letter');
      await sleep(300);
      expect(deliveries.map((d) => d.attempt)).toEqual([1, 2, 3]);
      expect(dead.deliveries).toHaveLength(1);
      expect(dead.deliveries[0]!.envelope).toEqual(sent.envelope);
      expect(dead.deliveries[0]!.properties).toMatchObject({
        dead_letter_error: 'Error: boom 3',
        dead_letter_attempts: '3',
        dead_letter_origin_topic: topic,
        dead_letter_subscription: 'doomed',
      });
    });

    it('keeps the pipeline flowing past a poison message', async () => {
      const { deliveries } = await collect(bus, { subscription: 'main', type: 'key_shared' }, (d) => {
        if (n(d) === 7) throw new Error('poison');
      });
      const dead = await collect(bus, { subscription: 'inspect' }, () => {}, deadLetterTopic(topic, 'main'));
      await bus.publishMany(messages(topic, 20));
      await waitFor(() => dead.deliveries.length >= 1, 'the poison in the dead-letter topic');
      const succeeded = deliveries.filter((d) => n(d) !== 7).map(n);
      expect(new Set(succeeded)).toEqual(new Set([...Array(20).keys()].filter((i) => i !== 7)));
      expect(succeeded).toHaveLength(19);
      expect(dead.deliveries.map(n)).toEqual([7]);
    });
  });

  describe('processes', () => {
    it('redelivers what a consumer process had not acknowledged when it was killed (SIGKILL)', async () => {
      await bus.publishMany(messages(topic, 300));
      // the first consumer handles 0..99 and is killed while message 100 is in its hands
      const first = await child({ TEST_SUB_TYPE: 'shared', TEST_HANG_ON: '100' });
      await waitFor(() => first.handled.length >= 100, 'the first consumer to handle 100');
      await sleep(100);
      await first.kill('SIGKILL');
      const second = await child({ TEST_SUB_TYPE: 'shared' });
      const seen = () => new Set([...first.handled, ...second.handled].map((h) => h.n));
      await waitFor(() => seen().size === 300, 'all 300 handled by one or the other');
      expect(first.handled.every((h) => h.attempt === 1)).toBe(true);
      // the message in hand comes again, counted as a second delivery; so does whatever was handled but
      // not yet acknowledged
      expect(second.handled.find((h) => h.n === 100)?.attempt).toBeGreaterThanOrEqual(2);
      const handledByFirst = new Set(first.handled.map((h) => h.n));
      expect(second.handled.filter((h) => handledByFirst.has(h.n)).every((h) => h.attempt >= 2)).toBe(true);
    });

    it('shares a subscription between two consumer processes, each message to one of them', async () => {
      const [a, b] = await Promise.all([
        child({ TEST_SUB_TYPE: 'shared', TEST_DELAY_MS: '1' }),
        child({ TEST_SUB_TYPE: 'shared', TEST_DELAY_MS: '1' }),
      ]);
      await sleep(500); // both have joined and divided the subscription
      await bus.publishMany(messages(topic, 400));
      await waitFor(() => a.handled.length + b.handled.length >= 400, '400 handled');
      await sleep(300);
      const all = [...a.handled, ...b.handled].map((h) => h.n).sort((x, y) => x - y);
      expect(all).toEqual([...Array(400).keys()]);
      expect(a.handled.length).toBeGreaterThan(50);
      expect(b.handled.length).toBeGreaterThan(50);
    });

    it('keeps per-key order while two processes share a key_shared subscription', async () => {
      const [a, b] = await Promise.all([
        child({ TEST_SUB_TYPE: 'key_shared', TEST_DELAY_MS: '1' }),
        child({ TEST_SUB_TYPE: 'key_shared', TEST_DELAY_MS: '1' }),
      ]);
      await sleep(500);
      const sent = Array.from({ length: 400 }, (_, i) => testMessage(topic, i, `store-${i % 16}/P${i % 16}`));
      await bus.publishMany(sent);
      await waitFor(() => a.handled.length + b.handled.length >= 400, '400 handled');
      for (const c of [a, b]) {
        const byKey = new Map<string, number[]>();
        for (const h of c.handled) byKey.set(h.key, [...(byKey.get(h.key) ?? []), h.n]);
        for (const ns of byKey.values()) expect(ns).toEqual([...ns].sort((x, y) => x - y));
      }
      const keysA = new Set(a.handled.map((h) => h.key));
      expect(b.handled.some((h) => keysA.has(h.key))).toBe(false);
      expect(keysA.size).toBeGreaterThan(0);
      expect(b.handled.length).toBeGreaterThan(0);
    });

    it('refuses a second consumer on an exclusive subscription while the first is alive', async () => {
      await collect(bus, { subscription: 'solo', type: 'exclusive' });
      const other = await harness.open();
      try {
        await expect(
          other.subscribe(topic, { subscription: 'solo', type: 'exclusive' }, () => {}),
        ).rejects.toThrow();
      } finally {
        await other.close();
      }
    });

    it('dead-letters a message that kills its consumer process on every delivery', async () => {
      await bus.publishMany(messages(topic, 10));
      const dead = await collect(
        bus,
        { subscription: 'inspect' },
        () => {},
        deadLetterTopic(topic, 'contract'),
      );
      const handled = new Set<number>();
      for (let run = 0; run < 8 && !(dead.deliveries.length && handled.size === 9); run++) {
        const c = await child({ TEST_SUB_TYPE: 'shared', TEST_KILL_ON: '4', TEST_MAX_ATTEMPTS: '3' });
        await waitFor(
          () => !c.alive || (dead.deliveries.length > 0 && c.handled.length + handled.size >= 9),
          'death or the end',
        );
        c.handled.forEach((h) => handled.add(h.n));
        await c.kill();
      }
      expect(dead.deliveries.map(n)).toEqual([4]);
      // the embedded bus counts the deaths; on Pulsar the client's dead-letter policy moves it, without a count
      const attempts = dead.deliveries[0]!.properties.dead_letter_attempts;
      if (attempts !== undefined) expect(Number(attempts)).toBeGreaterThanOrEqual(3);
      expect(handled).toEqual(new Set([0, 1, 2, 3, 5, 6, 7, 8, 9]));
    });
  });

  describe('crashes', () => {
    /** Runs consumer processes one after another until `done` holds (each may die on its poison). */
    async function untilDone(env: Record<string, string>, done: (handled: Set<number>) => boolean) {
      const handled = new Set<number>();
      for (let run = 0; run < 10 && !done(handled); run++) {
        const c = await child({ TEST_SUB_TYPE: 'shared', ...env });
        const all = () => new Set([...handled, ...c.handled.map((h) => h.n)]);
        await waitFor(() => !c.alive || done(all()), 'a death or the end', 20_000);
        c.handled.forEach((h) => handled.add(h.n));
        await c.kill();
      }
      return handled;
    }

    it('dead-letters a message whose retry kills its consumer, instead of looping', async () => {
      await bus.publishMany(messages(topic, 10));
      const dead = await collect(
        bus,
        { subscription: 'inspect' },
        () => {},
        deadLetterTopic(topic, 'contract'),
      );
      const env = {
        TEST_FAIL_ON: '4',
        TEST_KILL_ON: '4',
        TEST_KILL_FROM_ATTEMPT: '2',
        TEST_MAX_ATTEMPTS: '3',
      };
      const handled = await untilDone(env, (h) => dead.deliveries.length > 0 && h.size >= 9);
      expect(dead.deliveries.map(n)).toEqual([4]);
      expect(handled).toEqual(new Set([0, 1, 2, 3, 5, 6, 7, 8, 9]));
    });

    it('dead-letters only the message that kills its consumer, even with maxAttempts 1', async () => {
      await bus.publishMany(messages(topic, 30));
      const dead = await collect(
        bus,
        { subscription: 'inspect' },
        () => {},
        deadLetterTopic(topic, 'contract'),
      );
      const env = { TEST_KILL_ON: '5', TEST_MAX_ATTEMPTS: '1' };
      const handled = await untilDone(env, (h) => dead.deliveries.length > 0 && h.size >= 29);
      await sleep(200);
      expect(dead.deliveries.map(n)).toEqual([5]);
      expect(handled.size).toBe(29);
    });

    it('keeps per-key order when a consumer joins a key_shared subscription while messages flow', async () => {
      const a = await child({ TEST_SUB_TYPE: 'key_shared', TEST_DELAY_MS: '1' });
      const keyOf = (i: number) => `store-${i % 8}/P${i % 8}`;
      const send = (from: number) =>
        bus.publishMany(Array.from({ length: 50 }, (_, i) => testMessage(topic, from + i, keyOf(from + i))));
      for (let i = 0; i < 200; i += 50) await send(i);
      const b = await child({ TEST_SUB_TYPE: 'key_shared', TEST_DELAY_MS: '1' });
      for (let i = 200; i < 600; i += 50) {
        await send(i);
        await sleep(50);
      }
      await waitFor(() => new Set([...a.handled, ...b.handled].map((h) => h.n)).size === 600, '600 handled');
      expect(b.handled.length).toBeGreaterThan(0);
      const byKey = new Map<string, { n: number; at: number }[]>();
      for (const h of [...a.handled, ...b.handled]) byKey.set(h.key, [...(byKey.get(h.key) ?? []), h]);
      for (const handled of byKey.values()) {
        const inTimeOrder = [...handled].sort((x, y) => x.at - y.at).map((h) => h.n);
        expect(inTimeOrder).toEqual([...inTimeOrder].sort((x, y) => x - y));
      }
    });
  });

  describe('retention', () => {
    it('prunes acknowledged messages after the retention time and keeps what someone still needs', async () => {
      if (!harness.retention) return;
      const retention = harness.retention;
      const short = await retention.open(50);
      try {
        // Given a subscription that acknowledges everything
        const fast = await collect(short, { subscription: 'fast' });
        await short.publishMany(messages(topic, 30));
        await waitFor(() => fast.deliveries.length >= 30, '30 acknowledged');
        await sleep(300); // past the retention time
        await retention.prune();
        expect(retention.stored(topic)).toBe(0);

        // When a second subscription, with no consumer now, has acknowledged nothing since it was made
        const idle = await short.subscribe(
          topic,
          { subscription: 'idle', initialPosition: 'latest' },
          () => {},
        );
        await idle.close();
        await short.publishMany(messages(topic, 5, 30));
        await waitFor(() => fast.deliveries.length >= 35, '5 more acknowledged by fast');
        await sleep(300);
        await retention.prune();
        // Then what 'idle' has not acknowledged stays, though 'fast' is done with it
        expect(retention.stored(topic)).toBe(5);
      } finally {
        await Promise.all(subscriptions.splice(0).map((s) => s.close()));
        await short.close();
      }
    });

    it('keeps a message waiting for a retry, and dead letters nobody has read', async () => {
      if (!harness.retention) return;
      const retention = harness.retention;
      const short = await retention.open(50);
      try {
        const retry = { maxAttempts: 2, backoffBaseMs: 60_000, backoffMaxMs: 60_000 };
        const failing = await short.subscribe(topic, { subscription: 'slow', retry }, (d) => {
          if (n(d) === 0) throw new Error('not yet');
        });
        const doomed = await short.subscribe(
          topic,
          { subscription: 'doomed', retry: { ...retry, maxAttempts: 1 } },
          () => {
            throw new Error('never');
          },
        );
        await short.publishMany(messages(topic, 2));
        await waitFor(() => retention.stored(deadLetterTopic(topic, 'doomed')) === 2, 'two dead letters');
        await sleep(300);
        await retention.prune();
        expect(retention.stored(topic)).toBe(1); // message 0 waits for its retry on 'slow'
        expect(retention.stored(deadLetterTopic(topic, 'doomed'))).toBe(2);
        await failing.close();
        await doomed.close();
      } finally {
        await short.close();
      }
    });
  });
}
