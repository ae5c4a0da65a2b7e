/**
 * What tests started and have not stopped yet (platforms and their processes), stopped after each test file
 * by tests/support/stop-live.ts: a `beforeAll` that times out leaves its test's `afterAll` without the
 * platform to stop, and its processes would outlive the run.
 */
export const LIVE = new Set<{ stop(): Promise<void> }>();

export async function stopLive(): Promise<void> {
  await Promise.all([...LIVE].map((thing) => thing.stop().catch(() => {})));
}
