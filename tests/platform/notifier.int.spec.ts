import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Envelope } from '@stockpulse/contracts';
import { readEvents } from '../../services/notifier/test/support.js';
import { busesUnderTest, getJson, Platform, post, tail, until } from '../support/platform.js';

const DAY = 86_400_000;
const start = Date.parse('2025-05-01T20:00:00Z');
/** A steady product: 100 in stock, 5 sold and 5 received a day at 10.00; `price` on the last day. */
const history = (days: number, lastPrice: number) =>
  Array.from({ length: days }, (_, d) => ({
    product_id: 'P777',
    store_location: 'Lisbon',
    category: 'Books',
    description: 'Penwright hardcover novel signed by the author',
    quantity: 100,
    units_sold: 5,
    units_received: 5,
    price: d === days - 1 ? lastPrice : 10,
    event_timestamp: new Date(start + d * DAY).toISOString(),
  }));

/** ingest → anomaly → notifier as real processes on each bus, read through the gateway and `pnpm tail`. */
describe.each(busesUnderTest())(
  'notifier: an injected anomaly becomes a notification on the topic, over HTTP and live (%s bus)',
  (bus) => {
    let p: Platform;
    let published: Envelope<'stockpulse.notifications'>[];
    beforeAll(async () => {
      p = await Platform.start(['ingest', 'anomaly', 'notifier', 'gateway'], { NOTIFIER_TICK_MS: '50' }, bus);
      published = await p.collect('stockpulse.notifications');
    }, 180_000);
    afterAll(() => p.stop());

    const api = (path: string) => `${p.gateway}/api${path}`;

    it('notifies a price spike once, with its real product, store and category', async () => {
      const live = readEvents(api('/notifications/stream'), 1, undefined, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the stream is open
      expect((await post(api('/events'), history(10, 75))).body).toMatchObject({ accepted: 10 });

      const [event] = await live;
      expect(event).toMatchObject({
        event: 'notification',
        data: {
          change: 'opened',
          type: 'price_spike',
          severity: 'critical',
          status: 'open',
          product_id: 'P777',
          store_location: 'Lisbon',
          category: 'Books',
          count: 1,
          title: 'Price spike: P777 at Lisbon',
        },
      });
      const id = event!.data.id as string;
      const onTopic = await until(
        async () => published.filter((e) => e.payload.id === id),
        (list) => list.length >= 1,
        'the notification on the topic',
      );
      expect(onTopic[0]!.payload).toMatchObject({
        change: 'opened',
        message: expect.stringContaining('7.5 times its usual 10.00'),
      });

      const listed = await getJson(api('/notifications?store=Lisbon'));
      expect(listed.total).toBe(1);
      expect(listed.items[0]).toMatchObject({ id, anomaly_ids: [expect.stringMatching(/^an-/)] });

      // acknowledged through the gateway; a second acknowledgement is refused
      expect((await post(api(`/notifications/${id}/ack`), { by: 'ana' })).body).toMatchObject({
        status: 'acknowledged',
      });
      expect((await post(api(`/notifications/${id}/ack`), {})).status).toBe(409);
      const explained = await getJson<{ explanation: string }>(api(`/notifications/${id}/explain`));
      expect(explained.explanation).toContain('It was acknowledged by ana');

      // and a downstream consumer, `pnpm tail`, prints both changes, one envelope a line
      const lines = (await tail(p, 'stockpulse.notifications', 2)).map(
        (line) => JSON.parse(line) as Envelope<'stockpulse.notifications'>,
      );
      expect(lines.map((e) => [e.type, e.payload.id, e.payload.change])).toEqual([
        ['notification', id, 'opened'],
        ['notification', id, 'acknowledged'],
      ]);
    });
  },
);
