/**
 * The text checks over the real product descriptions of online-retail-uci (a catalogue model trained on
 * them): how many descriptions each check flags, with examples, for a human to judge.
 */
import { readFileSync } from 'node:fs';
import { normalise, textFindings } from '../../services/anomaly/src/domain/text/checks.js';
import { TextModel } from '../../services/anomaly/src/domain/text/model.js';
import { dataset } from '../support/datasets.js';

/** Quoted CSV: (StockCode, Description) of each row of online-retail-uci. */
function retailRows(): { code: string; description: string }[] {
  const file = dataset('online-retail-uci/online_retail_sample.csv');
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [, code = '', description = ''] = /^"[^"]*","([^"]*)","((?:[^"]|"")*)"/.exec(line) ?? [];
    return { code, description: description.replace(/""/g, '"') };
  });
}

export function textOnRetail() {
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
