import { ANOMALY_KINDS } from '@stockpulse/contracts';
import { type FastifyPluginAsyncTypebox } from '@stockpulse/service-kit';
import Type from 'typebox';

const InjectBody = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 1000 }),
    kinds: Type.Optional(Type.Array(Type.Enum([...ANOMALY_KINDS]), { minItems: 1, uniqueItems: true })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  },
  { additionalProperties: false },
);
const ActualsBody = Type.Object(
  {
    /** Actual demand as a multiple of the forecast (1: as forecast; 3: a run on every product). */
    scale: Type.Number({ minimum: 0, maximum: 100, default: 1 }),
    store: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
  },
  { additionalProperties: false },
);
const ScoreQuery = Type.Object(
  { job_id: Type.Optional(Type.String({ pattern: '^ingest-[0-9a-f-]{36}$' })) },
  { additionalProperties: false },
);

interface ForecastItem {
  product_id?: string;
  store_location: string;
  category: string;
  points: { date: string; value: number }[];
}

/**
 * Test mode (`TEST_MODE=on` only; 403 naming it otherwise): inject labelled anomalies into live data (ingest),
 * simulate actual sales for the first forecast day of each product (as events through ingest), and score
 * detection against the labels (anomaly).
 */
export const testModeRoutes: FastifyPluginAsyncTypebox<{
  upstreams: Record<string, string>;
  enabled: boolean;
  timeoutMs: number;
  headers: Record<string, string>;
}> = async (app, { upstreams, enabled, timeoutMs, headers }) => {
  app.addHook('onRequest', async (_request, reply) => {
    if (!enabled) {
      return reply.status(403).send({
        error: {
          code: 'TEST_MODE_OFF',
          message: 'test mode is off: start the gateway (and ingest) with TEST_MODE=on',
        },
      });
    }
  });
  const call = async (url: string, init?: RequestInit) => {
    const res = await fetch(url, {
      ...init,
      headers: { ...headers, ...(init?.headers as Record<string, string> | undefined) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, body: await res.json() };
  };
  const post = (url: string, body: unknown) =>
    call(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  app.post('/api/test-mode/anomalies', { schema: { body: InjectBody } }, async (request, reply) => {
    const res = await post(`${upstreams.ingest}/api/test/anomalies`, request.body);
    return reply.status(res.status).send(res.body);
  });

  app.post('/api/test-mode/actuals', { schema: { body: ActualsBody } }, async (request, reply) => {
    const { scale, store, limit } = request.body;
    const query = new URLSearchParams({
      kind: 'product',
      past_days: '0',
      limit: String(limit),
      ...(store ? { store } : {}),
    });
    const forecasts = await call(`${upstreams.forecaster}/api/forecasts?${query.toString()}`);
    if (forecasts.status !== 200) return reply.status(502).send(forecasts.body);
    // today's stock and price of each product, so the simulated sale is consistent with the last report
    const stock = await call(
      `${upstreams.processor}/api/inventory?limit=10000${store ? `&store=${encodeURIComponent(store)}` : ''}`,
    );
    if (stock.status !== 200) return reply.status(502).send(stock.body);
    const current = new Map(
      (
        stock.body as {
          items: { store_location: string; product_id: string; quantity: number; price: number }[];
        }
      ).items.map((s) => [`${s.store_location}/${s.product_id}`, s]),
    );
    const now = Date.now();
    const events = (forecasts.body as { items: ForecastItem[] }).items
      .filter((f) => f.product_id && f.points.length && current.has(`${f.store_location}/${f.product_id}`))
      .map((f, i) => {
        const last = current.get(`${f.store_location}/${f.product_id}`)!;
        const sold = Math.min(
          Math.max(0, last.quantity),
          Math.max(0, Math.round(f.points[0]!.value * scale)),
        );
        // on the first forecast day, at the latest now: ingest refuses events far in the future
        const at = Math.min(Date.parse(`${f.points[0]!.date}T12:00:00Z`), now) + i;
        return {
          product_id: f.product_id,
          store_location: f.store_location,
          category: f.category,
          quantity: last.quantity - sold,
          units_sold: sold,
          price: last.price,
          event_timestamp: new Date(at).toISOString(),
        };
      });
    if (!events.length) return { posted: 0, accepted: 0 };
    const res = await post(`${upstreams.ingest}/api/events`, events);
    return reply
      .status(res.status === 202 ? 200 : res.status)
      .send({ posted: events.length, ...(res.body as object) });
  });

  app.get('/api/test-mode/score', { schema: { querystring: ScoreQuery } }, async (request, reply) => {
    const query = request.query.job_id ? `?job_id=${request.query.job_id}` : '';
    const res = await call(`${upstreams.anomaly}/api/anomalies/score${query}`);
    return reply.status(res.status).send(res.body);
  });
};
