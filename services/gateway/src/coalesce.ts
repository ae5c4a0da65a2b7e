/**
 * Wraps an expensive read so that concurrent callers share one call and callers within `maxAgeMs` of its
 * end get its answer again; up to `staleMs`, an older answer is still given at once while one call renews
 * it in the background, so no caller waits for the renewal. At 200 requests/s a fan-out to five services
 * then runs about once a second instead of 200 times. A failed call is not kept.
 */
export function coalesced<T>(
  read: () => Promise<T>,
  { maxAgeMs, staleMs = maxAgeMs }: { maxAgeMs: number; staleMs?: number },
  now = () => Date.now(),
) {
  let inFlight: Promise<T> | undefined;
  let last: { value: T; at: number } | undefined;
  const renew = () =>
    (inFlight ??= read().then(
      (value) => {
        last = { value, at: now() };
        inFlight = undefined;
        return value;
      },
      (err: unknown) => {
        inFlight = undefined;
        throw err;
      },
    ));
  return (): Promise<T> => {
    const age = last ? now() - last.at : Infinity;
    if (age < maxAgeMs) return Promise.resolve(last!.value);
    if (age < staleMs) {
      renew().catch(() => {}); // the next caller after a failure tries again
      return Promise.resolve(last!.value);
    }
    return renew();
  };
}
