import { StoreLocation } from '@stockpulse/contracts';
import type { FastifyPluginAsyncTypebox } from '@stockpulse/service-kit';
import Type from 'typebox';
import type { MutesRepository } from '../db/mutes.repository.js';

const MuteId = Type.Object({ id: Type.String({ pattern: '^mu-[0-9a-z-]{1,40}$' }) });
const NewMute = Type.Object(
  {
    /** Given by the gateway when it writes one mute to every replica (PARTITIONS > 1): one id everywhere. */
    id: Type.Optional(Type.String({ pattern: '^mu-[0-9a-z-]{1,40}$' })),
    /** The store muted (absent: every store). */
    store_location: Type.Optional(StoreLocation),
    /** The notification type muted, e.g. `below_reorder_point` (absent: every type). */
    type: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' })),
    /** From when (absent: now). */
    starts_at: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    ends_at: Type.String({ format: 'date-time', maxLength: 40 }),
    reason: Type.String({ maxLength: 300, default: '' }),
  },
  { additionalProperties: false },
);
const MAX_MS = 90 * 86_400_000;

const refuse = (field: string, message: string) => ({
  error: { code: 'VALIDATION_ERROR', message: `${field} ${message}`, details: [{ field, message }] },
});

/** `GET/POST /api/mutes`, `DELETE /api/mutes/:id`: windows in which webhooks are not called. */
export const mutesRoutes: FastifyPluginAsyncTypebox<{ mutes: MutesRepository }> = async (app, { mutes }) => {
  app.get('/api/mutes', async () => {
    const now = new Date().toISOString();
    const items = mutes.list().map((m) => ({ ...m, active: m.starts_at <= now && now < m.ends_at }));
    return { items, total: items.length };
  });

  app.post('/api/mutes', { schema: { body: NewMute } }, async (request, reply) => {
    const { id, store_location, type, reason } = request.body;
    const starts = request.body.starts_at ? Date.parse(request.body.starts_at) : Date.now();
    const ends = Date.parse(request.body.ends_at);
    if (!(ends > starts)) return reply.status(400).send(refuse('ends_at', 'must be after starts_at'));
    if (ends < Date.now()) return reply.status(400).send(refuse('ends_at', 'must be in the future'));
    if (ends - starts > MAX_MS)
      return reply.status(400).send(refuse('ends_at', 'at most 90 days after starts_at'));
    const mute = mutes.add({
      ...(id ? { id } : {}),
      store_location: store_location ?? null,
      type: type ?? null,
      starts_at: new Date(starts).toISOString(),
      ends_at: new Date(ends).toISOString(),
      reason,
    });
    return reply.status(201).send(mute);
  });

  app.delete('/api/mutes/:id', { schema: { params: MuteId } }, async (request, reply) => {
    if (mutes.remove(request.params.id)) return reply.status(204).send();
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no mute ${request.params.id}` } });
  });
};
