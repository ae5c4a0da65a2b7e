import Type from 'typebox';

/** An instant with its zone, normalised by producers to UTC (`2025-05-28T15:04:05.000Z`). */
export const Timestamp = Type.String({ format: 'date-time', maxLength: 40 });

/** A calendar day, `YYYY-MM-DD`, in UTC. */
export const CalendarDate = Type.String({ format: 'date', maxLength: 10 });

/** Identifiers users type or systems generate: printable, bounded, never empty. */
export const Label = (maxLength = 64) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001f]+$' });

export const ProductId = Label(64);
export const StoreLocation = Label(64);
export const Category = Label(64);

/** Bounds that keep every quantity and money sum exact in IEEE doubles and far from absurd. */
export const MAX_QUANTITY = 1_000_000_000;
export const MAX_PRICE = 10_000_000;

export const Severity = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);
