import { describe, expect, it } from '@jest/globals';
import { ContractViolation, decodeEnvelope, message } from '@stockpulse/contracts';

const anEvent = (overrides: Record<string, unknown> = {}) => ({
  event_id: 'e-1',
  product_id: 'P001',
  store_location: 'NYC',
  category: 'Books',
  quantity: 42,
  price: 12.5,
  event_timestamp: '2025-05-28T15:04:05.000Z',
  received_at: '2025-05-28T15:04:06.000Z',
  source: 'api' as const,
  ...overrides,
});

describe('message()', () => {
  it('wraps a valid payload in the envelope with its topic type, version and key', () => {
    const m = message('stockpulse.inventory-events', anEvent(), { producer: 'ingest' });
    expect(m.key).toBe('NYC/P001');
    expect(m.envelope).toMatchObject({
      type: 'inventory-event',
      version: 1,
      producer: 'ingest',
      causation_id: null,
    });
    expect(m.envelope.correlation_id).toBe(m.envelope.id);
  });

  it('rejects a payload that breaks the contract, naming each field', () => {
    const bad = anEvent({ quantity: 1.5, price: -1 });
    expect(() => message('stockpulse.inventory-events', bad as never, { producer: 'ingest' })).toThrow(
      ContractViolation,
    );
    try {
      message('stockpulse.inventory-events', bad as never, { producer: 'ingest' });
    } catch (err) {
      expect((err as ContractViolation).issues.map((i) => i.path)).toEqual([
        '/payload/quantity',
        '/payload/price',
      ]);
    }
  });
});

describe('decodeEnvelope()', () => {
  it('returns the envelope of a valid body', () => {
    const m = message('stockpulse.inventory-events', anEvent(), { producer: 'ingest' });
    const decoded = decodeEnvelope('stockpulse.inventory-events', JSON.stringify(m.envelope));
    expect(decoded).toEqual({ ok: true, envelope: m.envelope });
  });

  it('explains a body that is not JSON', () => {
    const decoded = decodeEnvelope('stockpulse.inventory-events', '{nope');
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.error).toMatch(/^body is not JSON/);
  });

  it('rejects an envelope of another topic type', () => {
    const m = message('stockpulse.inventory-events', anEvent(), { producer: 'ingest' });
    const decoded = decodeEnvelope('stockpulse.anomalies', JSON.stringify(m.envelope));
    expect(!decoded.ok && decoded.error).toBe(
      "stockpulse.anomalies: /type must be 'anomaly' on stockpulse.anomalies (got 'inventory-event')",
    );
  });

  it('accepts any payload on a topic outside the contract map (dead letters)', () => {
    const m = message('stockpulse.inventory-events', anEvent(), { producer: 'ingest' });
    const decoded = decodeEnvelope('stockpulse.inventory-events.processor.dlq', JSON.stringify(m.envelope));
    expect(decoded.ok).toBe(true);
  });
});
