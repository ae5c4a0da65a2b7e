import { api, postJson } from '../api.js';
import { el, fmt, table } from '../dom.js';

const KINDS = [
  'price_spike',
  'quantity_spike',
  'negative_stock',
  'stock_drop_without_sales',
  'gibberish_description',
  'wrong_category_description',
];
type Rates = {
  detected: number;
  true_positives: number;
  labelled: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
};

/** Inject labelled anomalies of chosen kinds, simulate actual sales, and watch precision and recall. */
export function testMode(root: HTMLElement): () => Promise<void> {
  const boxes = KINDS.map((k) => el('input', { type: 'checkbox', value: k, checked: true, name: k }));
  const count = el('input', { type: 'number', value: 6, min: 1, max: 1000, name: 'count' });
  const scale = el('input', { type: 'number', value: 1, min: 0, max: 100, step: 0.5, name: 'scale' });
  const message = el('p', { 'data-test-mode': '' });
  const score = el('div', { class: 'panel' });
  let job: string | undefined;

  const inject = el(
    'form',
    {},
    ...boxes.map((b) => el('label', {}, b, ` ${b.value} `)),
    el('br'),
    el('label', {}, 'Count ', count),
    el('button', { type: 'submit' }, 'Inject anomalies'),
  );
  inject.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      try {
        const kinds = boxes.filter((b) => b.checked).map((b) => b.value);
        const r = await postJson<{ job_id: string; injected: number }>('/test-mode/anomalies', {
          count: Number(count.value),
          kinds,
        });
        job = r.job_id;
        message.textContent = `Injected ${r.injected} labelled anomalies (${r.job_id}); scoring as they are detected.`;
        window.setTimeout(() => void refresh(), 1500);
      } catch (err) {
        message.textContent = (err as Error).message;
      }
    })();
  });
  const actuals = el(
    'form',
    {},
    el('label', {}, 'Actual sales = forecast × ', scale),
    el('button', { type: 'submit' }, 'Simulate actuals'),
  );
  actuals.addEventListener('submit', (e) => {
    e.preventDefault();
    void postJson<{ posted: number }>('/test-mode/actuals', { scale: Number(scale.value) })
      .then((r) => (message.textContent = `Posted ${r.posted} simulated sales for the first forecast day.`))
      .catch((err: Error) => (message.textContent = err.message));
  });

  const refresh = async () => {
    try {
      const s = await api<{
        labelled: number;
        events: number;
        detectors: Record<string, Rates>;
        overall: Record<string, Rates>;
        false_positive_rate: number | null;
      }>(`/test-mode/score${job ? `?job_id=${job}` : ''}`);
      const row = (name: string, r: Rates) => ({ name, ...r });
      score.replaceChildren(
        el(
          'h3',
          {},
          `Detection ${job ? `of ${job}` : 'over every labelled event'}: ${s.labelled} labelled of ${fmt(s.events)} events`,
        ),
        table(
          'score',
          [
            { key: 'name', label: '' },
            { key: 'detected', label: 'flagged' },
            { key: 'true_positives', label: 'true positives' },
            { key: 'precision', label: 'precision', render: (r) => fmt(r.precision, 3) },
            { key: 'recall', label: 'recall', render: (r) => fmt(r.recall, 3) },
            { key: 'f1', label: 'F1', render: (r) => fmt(r.f1, 3) },
          ],
          [
            ...Object.entries(s.detectors).map(([k, r]) => row(k, r)),
            ...Object.entries(s.overall).map(([k, r]) => row(`overall ${k}`, r)),
          ],
        ),
      );
    } catch (err) {
      score.replaceChildren(el('p', { class: 'warning' }, (err as Error).message));
    }
  };
  root.replaceChildren(el('h2', {}, 'Test mode'), inject, actuals, message, score);
  return refresh;
}
