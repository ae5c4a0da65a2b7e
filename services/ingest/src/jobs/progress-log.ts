const count = new Intl.NumberFormat('en-US');

/**
 * A long job's progress as log records a person can read — `seeding history: 40 % (14,400 / 36,000 events)`,
 * the numbers also as `progress: { done, total, unit }` — at most once every `everyMs` (the job reports per
 * day of history: a record each time would flood the terminal) and once at the end, with the time it took.
 */
export function progressLog(
  log: { info(fields: object, message: string): void },
  task: string,
  unit: string,
  { everyMs = 1000, now = Date.now }: { everyMs?: number; now?: () => number } = {},
): (done: number, total: number) => void {
  const started = now();
  let last = started;
  return (done, total) => {
    const at = now();
    const finished = done >= total;
    if (!finished && at - last < everyMs) return;
    last = at;
    const percent = total > 0 ? Math.floor((100 * Math.min(done, total)) / total) : 100;
    const took = finished ? ` in ${((at - started) / 1000).toFixed(1)} s` : '';
    log.info(
      { progress: { done, total, unit } },
      `${task}: ${percent} % (${count.format(done)} / ${count.format(total)} ${unit})${took}`,
    );
  };
}
