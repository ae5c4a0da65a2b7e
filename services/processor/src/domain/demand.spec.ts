import { describe, expect, it } from '@jest/globals';
import { attribute } from './demand.js';

const none = { demand: 0, receipts: 0 };
const report = (
  quantity: number | null,
  units_sold: number | null = null,
  units_received: number | null = null,
) => ({
  quantity,
  units_sold,
  units_received,
});

describe('attribute', () => {
  it('reads a decrease in stock as demand', () => {
    expect(attribute(report(7), { quantity: 10 }, none)).toEqual({ demand: 3, receipts: 0 });
  });

  it('reads an increase as a receipt, never as negative demand', () => {
    expect(attribute(report(25), { quantity: 10 }, none)).toEqual({ demand: 0, receipts: 15 });
  });

  it('takes units_sold as sent and explains the rest of the change as receipts', () => {
    expect(attribute(report(30, 5), { quantity: 10 }, none)).toEqual({ demand: 5, receipts: 25 });
    expect(attribute(report(2, 5), { quantity: 10 }, none)).toEqual({ demand: 5, receipts: 0 });
  });

  it('takes units_received as sent and explains the rest as demand', () => {
    expect(attribute(report(12, null, 10), { quantity: 10 }, none)).toEqual({ demand: 8, receipts: 10 });
  });

  it('does not count again the sales that sales-only reports in between already told', () => {
    expect(attribute(report(4), { quantity: 10 }, { demand: 3, receipts: 0 })).toEqual({
      demand: 3,
      receipts: 0,
    });
  });

  it('has nothing to compare on the first report, and takes a sales-only report as it is', () => {
    expect(attribute(report(10), null, none)).toEqual({ demand: 0, receipts: 0 });
    expect(attribute(report(10, 2), null, none)).toEqual({ demand: 2, receipts: 0 });
    expect(attribute(report(null, 4, 1), { quantity: 10 }, none)).toEqual({ demand: 4, receipts: 1 });
  });
});
