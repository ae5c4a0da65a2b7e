import { MAX_PRICE, MAX_QUANTITY, type InventoryEventPayload } from '@stockpulse/contracts';
import { deriveEventId } from './event-id.js';
import { clip, parseTimestamp } from './timestamp.js';

export interface FieldError {
  field: string;
  message: string;
}

/** A record as accepted: every field checked and normalised; `received_at` and `source` come later. */
export type AcceptedRecord = Omit<InventoryEventPayload, 'received_at' | 'source'>;

export type RecordResult = { ok: true; record: AcceptedRecord } | { ok: false; errors: FieldError[] };

export const FIELDS = [
  'event_id',
  'product_id',
  'store_location',
  'category',
  'description',
  'quantity',
  'units_sold',
  'units_received',
  'price',
  'event_timestamp',
] as const;
const KNOWN = new Set<string>(FIELDS);

/**
 * Identifiers start with a letter or digit and use a small set of punctuation, so an id can never be markup,
 * a spreadsheet formula (`=cmd|…`), or SQL (`'; DROP …`): names such as "Health & Beauty", "St. John's" or
 * "P-001/B" pass.
 */
const IDENTIFIER = /^[\p{L}\p{N}][\p{L}\p{N} _.,:/#&'()+-]*$/u;
/** Descriptions are free text, without control characters other than tab and newline. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u;

/** A future timestamp beyond this is a clock or data error, not an observation. */
const MAX_FUTURE_MS = 24 * 3600 * 1000;

/**
 * Validates one record on its own and normalises it: identifiers trimmed, the timestamp in UTC, numbers
 * from CSV text converted, `event_id` derived from the content when absent. Returns every problem, each
 * with its field and a plain reason.
 */
export function checkRecord(input: unknown, options: { now?: number; text?: boolean } = {}): RecordResult {
  const now = options.now ?? Date.now();
  const number = options.text ? numberFromText : numberFromJson;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '(record)', message: 'must be an object of fields' }] };
  }
  const raw = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => void errors.push({ field, message });

  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) fail(key, 'is not a known field');

  const id = (field: string, required: boolean, max: number): string | undefined => {
    const value = raw[field];
    if (value === undefined || value === null || value === '') {
      if (required) fail(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') return void fail(field, `must be text (got ${typeOf(value)})`);
    const text = value.trim();
    if (!text) return void fail(field, 'must not be blank');
    if (text.length > max) return void fail(field, `must be at most ${max} characters (got ${text.length})`);
    if (!IDENTIFIER.test(text)) {
      return void fail(
        field,
        `must start with a letter or digit and use only letters, digits, spaces and _ . , : / # & ' ( ) + - (got "${clip(text)}")`,
      );
    }
    return text;
  };

  const int = (field: string, min: number, max: number): number | undefined => {
    const value = number(raw[field], field, fail);
    if (value === undefined) return undefined;
    if (!Number.isInteger(value)) return void fail(field, `must be a whole number (got ${value})`);
    if (value < min || value > max)
      return void fail(field, `must be between ${min} and ${max} (got ${value})`);
    return value;
  };

  const eventId = id('event_id', false, 128);
  const productId = id('product_id', true, 64);
  const store = id('store_location', true, 64);
  const category = id('category', true, 64);

  let description: string | undefined;
  const rawDescription = raw.description;
  if (rawDescription !== undefined && rawDescription !== null && rawDescription !== '') {
    if (typeof rawDescription !== 'string')
      fail('description', `must be text (got ${typeOf(rawDescription)})`);
    else if (rawDescription.length > 1000)
      fail('description', `must be at most 1000 characters (got ${rawDescription.length})`);
    else if (CONTROL.test(rawDescription)) fail('description', 'must not contain control characters');
    else description = rawDescription.trim() || undefined;
  }

  const quantity = int('quantity', -MAX_QUANTITY, MAX_QUANTITY);
  const unitsSold = int('units_sold', 0, MAX_QUANTITY);
  const unitsReceived = int('units_received', 0, MAX_QUANTITY);
  const quantityGiven = raw.quantity !== undefined && raw.quantity !== null && raw.quantity !== '';
  const soldGiven = raw.units_sold !== undefined && raw.units_sold !== null && raw.units_sold !== '';
  if (!quantityGiven && !soldGiven) fail('quantity', 'is required unless units_sold is given');

  let price: number | undefined;
  if (raw.price === undefined || raw.price === null || raw.price === '') fail('price', 'is required');
  else {
    price = number(raw.price, 'price', fail);
    if (price !== undefined && (price < 0 || price > MAX_PRICE)) {
      fail('price', `must be between 0 and ${MAX_PRICE} (got ${price})`);
      price = undefined;
    }
  }

  let eventTimestamp: string | undefined;
  const ts = raw.event_timestamp;
  if (ts === undefined || ts === null || ts === '') fail('event_timestamp', 'is required');
  else if (typeof ts !== 'string') fail('event_timestamp', `must be an ISO 8601 text (got ${typeOf(ts)})`);
  else {
    const parsed = parseTimestamp(ts);
    if (!parsed.ok) fail('event_timestamp', parsed.reason);
    else if (parsed.date.getTime() > now + MAX_FUTURE_MS)
      fail('event_timestamp', `is more than a day in the future (${parsed.date.toISOString()})`);
    else if (parsed.date.getUTCFullYear() < 1970) fail('event_timestamp', 'must not be before 1970');
    else eventTimestamp = parsed.date.toISOString();
  }

  if (errors.length) return { ok: false, errors };
  const record: AcceptedRecord = {
    event_id: '',
    product_id: productId!,
    store_location: store!,
    category: category!,
    ...(description !== undefined ? { description } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
    ...(unitsSold !== undefined ? { units_sold: unitsSold } : {}),
    ...(unitsReceived !== undefined ? { units_received: unitsReceived } : {}),
    price: price!,
    event_timestamp: eventTimestamp!,
  };
  record.event_id = eventId ?? deriveEventId(record);
  return { ok: true, record };
}

type Fail = (field: string, message: string) => void;

/** JSON records: a number must be a JSON number ("42" in quotes is text, not a number). */
function numberFromJson(value: unknown, field: string, fail: Fail): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'number') return void fail(field, `must be a number (got ${typeOf(value)})`);
  if (!Number.isFinite(value)) return void fail(field, `must be a finite number (got ${value})`);
  if (Number.isInteger(value) && !Number.isSafeInteger(value))
    return void fail(field, `is too large to be exact (got ${value})`);
  return value;
}

/** CSV cells are text: a plain decimal number, nothing else (no NaN, Infinity, hex or thousands separators). */
function numberFromText(value: unknown, field: string, fail: Fail): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return numberFromJson(value, field, fail);
  const text = value.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text))
    return numberFromJson(Number(text), field, fail);
  return void fail(field, `must be a number (got "${clip(text)}")`);
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${clip(value)}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}
