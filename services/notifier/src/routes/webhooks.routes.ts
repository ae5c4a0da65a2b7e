import { StoreLocation } from '@stockpulse/contracts';
import type { FastifyPluginAsyncTypebox } from '@stockpulse/service-kit';
import Type from 'typebox';
import type { Webhook, WebhooksRepository } from '../db/webhooks.repository.js';

const WebhookId = Type.Object({ id: Type.String({ pattern: '^wh-[0-9a-z-]{1,40}$' }) });
const MinSeverity = Type.Enum(['info', 'warning', 'critical']);
/** Routing rules: only these stores' / types' notifications (an empty list: every one). */
const Stores = Type.Array(StoreLocation, { maxItems: 1000, uniqueItems: true });
const Types = Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }), {
  maxItems: 50,
  uniqueItems: true,
});
const Rules = Type.Object(
  { min_severity: Type.Optional(MinSeverity), stores: Type.Optional(Stores), types: Type.Optional(Types) },
  { additionalProperties: false, minProperties: 1 },
);
const NewWebhook = Type.Object(
  {
    url: Type.String({ maxLength: 2000, pattern: '^https?://[^\\s/]+[^\\s]*$', description: 'http(s) URL' }),
    /** HMAC-SHA256 key; generated (and returned once) when absent. */
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
    /** Given by the gateway when it writes one webhook to every replica (PARTITIONS > 1): one id everywhere. */
    id: Type.Optional(Type.String({ pattern: '^wh-[0-9a-z-]{1,40}$' })),
    min_severity: Type.Enum(['info', 'warning', 'critical'], { default: 'warning' }),
    stores: Type.Optional(Stores),
    types: Type.Optional(Types),
  },
  { additionalProperties: false },
);

const publicView = ({ secret: _secret, configured, ...hook }: Webhook) => ({
  ...hook,
  source: configured ? 'environment' : 'api',
});

/** `GET/POST /api/webhooks`, `DELETE /api/webhooks/:id`, `GET /api/webhooks/:id/deliveries` (the attempt log). */
export const webhooksRoutes: FastifyPluginAsyncTypebox<{ webhooks: WebhooksRepository }> = async (
  app,
  { webhooks },
) => {
  app.get('/api/webhooks', async () => {
    const items = webhooks.list().map(publicView);
    return { items, total: items.length };
  });

  app.post('/api/webhooks', { schema: { body: NewWebhook } }, async (request, reply) => {
    const { url, secret, min_severity, stores, types, id } = request.body;
    const hook = webhooks.add(
      url,
      { min_severity, ...(stores ? { stores } : {}), ...(types ? { types } : {}) },
      secret,
      id,
    );
    // the secret is shown once, to the one who registers the webhook
    return reply.status(201).send({ ...publicView(hook), secret: hook.secret });
  });

  /** The registered webhook of `id`, or why it cannot be changed (404, or 409 for one from the environment). */
  const changeable = (id: string, verb: string) => {
    const hook = webhooks.get(id);
    if (!hook)
      return { status: 404 as const, body: { error: { code: 'NOT_FOUND', message: `no webhook ${id}` } } };
    if (!hook.configured) return { hook, status: 200 as const };
    const message = `webhook ${hook.id} comes from WEBHOOK_URLS; change the environment to ${verb} it`;
    return { status: 409 as const, body: { error: { code: 'CONFLICT', message } } };
  };

  app.delete('/api/webhooks/:id', { schema: { params: WebhookId } }, async (request, reply) => {
    const found = changeable(request.params.id, 'remove');
    if (found.status !== 200) return reply.status(found.status).send(found.body);
    webhooks.remove(found.hook.id);
    return reply.status(204).send();
  });

  app.patch('/api/webhooks/:id', { schema: { params: WebhookId, body: Rules } }, async (request, reply) => {
    const found = changeable(request.params.id, 'change');
    if (found.status !== 200) return reply.status(found.status).send(found.body);
    return publicView(webhooks.route(found.hook.id, request.body)!);
  });

  app.get(
    '/api/webhooks/:id/deliveries',
    {
      schema: {
        params: WebhookId,
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      if (!webhooks.get(request.params.id)) {
        return reply
          .status(404)
          .send({ error: { code: 'NOT_FOUND', message: `no webhook ${request.params.id}` } });
      }
      const items = webhooks.deliveries(request.params.id, request.query.limit);
      return { items, total: items.length };
    },
  );
};
