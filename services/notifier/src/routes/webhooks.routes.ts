import type { FastifyPluginAsyncTypebox } from '@stockpulse/service-kit';
import Type from 'typebox';
import type { Webhook, WebhooksRepository } from '../db/webhooks.repository.js';

const WebhookId = Type.Object({ id: Type.String({ pattern: '^wh-[0-9a-z-]{1,40}$' }) });
const NewWebhook = Type.Object(
  {
    url: Type.String({ maxLength: 2000, pattern: '^https?://[^\\s/]+[^\\s]*$', description: 'http(s) URL' }),
    /** HMAC-SHA256 key; generated (and returned once) when absent. */
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
    /** Given by the gateway when it writes one webhook to every replica (PARTITIONS > 1): one id everywhere. */
    id: Type.Optional(Type.String({ pattern: '^wh-[0-9a-z-]{1,40}$' })),
    min_severity: Type.Enum(['info', 'warning', 'critical'], { default: 'warning' }),
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
    const { url, secret, min_severity, id } = request.body;
    const hook = webhooks.add(url, min_severity, secret, id);
    // the secret is shown once, to the one who registers the webhook
    return reply.status(201).send({ ...publicView(hook), secret: hook.secret });
  });

  app.delete('/api/webhooks/:id', { schema: { params: WebhookId } }, async (request, reply) => {
    const hook = webhooks.get(request.params.id);
    if (!hook)
      return reply
        .status(404)
        .send({ error: { code: 'NOT_FOUND', message: `no webhook ${request.params.id}` } });
    if (hook.configured) {
      return reply.status(409).send({
        error: {
          code: 'CONFLICT',
          message: `webhook ${hook.id} comes from WEBHOOK_URLS; change the environment to remove it`,
        },
      });
    }
    webhooks.remove(hook.id);
    return reply.status(204).send();
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
