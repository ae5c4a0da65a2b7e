import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Delivery } from '@stockpulse/bus';
import { deadLetterTopic } from '@stockpulse/contracts';
import { busesUnderTest, dayTotals, getJson, Platform, post, until } from '../support/platform.js';

interface DeadLetters {
  total: number;
  queues: { topic: string; origin_topic: string; subscription: string; depth: number }[];
}

const DLQ = deadLetterTopic('stockpulse.inventory-events', 'processor');
const START = Date.parse('2025-06-01T00:00:00Z');
const batch = (from: number) =>
  Array.from({ length: 100 }, (_, i) => ({
    product_id: `P${(from + i) % 10}`,
    store_location: `S${(from + i) % 4}`,
    category: 'Food',
    quantity: 100,
    units_sold: 1,
    price: 2,
    event_timestamp: new Date(START + (from + i) * 60_000).toISOString(),
  }));

/**
 * A poison message: a valid envelope from another producer whose event happened in a leap second, which
 * RFC 3339 (and so the contract) allows but JavaScript's Date cannot represent, so the processor refuses it
 * every time (before it did, its insert ignored the failed constraint and the event vanished). It must end in the processor's dead-letter topic after BUS_MAX_ATTEMPTS
 * deliveries while the events around it flow, show in the overview, and replay from there.
 */
describe.each(busesUnderTest())('poison messages: dead-lettered, visible, replayable (%s bus)', (bus) => {
  let p: Platform;
  beforeAll(async () => {
    p = await Platform.start(
      ['ingest', 'processor', 'gateway'],
      { BUS_MAX_ATTEMPTS: '3', BUS_RETRY_BASE_MS: '100', PROCESSOR_FLUSH_MS: '20' },
      bus,
    );
  }, 60_000);
  afterAll(() => p.stop());

  const counted = async () => (await dayTotals(p.url('processor'))).events;
  const deadLetters = () => getJson<DeadLetters>(`${p.gateway}/api/dlq`);

  it('dead-letters the poison after the configured attempts while the rest flows, then replays it', async () => {
    // a consumer of the dead-letter topic, to read why the message got there
    const dead: Delivery[] = [];
    await (await p.client()).subscribe(DLQ, { subscription: 'inspect' }, (d) => void dead.push(d));

    // Given 200 events, the poison, and 300 more
    for (const from of [0, 100])
      expect((await post(`${p.gateway}/api/events`, batch(from))).status).toBe(202);
    const poison = await (
      await p.client()
    ).publish(
      'stockpulse.inventory-events',
      {
        ...batch(0)[0]!,
        event_id: 'poison-1',
        event_timestamp: '2025-06-30T23:59:60Z',
        received_at: '2025-06-30T23:59:60Z',
        source: 'api',
      },
      { producer: 'foreign-producer' },
    );
    for (const from of [200, 300, 400])
      expect((await post(`${p.gateway}/api/events`, batch(from))).status).toBe(202);

    // Then every other event is counted, and the poison waits in the processor's dead-letter topic
    await until(counted, (n) => n >= 500, 'the 500 good events counted');
    await until(
      () => Promise.resolve(dead.length),
      (n) => n >= 1,
      'the dead letter',
    );
    expect(await counted()).toBe(500);
    expect(dead.map((d) => d.envelope.id)).toEqual([poison.id]);
    expect(dead[0]!.properties).toMatchObject({
      dead_letter_attempts: '3',
      dead_letter_origin_topic: 'stockpulse.inventory-events',
      dead_letter_subscription: 'processor',
    });
    expect(dead[0]!.properties.dead_letter_error).toMatch(
      /event_timestamp '2025-06-30T23:59:60Z'.*not a time the processor can place/,
    );

    // And the overview and GET /api/dlq show it against the processor's subscription
    const overview = await getJson<{ dead_letters: DeadLetters }>(`${p.gateway}/api/overview`);
    expect(overview.dead_letters.total).toBe(1);
    expect(overview.dead_letters.queues.find((q) => q.topic === DLQ)).toEqual({
      topic: DLQ,
      origin_topic: 'stockpulse.inventory-events',
      subscription: 'processor',
      depth: 1,
    });
    expect(await deadLetters()).toEqual(overview.dead_letters);

    // When it is replayed through the gateway
    const bad = await post(`${p.gateway}/api/dlq/..%2Fetc%2Fpasswd/replay`, {});
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/topic/);
    const unknown = await post(`${p.gateway}/api/dlq/stockpulse.nothing.dlq/replay`, {});
    expect(unknown.status).toBe(404);
    const replay = await post(`${p.gateway}/api/dlq/${DLQ}/replay`, { limit: 10 });
    expect(replay).toEqual({ status: 200, body: { topic: DLQ, replayed: 1, remaining: 0 } });

    // Then the processor gets it again (the same envelope), fails on it as many times, and it is back in the
    // dead-letter topic saying it was replayed; nothing else was counted twice
    await until(
      () => Promise.resolve(dead.length),
      (n) => n >= 2,
      'the replayed poison dead-lettered again',
    );
    expect(dead[1]!.envelope).toEqual(dead[0]!.envelope);
    expect(dead[1]!.properties).toMatchObject({ dead_letter_attempts: '3', replayed_from: DLQ });
    expect((await deadLetters()).total).toBe(1);
    for (const from of [500]) expect((await post(`${p.gateway}/api/events`, batch(from))).status).toBe(202);
    await until(counted, (n) => n >= 600, 'the next 100 counted');
    expect(await counted()).toBe(600);
  }, 90_000);
});
