import { describe, expect, it } from '@jest/globals';
import { rocAuc, scoreDetections } from './score.js';

describe('scoring against labels', () => {
  const labels = [
    { event_id: 'a', kind: 'price_spike' },
    { event_id: 'b', kind: 'negative_stock' },
    { event_id: 'c', kind: 'gibberish_description' },
    { event_id: 'd', kind: 'quantity_spike' },
  ];
  const detections = [
    { event_id: 'a', detector: 'rules' },
    { event_id: 'a', detector: 'isolation_forest' },
    { event_id: 'b', detector: 'rules' },
    { event_id: 'x', detector: 'rules' }, // a false positive
    { event_id: 'c', detector: 'text' },
  ] as const;
  const notes = [{ event_id: 'y', detector: 'isolation_forest' }] as const; // a note: not counted
  const score = scoreDetections(labels, detections, 100, notes);

  it('computes precision, recall and F1 per detector over the kinds it is meant for', () => {
    expect(score.detectors.rules).toMatchObject({
      detected: 3,
      true_positives: 2,
      labelled: 3,
      precision: 2 / 3,
      recall: 2 / 3,
      f1: 2 / 3,
    });
    expect(score.detectors.isolation_forest).toMatchObject({
      detected: 1,
      precision: 1,
      recall: 1 / 3,
      f1: 0.5,
    });
    expect(score.detectors.isolation_forest!.including_notes).toMatchObject({ detected: 2, precision: 0.5 });
    expect(score.detectors.text).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(score.detectors.forecast_residual).toMatchObject({
      detected: 0,
      precision: null,
      recall: 0,
      f1: 0,
    });
  });

  it('computes recall per kind, overall figures and the false-positive rate on clean events', () => {
    expect(score.kinds.price_spike).toEqual({ labelled: 1, detected: 1, recall: 1 });
    expect(score.kinds.quantity_spike).toEqual({ labelled: 1, detected: 0, recall: 0 });
    expect(score.kinds.stock_drop_without_sales).toEqual({ labelled: 0, detected: 0, recall: null });
    expect(score.overall.numeric).toMatchObject({
      detected: 3,
      true_positives: 2,
      precision: 2 / 3,
      recall: 2 / 3,
    });
    expect(score.overall.all).toMatchObject({
      detected: 4,
      true_positives: 3,
      precision: 0.75,
      recall: 0.75,
    });
    expect(score.false_positives).toBe(1);
    expect(score.false_positive_rate).toBe(1 / 96);
  });

  it('computes ROC-AUC by ranks, ties counting half', () => {
    expect(rocAuc([0.9, 0.8], [0.7, 0.8])).toBe(0.875);
    expect(rocAuc([0.9], [0.1, 0.2])).toBe(1);
    expect(rocAuc([0.1], [0.9])).toBe(0);
    expect(rocAuc([], [0.5])).toBeNull();
  });
});
