import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EmbeddedBus, type MessageBus } from '@stockpulse/bus';
import { message, type Envelope } from '@stockpulse/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDatabase, type SqliteDatabase } from './database.js';
import { createOutbox, OutboxRelay } from './outbox.js';
import { eventually } from './testing.js';

const anEvent = (n: number) =>
  message(
    'stockpulse.inventory-events',
    {
      event_id: `e-${n}`,
      product_id: 'P1',
      store_location: 'NYC',
      category: 'Books',
      quantity: n,
      price: 1,
      event_timestamp: '2025-01-01T00:00:00.000Z',
      received_at: '2025-01-01T00:00:00.000Z',
      source: 'api',
    },
    { producer: 'test' },
  );

describe('outbox relay', () => {
  let dir: string;
  let bus: EmbeddedBus;
  let db: SqliteDatabase;
  let received: Envelope<'stockpulse.inventory-events'>[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockpulse-outbox-'));
    bus = new EmbeddedBus({ path: join(dir, 'bus.db'), pollMs: 5 });
    db = openDatabase(':memory:');
    received = [];
    await bus.subscribe('stockpulse.inventory-events', { subscription: 'probe' }, (d) => {
      received.push(d.envelope);
    });
  });
  afterEach(async () => {
    await bus.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes what was committed, in order, and nothing of a rolled-back transaction', async () => {
    const outbox = createOutbox(db);
    const relay = new OutboxRelay(db, outbox, bus, pino({ level: 'silent' }));
    relay.start();
    db.transaction(() => outbox.enqueue([anEvent(1), anEvent(2)]))();
    expect(() =>
      db.transaction(() => {
        outbox.enqueue([anEvent(3)]);
        throw new Error('the state change failed');
      })(),
    ).toThrow('the state change failed');
    db.transaction(() => outbox.enqueue([anEvent(4)]))();
    await eventually(
      () => received.length,
      (n) => n >= 3,
      'three messages',
    );
    await relay.stop();
    expect(received.map((e) => e.payload.quantity)).toEqual([1, 2, 4]);
    expect(relay.pending()).toBe(0);
  });

  it('keeps messages while the bus is down and publishes them once it is back', async () => {
    let failures = 2;
    const flaky: MessageBus = Object.assign(Object.create(bus) as MessageBus, {
      publishMany: (messages: Parameters<MessageBus['publishMany']>[0]) =>
        failures-- > 0 ? Promise.reject(new Error('broker unreachable')) : bus.publishMany(messages),
    });
    const outbox = createOutbox(db);
    const relay = new OutboxRelay(db, outbox, flaky, pino({ level: 'silent' }));
    db.transaction(() => outbox.enqueue([anEvent(1), anEvent(2)]))();
    relay.start();
    await eventually(
      () => received.length,
      (n) => n >= 2,
      'both messages after two failures',
    );
    await relay.stop();
    expect(received.map((e) => e.payload.quantity)).toEqual([1, 2]);
    expect(failures).toBe(-1);
  });

  it('publishes rows left by a previous process when it starts', async () => {
    const outbox = createOutbox(db);
    db.transaction(() => outbox.enqueue([anEvent(7)]))();
    const relay = new OutboxRelay(db, createOutbox(db), bus, pino({ level: 'silent' }), { pollMs: 50 });
    relay.start();
    await eventually(
      () => received.length,
      (n) => n >= 1,
      'the leftover message',
    );
    await relay.stop();
    expect(received[0]!.payload.quantity).toBe(7);
  });
});
