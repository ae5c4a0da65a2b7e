/**
 * `pnpm bench:anomaly`: detection through the real services (ingest and anomaly as processes on the embedded
 * bus, a fresh store per run), as a user would meet it.
 * 1. generated: labelled data from ingest's generator and from a second, independent one, over several seeds
 *    (BENCH_SEEDS, default 1,2,3): precision, recall and F1 per detector and overall as mean [min–max], false
 *    positives on clean events and anomalies listed in the clean history;
 * 2. repeat: the first seed of each generator run again on a fresh store: the anomalies must be identical;
 * 3. real: the real datasets (no labels): the share of events listed as anomalies, and which;
 * 4. text: the text checks over online-retail-uci's real descriptions, for a human to judge.
 * BENCH_ANOMALY picks phases (default all). Prints figures; fails on no threshold.
 */
import { ingestGenerated, secondGenerated, type Scored } from './anomaly/generated.js';
import { printGenerated, printReal } from './anomaly/print.js';
import { realDatasets } from './anomaly/real.js';
import { textOnRetail } from './anomaly/text.js';
import { report } from './support/report.js';

const phases = new Set((process.env.BENCH_ANOMALY ?? 'generated,repeat,real,text').split(','));
const seeds = (process.env.BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
const run = { ingest: ingestGenerated, second: secondGenerated };

/** What a user sees of a run, without ids and detection times: equal runs give equal signatures. */
const signature = (r: Scored) =>
  JSON.stringify(
    [...r.anomalies, ...r.notes]
      .map((a) => [a.event_id, a.detector, a.type, a.severity ?? 'note', a.score, a.explanation])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  );

const runs: Scored[] = [];
if (phases.has('generated') || phases.has('repeat')) {
  for (const generator of ['ingest', 'second'] as const) {
    for (const seed of phases.has('generated') ? seeds : seeds.slice(0, 1))
      runs.push(await run[generator](seed));
  }
}
if (phases.has('generated')) printGenerated(runs);
if (phases.has('repeat')) {
  console.log('\nrepeatability: the first seed of each generator again, on a fresh store');
  for (const generator of ['ingest', 'second'] as const) {
    const first = runs.find((r) => r.generator === generator)!;
    const again = await run[generator](first.seed);
    const same = signature(first) === signature(again);
    console.log(
      `  ${generator}, seed ${first.seed}: ${same ? 'identical' : 'DIFFERENT'} (${first.anomalies.length} anomalies and ${first.notes.length} notes, then ${again.anomalies.length} and ${again.notes.length})`,
    );
    report({
      bench: 'anomaly',
      name: `${generator} generator: runs identical`,
      value: same ? 1 : 0,
      unit: '',
      target: { op: '>=', value: 1 },
    });
  }
}
if (phases.has('real')) printReal(await realDatasets());
if (phases.has('text')) textOnRetail();
