import { uuidv7 } from 'uuidv7';
import Type, { type Static } from 'typebox';
import { Topics, type PayloadOf, type TopicName } from './topics.js';

/** The one envelope every message travels in, whatever the topic and the broker. */
export const EnvelopeSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128 }),
  type: Type.String({ minLength: 1, maxLength: 64 }),
  version: Type.Integer({ minimum: 1 }),
  occurred_at: Type.String({ format: 'date-time' }),
  correlation_id: Type.String({ minLength: 1, maxLength: 128 }),
  causation_id: Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()]),
  producer: Type.String({ minLength: 1, maxLength: 64 }),
  payload: Type.Unknown(),
});

export type UnknownEnvelope = Static<typeof EnvelopeSchema>;
export type Envelope<T extends TopicName> = Omit<UnknownEnvelope, 'payload'> & { payload: PayloadOf<T> };

export interface EnvelopeMeta {
  /**
   * Defaults to a new UUID v7: time-ordered, so the inboxes that record message ids append to their index
   * instead of writing a random page per message. Give a stable id to make re-publishing the same fact
   * idempotent downstream.
   */
  id?: string;
  producer: string;
  /** Defaults to now. */
  occurredAt?: Date | string;
  /** Inherited from the message that caused this one; defaults to this message's id. */
  correlationId?: string;
  causationId?: string | null;
}

/** Metadata for a message caused by `cause`: same correlation, causation = cause's id. */
export const causedBy = (
  cause: Pick<UnknownEnvelope, 'id' | 'correlation_id'>,
  producer: string,
): EnvelopeMeta => ({
  producer,
  correlationId: cause.correlation_id,
  causationId: cause.id,
});

/** Wraps a payload in the envelope. Does not validate: see `message()` for the validated path. */
export function createEnvelope<T extends TopicName>(
  topic: T,
  payload: PayloadOf<T>,
  meta: EnvelopeMeta,
): Envelope<T> {
  const id = meta.id ?? uuidv7();
  const occurred = meta.occurredAt ?? new Date();
  return {
    id,
    type: Topics[topic].type,
    version: Topics[topic].version,
    occurred_at: typeof occurred === 'string' ? occurred : occurred.toISOString(),
    correlation_id: meta.correlationId ?? id,
    causation_id: meta.causationId ?? null,
    producer: meta.producer,
    payload,
  };
}
