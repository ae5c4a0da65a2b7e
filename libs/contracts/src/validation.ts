import { Compile, type Validator } from 'typebox/compile';
import type { TSchema } from 'typebox';
import {
  createEnvelope,
  EnvelopeSchema,
  type Envelope,
  type EnvelopeMeta,
  type UnknownEnvelope,
} from './envelope.js';
import { topicOfPartition } from './partitions.js';
import { isTopicName, Topics, topicNames, type PayloadOf, type TopicName } from './topics.js';

export interface ValidationIssue {
  /** JSON pointer into the checked value, e.g. `/payload/quantity`; empty for the value itself. */
  path: string;
  message: string;
}

/** A payload or envelope that breaks its topic's contract. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(
    readonly topic: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`${topic}: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`);
  }
}

const compiled = new Map<TSchema, Validator>();
function validatorFor(schema: TSchema): Validator {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  return validator;
}
// Compile every contract once at load, not on the first message of a hot path.
for (const name of topicNames) validatorFor(Topics[name].schema);
const envelopeValidator = validatorFor(EnvelopeSchema);

/** Checks `value` against `schema`; returns every issue (at most `limit`), or [] when valid. */
export function check(schema: TSchema, value: unknown, prefix = '', limit = 20): ValidationIssue[] {
  const validator = validatorFor(schema);
  if (validator.Check(value)) return [];
  const issues: ValidationIssue[] = [];
  for (const error of validator.Errors(value)) {
    // typebox reports `additionalProperties: false` twice (the property and the object); keep the clearer one
    if (error.keyword === 'boolean') continue;
    issues.push({ path: prefix + error.instancePath, message: error.message });
    if (issues.length >= limit) break;
  }
  return issues.length ? issues : [{ path: prefix, message: 'is invalid' }];
}

/** A validated message, ready for `MessageBus.publishMany` or an outbox. */
export interface OutgoingMessage<T extends string = string> {
  topic: T;
  key: string;
  envelope: UnknownEnvelope;
}

/** Builds and validates a message for `topic`; throws ContractViolation when the payload breaks the contract. */
export function message<T extends TopicName>(
  topic: T,
  payload: PayloadOf<T>,
  meta: EnvelopeMeta,
): OutgoingMessage<T> {
  const envelope = createEnvelope(topic, payload, meta);
  assertValidEnvelope(topic, envelope);
  return { topic, key: Topics[topic].key(payload as never), envelope };
}

/**
 * Validates an envelope for `topic`: the envelope shape always; for the five contract topics also the type,
 * the version and the payload. Other topics (dead letters, tools) carry any payload.
 */
export function envelopeIssues(name: string, envelope: unknown): ValidationIssue[] {
  if (!envelopeValidator.Check(envelope)) return check(EnvelopeSchema, envelope);
  const topic = topicOfPartition(name); // a partition of a topic carries the topic's contract
  if (!isTopicName(topic)) return [];
  const { type, version, payload } = envelope as UnknownEnvelope;
  const contract = Topics[topic];
  if (type !== contract.type) {
    return [{ path: '/type', message: `must be '${contract.type}' on ${topic} (got '${type}')` }];
  }
  if (version !== contract.version) {
    return [{ path: '/version', message: `must be ${contract.version} on ${topic} (got ${version})` }];
  }
  return check(contract.schema, payload, '/payload');
}

export function assertValidEnvelope(topic: string, envelope: unknown): asserts envelope is UnknownEnvelope {
  const issues = envelopeIssues(topic, envelope);
  if (issues.length) throw new ContractViolation(topic, issues);
}

export type DecodeResult<E> = { ok: true; envelope: E } | { ok: false; error: string };

/** Parses and validates a consumed message body. Never throws. */
export function decodeEnvelope<T extends TopicName>(
  topic: T,
  body: string | Buffer,
): DecodeResult<Envelope<T>>;
export function decodeEnvelope(topic: string, body: string | Buffer): DecodeResult<UnknownEnvelope>;
export function decodeEnvelope(topic: string, body: string | Buffer): DecodeResult<UnknownEnvelope> {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (err) {
    return { ok: false, error: `body is not JSON: ${(err as Error).message}` };
  }
  const issues = envelopeIssues(topic, value);
  if (issues.length) return { ok: false, error: new ContractViolation(topic, issues).message };
  return { ok: true, envelope: value as UnknownEnvelope };
}
