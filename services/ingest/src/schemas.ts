import { SearchParam, SortParam } from '@stockpulse/service-kit';
import Type from 'typebox';
import { ANOMALY_KINDS } from './domain/generator/anomalies.js';

export const FieldError = Type.Object({ field: Type.String(), message: Type.String() });
export const Rejected = Type.Object({ index: Type.Integer(), errors: Type.Array(FieldError) });

export const IngestResponse = Type.Object({
  accepted: Type.Integer({ description: 'new events stored and published' }),
  duplicates: Type.Integer({ description: 'records whose event id was already stored' }),
  rejected: Type.Array(Rejected),
});

export const ErrorResponse = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
});

const AnomalyKind = Type.Enum([...ANOMALY_KINDS]);

export const GenerateBody = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: 730, default: 180 })),
    stores: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 5 })),
    products: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 40 })),
    categories: Type.Optional(Type.Integer({ minimum: 1, maximum: 7, default: 5 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, default: 42 })),
    end: Type.Optional(
      Type.String({ format: 'date', description: 'first day after the history; default today (UTC)' }),
    ),
    rate: Type.Optional(
      Type.Number({ minimum: 0, maximum: 5000, default: 0, description: 'live events per second' }),
    ),
    anomalies: Type.Optional(
      Type.Union([
        Type.Integer({ minimum: 0, maximum: 10_000 }),
        Type.Object(
          {
            count: Type.Integer({ minimum: 0, maximum: 10_000 }),
            kinds: Type.Optional(Type.Array(AnomalyKind, { minItems: 1, uniqueItems: true })),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
  },
  { additionalProperties: false },
);

export const EventQuery = Type.Object(
  {
    store: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    product: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    q: SearchParam,
    sort: SortParam,
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
