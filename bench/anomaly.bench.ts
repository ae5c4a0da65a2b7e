/**
 * `pnpm bench:anomaly`: detection scored against labels, through the real services.
 * 1. ingest and anomaly as real processes on the embedded bus; the generator makes a seeded clean history
 *    (5 stores × 40 products × 180 days) with 2 % of its events turned into labelled anomalies, every kind in
 *    turn; once anomaly has seen every event, its `/api/anomalies/score` for that job is printed: per kind,
 *    per detector, overall, the false-positive rate on clean events and the isolation forest's ROC-AUC.
 * 2. The text checks over the real product descriptions of online-retail-uci (a catalogue model trained on
 *    them): how many descriptions each check flags, with examples, for a human to judge.
 * Prints figures; fails on no threshold.
 */
import { readFileSync } from 'node:fs';
import { normalise, textFindings } from '../services/anomaly/src/domain/text/checks.js';
import { TextModel } from '../services/anomaly/src/domain/text/model.js';
import type { Rates } from '../services/anomaly/src/domain/score.js';
import { getJson, Platform, post, until } from '../tests/support/platform.js';
import { dataset } from './support/datasets.js';
import { report } from './support/report.js';

const DAYS = Number(process.env.BENCH_DAYS ?? 180);
const SHARE = 0.02;
const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
const num = (x: number | null) => (x === null ? '—' : x.toFixed(3));

interface Score {
  events: number;
  labelled: number;
  kinds: Record<string, { labelled: number; detected: number; recall: number | null }>;
  detectors: Record<string, Rates & { including_info: Rates }>;
  overall: Record<string, Rates>;
  false_positives: number;
  false_positive_rate: number | null;
  isolation_forest_roc_auc: number | null;
  isolation_forest_scored_events: number;
}

async function scoreGenerated() {
  const platform = await Platform.start(['ingest', 'anomaly'], { IFOREST_REFIT_MS: '5000' });
  try {
    const events = DAYS * 5 * 40;
    const t0 = performance.now();
    const started = await post(`${platform.url('ingest')}/api/generate`, {
      days: DAYS,
      stores: 5,
      products: 40,
      categories: 5,
      seed: 2026,
      end: '2026-06-01',
      anomalies: { count: Math.round(events * SHARE) },
    });
    const job = started.body.job_id as string;
    const api = `${platform.url('anomaly')}/api/anomalies/score?job_id=${job}`;
    const score = await until(
      () => getJson<Score>(api),
      (s) => s.events >= events,
      'anomaly to see every generated event',
      600_000,
    );
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `generated: ${score.events} events, ${score.labelled} labelled anomalies (${pct(score.labelled / score.events)}), detected in ${seconds.toFixed(1)} s`,
    );
    console.log('kind                          labelled  detected  recall');
    for (const [kind, k] of Object.entries(score.kinds)) {
      console.log(
        `${kind.padEnd(30)}${String(k.labelled).padStart(8)}${String(k.detected).padStart(10)}  ${pct(k.recall)}`,
      );
    }
    console.log('detector / overall            flagged  true pos  precision  recall    F1');
    const row = (name: string, r: Rates) =>
      console.log(
        `${name.padEnd(30)}${String(r.detected).padStart(7)}${String(r.true_positives).padStart(10)}  ${pct(r.precision).padStart(9)}  ${pct(r.recall).padStart(7)}  ${num(r.f1)}`,
      );
    for (const [name, r] of Object.entries(score.detectors)) {
      row(name, r);
      if (r.including_info.detected !== r.detected) row(`  ${name}, info too`, r.including_info);
    }
    for (const [name, r] of Object.entries(score.overall)) row(`overall ${name}`, r);
    console.log(
      `false positives on clean events: ${score.false_positives} (${pct(score.false_positive_rate)})`,
    );
    console.log(
      `isolation forest ROC-AUC: ${num(score.isolation_forest_roc_auc)} over ${score.isolation_forest_scored_events} scored events`,
    );
    for (const [name, r] of Object.entries(score.overall)) {
      report({
        bench: 'anomaly',
        name: `overall ${name} F1`,
        value: r.f1 ?? NaN,
        unit: '',
        target: { op: '>=', value: 0.9 },
        detail: `precision ${pct(r.precision)}, recall ${pct(r.recall)}`,
      });
    }
    report({
      bench: 'anomaly',
      name: 'false positives on clean events',
      value: 100 * (score.false_positive_rate ?? NaN),
      unit: '%',
      target: { op: '<=', value: 1 },
      detail: `${score.false_positives} events`,
    });
  } finally {
    await platform.stop();
  }
}

/** Quoted CSV: (StockCode, Description) of each row of online-retail-uci. */
function retailRows(): { code: string; description: string }[] {
  const file = dataset('online-retail-uci/online_retail_sample.csv');
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [, code = '', description = ''] = /^"[^"]*","([^"]*)","((?:[^"]|"")*)"/.exec(line) ?? [];
    return { code, description: description.replace(/""/g, '"') };
  });
}

function textOnRetail() {
  const rows = retailRows();
  const pairs = [...new Map(rows.map((r) => [`${r.code}\u0000${r.description}`, r])).values()];
  // the catalogue: each stock code's most frequent description
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = counts.get(r.code) ?? counts.set(r.code, new Map()).get(r.code)!;
    m.set(r.description, (m.get(r.description) ?? 0) + 1);
  }
  const catalogue = [...counts].map(([code, m]) => ({
    product_id: code,
    description: [...m].sort((a, b) => b[1] - a[1])[0]![0],
    category: 'retail',
  }));
  const model = new TextModel(catalogue);
  const codesOf = new Map<string, Set<string>>();
  for (const p of pairs) {
    const key = normalise(p.description);
    codesOf.set(key, (codesOf.get(key) ?? new Set()).add(p.code));
  }
  const flagged = new Map<string, string[]>();
  const thresholds = { TEXT_MIN_LETTERS: 6, TEXT_GIBBERISH_BITS: -6, TEXT_OWN_CATEGORY_MAX: 0.3 };
  for (const [i, p] of pairs.entries()) {
    const event = {
      event_id: `r${i}`,
      product_id: p.code,
      store_location: 'UK',
      category: 'retail',
      description: p.description,
    };
    const others = [...(codesOf.get(normalise(p.description)) ?? [])].filter((c) => c !== p.code);
    for (const f of textFindings(event as never, model, others, thresholds)) {
      flagged.set(f.type, [...(flagged.get(f.type) ?? []), `${p.code}: ${p.description}`]);
    }
  }
  console.log(
    `online-retail-uci: ${rows.length} rows, ${pairs.length} distinct (stock code, description) pairs, ${counts.size} stock codes`,
  );
  for (const type of [
    'empty_description',
    'too_short_description',
    'markup_or_injection',
    'gibberish_description',
    'wrong_category_description',
    'unfamiliar_description',
    'duplicate_description',
  ]) {
    const list = flagged.get(type) ?? [];
    const examples = list
      .slice(0, 6)
      .map((d) => JSON.stringify(d))
      .join(', ');
    console.log(`  ${type}: ${list.length}${list.length ? `, e.g. ${examples}` : ''}`);
  }
}

if (!process.env.BENCH_TEXT_ONLY) await scoreGenerated();
textOnRetail();
