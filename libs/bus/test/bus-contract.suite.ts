/**
 * The behaviour every MessageBus adapter must have, run against each of them (bus.embedded.int.spec.ts,
 * bus.pulsar.int.spec.ts). Anything one adapter does that another would not is a bug in one of them. The
 * cases live in contract/, one file per theme; this file gives each test its bus, topic and clean-up.
 */
import { afterEach, beforeEach } from '@jest/globals';
import type { Delivery, Subscription } from '../src/index.js';
import { deadLettersContract } from './contract/dead-letters.js';
import { deliveryContract } from './contract/delivery.js';
import { FAST_RETRY, type BusHarness, type ContractContext } from './contract/context.js';
import { partitionsContract } from './contract/partitions.js';
import { processesContract } from './contract/processes.js';
import { retentionContract } from './contract/retention.js';
import { validationContract } from './contract/validation.js';
import { ConsumerProcess, uniqueName } from './helpers.js';

export type { BusHarness } from './contract/context.js';

export function busContractSuite(makeHarness: () => Promise<BusHarness>): void {
  const children: ConsumerProcess[] = [];
  const ctx = {
    subscriptions: [] as Subscription[],
    async collect(on, options, behaviour = () => {}, name = ctx.topic) {
      const deliveries: Delivery[] = [];
      const sub = await on.subscribe(name, { retry: FAST_RETRY, ...options }, async (d) => {
        deliveries.push(d);
        await behaviour(d);
      });
      ctx.subscriptions.push(sub);
      return { deliveries, sub };
    },
    child(env) {
      const c = new ConsumerProcess({ ...ctx.harness.childEnv, TEST_TOPIC: ctx.topic, ...env });
      children.push(c);
      return c.started();
    },
  } as ContractContext;

  beforeEach(async () => {
    ctx.harness = await makeHarness();
    ctx.bus = await ctx.harness.open();
    ctx.topic = uniqueName('test.orders');
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill()));
    await Promise.all(ctx.subscriptions.splice(0).map((s) => s.close()));
    await ctx.bus.close();
    await ctx.harness.close();
  });

  deliveryContract(ctx);
  validationContract(ctx);
  processesContract(ctx);
  retentionContract(ctx);
  deadLettersContract(ctx);
  partitionsContract(ctx);
}
