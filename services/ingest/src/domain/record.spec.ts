import { describe, expect, it } from '@jest/globals';
import { checkRecord } from './record.js';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const original = {
  product_id: 'P003',
  quantity: 42,
  price: 123.45,
  event_timestamp: '2025-05-28T15:04:05Z',
  store_location: 'NYC',
  category: 'Books',
};

describe('checkRecord', () => {
  it("accepts the original system's six-field record as it is, deriving its event id", () => {
    const result = checkRecord(original, { now: NOW });
    expect(result).toEqual({
      ok: true,
      record: {
        ...original,
        event_timestamp: '2025-05-28T15:04:05.000Z',
        event_id: expect.stringMatching(/^ev-[0-9a-f]{32}$/),
      },
    });
  });

  it('derives the same id for the same content in another notation, and another id for other content', () => {
    const a = checkRecord(original, { now: NOW });
    const b = checkRecord({ ...original, event_timestamp: '2025-05-28 17:04:05+02:00' }, { now: NOW });
    const c = checkRecord({ ...original, quantity: 43 }, { now: NOW });
    expect(a.ok && b.ok && a.record.event_id === b.record.event_id).toBe(true);
    expect(a.ok && c.ok && a.record.event_id !== c.record.event_id).toBe(true);
  });

  it.each([
    ['2025-05-28', '2025-05-28T00:00:00.000Z'],
    ['2025-05-28T15:04', '2025-05-28T15:04:00.000Z'],
    ['2025-05-28T15:04:05.5-0130', '2025-05-28T16:34:05.500Z'],
    ['2025-05-28 15:04:05', '2025-05-28T15:04:05.000Z'],
  ])('reads the timestamp %s as %s', (given, utc) => {
    const result = checkRecord({ ...original, event_timestamp: given }, { now: NOW });
    expect(result.ok && result.record.event_timestamp).toBe(utc);
  });

  it('lists every bad field with a plain reason', () => {
    const result = checkRecord(
      {
        product_id: '',
        store_location: "NYC'; DROP TABLE events; --",
        category: 7,
        quantity: 1.5,
        units_sold: -2,
        price: '12',
        event_timestamp: '2025-02-30T10:00:00Z',
        colour: 'red',
      },
      { now: NOW },
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'colour', message: 'is not a known field' },
        { field: 'product_id', message: 'is required' },
        {
          field: 'store_location',
          message: expect.stringMatching(
            /^must start with a letter or digit and use only .* \(got "NYC'; DROP TABLE events; --"\)$/,
          ),
        },
        { field: 'category', message: 'must be text (got number 7)' },
        { field: 'quantity', message: 'must be a whole number (got 1.5)' },
        { field: 'units_sold', message: 'must be between 0 and 1000000000 (got -2)' },
        { field: 'price', message: 'must be a number (got "12")' },
        { field: 'event_timestamp', message: 'is not a real date and time (got "2025-02-30T10:00:00Z")' },
      ],
    });
  });

  it('requires quantity or units_sold, and accepts negative stock (flagged later as an anomaly)', () => {
    const { quantity: _q, ...noQuantity } = original;
    expect(checkRecord(noQuantity, { now: NOW })).toEqual({
      ok: false,
      errors: [{ field: 'quantity', message: 'is required unless units_sold is given' }],
    });
    expect(checkRecord({ ...noQuantity, units_sold: 3 }, { now: NOW }).ok).toBe(true);
    expect(checkRecord({ ...original, quantity: -4 }, { now: NOW }).ok).toBe(true);
  });

  it('refuses formulas, markup, numbers past 2^53, and timestamps far in the future', () => {
    const result = checkRecord(
      {
        ...original,
        product_id: "=cmd|' /C calc'!A0",
        category: '<script>alert(1)</script>',
        quantity: 2 ** 60,
        event_timestamp: '2025-06-03T00:00:00Z',
      },
      { now: NOW },
    );
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual([
      'product_id',
      'category',
      'quantity',
      'event_timestamp',
    ]);
  });

  it('converts CSV text cells to numbers, but only plain decimals', () => {
    const csv = { ...original, quantity: '42', price: '123.45' };
    expect(checkRecord(csv, { now: NOW, text: true })).toMatchObject({
      ok: true,
      record: { quantity: 42, price: 123.45 },
    });
    const bad = checkRecord({ ...csv, quantity: 'NaN', price: '1,5' }, { now: NOW, text: true });
    expect(bad).toEqual({
      ok: false,
      errors: [
        { field: 'quantity', message: 'must be a number (got "NaN")' },
        { field: 'price', message: 'must be a number (got "1,5")' },
      ],
    });
  });
});
