import Type from 'typebox';

const Name = Type.String({ minLength: 1, maxLength: 128 });

/** The filters every list of anomalies or notes takes, with paging. */
export const ListQuery = {
  detector: Type.Optional(Type.Enum(['rules', 'forecast_residual', 'isolation_forest', 'text'])),
  type: Type.Optional(Type.String({ pattern: '^[a-z_]{1,64}$' })),
  store: Type.Optional(Name),
  category: Type.Optional(Name),
  product: Type.Optional(Name),
  event_id: Type.Optional(Name),
  /** Event time, inclusive. */
  from: Type.Optional(Type.String({ format: 'date-time' })),
  /** Event time, exclusive. */
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
};

type Filters = Partial<
  Record<'detector' | 'type' | 'store' | 'category' | 'product' | 'event_id', string>
> & {
  from?: string | undefined;
  to?: string | undefined;
};

/** The WHERE clause of those filters, and its named parameters (null: not filtered). */
export function whereOf(q: Filters) {
  const params = {
    detector: q.detector ?? null,
    type: q.type ?? null,
    store: q.store ?? null,
    category: q.category ?? null,
    product: q.product ?? null,
    event_id: q.event_id ?? null,
    from: q.from ? new Date(q.from).toISOString() : null,
    to: q.to ? new Date(q.to).toISOString() : null,
  };
  const sql = `(@detector IS NULL OR detector = @detector) AND (@type IS NULL OR type = @type)
      AND (@store IS NULL OR store_location = @store) AND (@category IS NULL OR category = @category)
      AND (@product IS NULL OR product_id = @product) AND (@event_id IS NULL OR event_id = @event_id)
      AND (@from IS NULL OR event_timestamp >= @from) AND (@to IS NULL OR event_timestamp < @to)`;
  return { sql, params };
}

/** Drops the fields a row has as null (the event id of day-level findings, a verdict not given). */
export const present = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
