/**
 * When the forest is refitted, as a count of scored events (never a time, so runs repeat): each time the
 * count doubles from `min` while the store is young (a forest grown on the first few hundred events has seen
 * little, and finds ordinary later events unusual), then every `every` events.
 */
export function isFitPoint(row: number, min: number, every: number): boolean {
  if (row < min) return false;
  if (row % every === 0) return true;
  return row < every && Number.isInteger(Math.log2(row / min));
}

/** The last fit point at or before `row` (0: none yet), where a restarted service resumes. */
export function lastFitPoint(row: number, min: number, every: number): number {
  if (row >= every) return row - (row % every);
  let point = 0;
  for (let p = min; p <= row; p *= 2) point = p;
  return point;
}
