/**
 * Loads shaped like users' data, each on a fresh platform (every service a process, the embedded bus):
 * posted by several clients at once in batches of 1,000, until every event is applied (the processor's day
 * windows count exactly what was sent), with reads of `/api/metrics` through the gateway timed meanwhile.
 * Reports events/s, the wait after the last accepted POST, CPU per 1,000 events and peak RSS per service,
 * and read latency; returns CPU per event (every service but the forecaster, whose training is per series).
 */
import { dayTotals, Platform } from '../../tests/support/platform.js';
import { acked } from '../support/consumed.js';
import type { Load } from '../support/loads.js';
import { cpuOfServices, peakRssMb, resetPeak } from '../support/process-stats.js';
import { readProbe } from '../support/reads.js';
import { fmt, report } from '../support/report.js';

export const SERVICES = ['ingest', 'processor', 'anomaly', 'forecaster', 'notifier', 'gateway'];
/** The services every event passes through (the forecaster trains per series, after the backlog). */
const EVENT_PATH = SERVICES.filter((s) => s !== 'forecaster');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts bodies with `clients` concurrent clients; resolves when the last is accepted (202). */
export async function postAll(platform: Platform, bodies: string[], clients: number): Promise<void> {
  let next = 0;
  const client = async () => {
    while (next < bodies.length) {
      const res = await fetch(`${platform.url('ingest')}/api/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodies[next++]!,
      });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
}

/**
 * Waits until the processor's day windows count `total` events and the anomaly service has taken every
 * event (up to `deadline`, epoch ms); returns what the windows count when it stopped.
 */
export async function applied(platform: Platform, total: number, deadline: number): Promise<number> {
  let counted = 0;
  while (Date.now() < deadline) {
    const processor = await acked(platform, 'processor');
    if (processor >= total) {
      counted = await dayTotals(platform.url('processor'))
        .then((t) => t.events)
        .catch(() => counted);
      if (counted >= total && (await acked(platform, 'anomaly')) >= total) return counted;
    } else if (Number.isFinite(processor)) counted = Math.min(processor, total);
    await sleep(500);
  }
  return counted;
}

const perThousand = (cpu: Map<string, number>, names: string[], events: number) =>
  (names.reduce((sum, n) => sum + cpu.get(n)!, 0) * 1e6) / events;

export async function runLoad(load: Load, clients: number, timeoutSeconds: number): Promise<number> {
  const platform = await Platform.start(SERVICES, { LOG_LEVEL: 'warn' });
  try {
    for (const name of SERVICES) resetPeak(platform.pid(name));
    const before = cpuOfServices(platform);
    const reads = readProbe(platform.gateway);
    const t0 = performance.now();
    await postAll(platform, load.bodies, clients);
    const posted = performance.now();
    const counted = await applied(platform, load.events, Date.now() + timeoutSeconds * 1000);
    const done = performance.now();
    const read = await reads.stop();
    const after = cpuOfServices(platform);
    const used = new Map(SERVICES.map((n) => [n, after.get(n)! - before.get(n)!]));
    for (const name of SERVICES) {
      // a service that died during the load is a finding, not a figure: say so, with what it printed
      if (!Number.isFinite(after.get(name)!))
        console.log(
          `${name} is not running after the ${load.name} load; its output:\n${platform.output(name).slice(-4000)}`,
        );
    }
    const finished = counted >= load.events;
    const what = `the ${load.name} load (${fmt(load.series)} series, ${fmt(load.events)} events)`;
    report({
      bench: 'pipeline',
      name: `${what}: events/s applied, every service running`,
      value: counted / ((done - t0) / 1000),
      unit: 'events/s',
      target: { op: '>=', value: 20_000 },
      detail: `${clients} clients; posted in ${((posted - t0) / 1000).toFixed(1)} s; ${finished ? 'all' : `only ${fmt(counted)}`} applied after ${((done - t0) / 1000).toFixed(1)} s`,
    });
    report({
      bench: 'pipeline',
      name: `${what}: wait after the last POST was accepted until every event is applied`,
      value: finished ? (done - posted) / 1000 : NaN,
      unit: 's',
      target: { op: '<=', value: 10 },
      ...(finished ? {} : { detail: `not finished in ${timeoutSeconds} s` }),
    });
    for (const name of SERVICES) {
      report({
        bench: 'cpu',
        name: `${name} CPU per 1,000 events, ${load.name} load`,
        value: perThousand(used, [name], counted),
        unit: 'ms',
      });
      report({
        bench: 'memory',
        name: `${name} peak RSS, ${load.name} load`,
        value: peakRssMb(platform.pid(name)),
        unit: 'MB',
      });
    }
    report({
      bench: 'pipeline',
      name: `${what}: /api/metrics through the gateway during the load, p99`,
      value: read.p99,
      unit: 'ms',
      target: { op: '<=', value: 1000 },
      detail: `p50 ${fmt(read.p50)} ms, max ${fmt(read.max)} ms, ${fmt(read.count)} answered, ${fmt(read.refused)} refused or timed out`,
    });
    return perThousand(used, EVENT_PATH, counted) / 1000;
  } finally {
    await platform.stop();
  }
}

/**
 * Cost per event as the stores grow: on one platform of the event path's services (the forecaster, which
 * retrains every series after each backlog, is left out: its training would compete for the two cores in one
 * window and not the other), `load` is posted in order; CPU per event of every service is measured over
 * `window` events posted once `small` are applied, and again once `large` are. Reports both per service;
 * returns the event path's CPU per event at each.
 */
export async function costAsHistoryGrows(
  load: Load,
  small: number,
  large: number,
  window: number,
  timeoutSeconds: number,
): Promise<[number, number]> {
  const platform = await Platform.start(EVENT_PATH, { LOG_LEVEL: 'warn' });
  const perBody = (JSON.parse(load.bodies[0]!) as unknown[]).length;
  let sent = 0;
  const send = async (events: number, seconds = timeoutSeconds) => {
    await postAll(platform, load.bodies.slice(sent / perBody, events / perBody), 4);
    sent = events;
    const counted = await applied(platform, sent, Date.now() + seconds * 1000);
    if (counted < sent) throw new Error(`only ${counted} of ${sent} events applied in ${seconds} s`);
  };
  const measure = async (stored: number) => {
    const before = cpuOfServices(platform);
    await send(sent + window);
    const after = cpuOfServices(platform);
    const used = new Map(EVENT_PATH.map((n) => [n, after.get(n)! - before.get(n)!]));
    for (const name of EVENT_PATH)
      report({
        bench: 'cpu',
        name: `${name} CPU per 1,000 events, ${fmt(window)} events posted onto ${fmt(stored)} stored`,
        value: perThousand(used, [name], window),
        unit: 'ms',
      });
    return perThousand(used, EVENT_PATH, window) / 1000;
  };
  try {
    await send(small);
    const atSmall = await measure(small);
    await send(large, timeoutSeconds * 4); // the bulk between the two measures has longer
    const atLarge = await measure(large);
    return [atSmall, atLarge];
  } finally {
    await platform.stop();
  }
}
