import type { AnomalyKind } from '@stockpulse/contracts';
import { CATEGORIES } from './catalog.js';
import type { Random } from './random.js';
import type { GeneratedEvent } from './simulate.js';

// the kinds are part of the contracts: the gateway's test mode and the scoring use the same list
export { ANOMALY_KINDS, type AnomalyKind } from '@stockpulse/contracts';

export interface Injected {
  event: GeneratedEvent;
  detail: string;
}

/** Whether `kind` can be shown on this event (a drop needs stock to drop from). */
export function canInject(kind: AnomalyKind, event: GeneratedEvent): boolean {
  if (kind === 'stock_drop_without_sales') return (event.quantity ?? 0) >= 10;
  return event.quantity !== undefined;
}

/** Changes a normal event into an anomaly of `kind`; says what it did in `detail`. */
export function inject(kind: AnomalyKind, event: GeneratedEvent, rng: Random): Injected {
  const quantity = event.quantity ?? 0;
  switch (kind) {
    case 'price_spike': {
      const factor = rng.int(5, 10);
      const price = Math.round(event.price * factor * 100) / 100;
      return { event: { ...event, price }, detail: `price ${event.price} raised ${factor}× to ${price}` };
    }
    case 'quantity_spike': {
      const jump = Math.max(100, quantity * 10);
      const { units_received: _received, ...rest } = event;
      return {
        event: { ...rest, quantity: quantity + jump },
        detail: `stock raised by ${jump} to ${quantity + jump} with no receipt`,
      };
    }
    case 'negative_stock': {
      const negative = -rng.int(1, 20);
      return { event: { ...event, quantity: negative }, detail: `stock reported as ${negative}` };
    }
    case 'stock_drop_without_sales': {
      const dropped = Math.floor(quantity * 0.2);
      const { units_received: _received, ...rest } = event;
      return {
        event: { ...rest, quantity: dropped, units_sold: 0 },
        detail: `stock fell from ${quantity} to ${dropped} with no sales recorded`,
      };
    }
    case 'gibberish_description': {
      const letters = 'bcdfghjklmnpqrstvwxzyq';
      const word = () =>
        Array.from({ length: rng.int(4, 9) }, () => letters[rng.int(0, letters.length - 1)]).join('');
      const description = Array.from({ length: rng.int(3, 6) }, word).join(' ');
      return { event: { ...event, description }, detail: `description replaced by "${description}"` };
    }
    case 'wrong_category_description': {
      const other = rng.pick(CATEGORIES.filter((c) => c.name !== event.category));
      const description = `${rng.pick(other.brands)} ${rng.pick(other.adjectives)} ${rng.pick(other.items)} ${rng.pick(other.features)}`;
      return {
        event: { ...event, description },
        detail: `description of a ${other.name} product ("${description}") on a ${event.category} product`,
      };
    }
  }
}
