/** The benchmark's tables: each figure over the seeds as mean [min–max], and the figures against targets. */
import type { Rates } from '../../services/anomaly/src/domain/score.js';
import { report } from '../support/report.js';
import type { Scored } from './generated.js';
import type { RealResult } from './real.js';

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const spread = (xs: number[], f: (x: number) => string) => {
  if (!xs.length) return '—';
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return `${f(mean)} [${f(Math.min(...xs))}–${f(Math.max(...xs))}]`;
};
const f3 = (x: number) => x.toFixed(3);
const values = (rs: Rates[], k: 'precision' | 'recall' | 'f1') =>
  rs.map((r) => r[k]).filter((x): x is number => x !== null);

export function printGenerated(runs: Scored[]): void {
  for (const generator of ['ingest', 'second'] as const) {
    const mine = runs.filter((r) => r.generator === generator);
    if (!mine.length) continue;
    const seeds = mine.map((r) => r.seed).join(', ');
    console.log(
      `\n${generator === 'ingest' ? "ingest's generator" : 'the second, independent generator'} — seeds ${seeds}; ${mine[0]!.events} events, ${mine[0]!.score.labelled} labelled per run`,
    );
    console.log(
      'detector / overall               flagged        precision                recall                   F1',
    );
    const row = (name: string, rs: Rates[]) =>
      console.log(
        `${name.padEnd(32)}${spread(
          rs.map((r) => r.detected),
          (x) => x.toFixed(0),
        ).padEnd(
          15,
        )}${spread(values(rs, 'precision'), f3).padEnd(25)}${spread(values(rs, 'recall'), f3).padEnd(25)}${spread(values(rs, 'f1'), f3)}`,
      );
    for (const d of Object.keys(mine[0]!.score.detectors)) {
      row(
        d,
        mine.map((r) => r.score.detectors[d]!),
      );
      row(
        `  ${d}, notes too`,
        mine.map((r) => r.score.detectors[d]!.including_notes),
      );
    }
    for (const o of ['numeric', 'text', 'all'] as const)
      row(
        `overall ${o}`,
        mine.map((r) => r.score.overall[o]),
      );
    const kinds = Object.keys(mine[0]!.score.kinds);
    console.log(
      `recall per kind: ${kinds
        .map(
          (k) =>
            `${k} ${spread(
              mine.map((r) => r.score.kinds[k]!.recall ?? 0),
              f3,
            )}`,
        )
        .join('; ')}`,
    );
    const fp = mine.map((r) => r.score.false_positive_rate ?? 0);
    const history = mine.map((r) => r.history.flagged / r.history.events);
    console.log(
      `false positives on clean events: ${spread(fp, pct)} (${mine.map((r) => r.score.false_positives).join(', ')} events)`,
    );
    console.log(
      `anomalies listed in the clean first ${60} days: ${spread(history, pct)} (${mine.map((r) => `${r.history.flagged}/${r.history.events}`).join(', ')})`,
    );
    console.log(
      `notes kept (not listed): ${mine.map((r) => r.notes.length).join(', ')}; judged in ${mine.map((r) => r.seconds.toFixed(1)).join(', ')} s`,
    );
    for (const [name, xs, op, target] of [
      [
        'numeric F1 (worst seed)',
        values(
          mine.map((r) => r.score.overall.numeric),
          'f1',
        ),
        '>=',
        0.95,
      ],
      [
        'text F1 (worst seed)',
        values(
          mine.map((r) => r.score.overall.text),
          'f1',
        ),
        '>=',
        0.95,
      ],
      ['false positives on clean events (worst seed)', fp.map((x) => 100 * x), '<=', 0.3],
      ['anomalies listed in clean history (worst seed)', history.map((x) => 100 * x), '<=', 0.3],
    ] as const) {
      const worst = op === '>=' ? Math.min(...xs) : Math.max(...xs);
      report({
        bench: 'anomaly',
        name: `${generator} generator: ${name}`,
        value: worst,
        unit: name.includes('F1') ? '' : '%',
        target: { op, value: target },
      });
    }
  }
}

export function printReal(results: RealResult[]): void {
  console.log('\nreal datasets (no labels): anomalies listed per event');
  for (const r of results) {
    const byType = new Map<string, number>();
    for (const a of r.anomalies)
      byType.set(`${a.detector}/${a.type}`, (byType.get(`${a.detector}/${a.type}`) ?? 0) + 1);
    const types = [...byType]
      .sort((a, b) => b[1] - a[1])
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    console.log(
      `  ${r.name}: ${r.anomalies.length} of ${r.events} events (${pct(r.anomalies.length / r.events)}), ${r.notes} notes${types ? `; ${types}` : ''}`,
    );
    for (const a of r.anomalies.slice(0, 4)) console.log(`    e.g. ${a.explanation}`);
    report({
      bench: 'anomaly',
      name: `${r.name}: anomalies listed`,
      value: (100 * r.anomalies.length) / r.events,
      unit: '%',
      target: { op: '<=', value: 1 },
    });
  }
}
