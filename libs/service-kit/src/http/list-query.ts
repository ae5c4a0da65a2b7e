import Type from 'typebox';
import type { SqliteDatabase } from '../database.js';

/** Ascending (1) or descending (-1). */
export type Direction = 1 | -1;
/** A list's order: columns, each ascending or descending; the first column decides first. */
export type Order = readonly (readonly [column: string, direction: Direction])[];

/** Longest `q` a list takes: a search box's text, not a document. */
export const MAX_SEARCH_LENGTH = 128;

/** A `severity` column sorted by rank (info < warning < critical), as the gateway merges it. */
export const SEVERITY_RANK_SQL =
  "CASE severity WHEN 'info' THEN 0 WHEN 'warning' THEN 1 WHEN 'critical' THEN 2 END";

/**
 * The query parameters every server-paged list takes besides its filters: `sort` (comma-separated columns,
 * `-` for descending, e.g. `-quantity,product_id`) and `q` (case-insensitive substring search over its text
 * columns; empty searches nothing).
 */
export const SortParam = Type.Optional(
  Type.String({ maxLength: 512, description: 'columns, comma-separated; a leading - sorts descending' }),
);
export const SearchParam = Type.Optional(
  Type.String({
    maxLength: MAX_SEARCH_LENGTH,
    description: 'case-insensitive substring of the text columns',
  }),
);

/**
 * A 400 naming a query parameter, shaped as the kit's validation errors are (`VALIDATION_ERROR`, details
 * `[{field: 'querystring.<name>', message}]`): thrown from a handler, the kit's error handler answers it.
 */
export function queryError(parameter: string, message: string): Error {
  return Object.assign(new Error(`querystring.${parameter} ${message}`), {
    statusCode: 400,
    validationContext: 'querystring',
    validation: [{ instancePath: `/${parameter}`, schemaPath: '', keyword: parameter, params: {}, message }],
  });
}

/**
 * The order a `sort` parameter asks for, with the list's default order appended as the tie-break (columns the
 * request names already are not repeated), so that pages are stable; the default alone without `sort`.
 * `known`: the columns the list sorts by — anything else is a 400 naming `sort` and the column. Without it
 * (the gateway, which leaves judging to the services) names are taken as they are.
 */
export function parseSort(text: string | undefined, defaults: Order, known?: readonly string[]): Order {
  if (text === undefined || text === '') return defaults;
  const asked: [string, Direction][] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const column = part.startsWith('-') ? part.slice(1) : part;
    if (!column) throw queryError('sort', `has an empty column name (in '${text}')`);
    if (known && !known.includes(column))
      throw queryError('sort', `cannot sort by '${column}'; sortable columns: ${known.join(', ')}`);
    if (asked.some(([c]) => c === column)) throw queryError('sort', `names '${column}' twice`);
    asked.push([column, part.startsWith('-') ? -1 : 1]);
  }
  return [...asked, ...defaults.filter(([c]) => !asked.some(([a]) => a === c))];
}

/**
 * `ORDER BY` terms for an order, each column through the list's map of columns to SQL expressions: only those
 * expressions reach the SQL, never the request's text. SQLite puts NULL first ascending, last descending, and
 * compares text by its bytes — as `compareBy` does.
 */
export function orderBySql(order: Order, columns: Readonly<Record<string, string>>): string {
  return order
    .map(([column, direction]) => {
      const sql = columns[column];
      if (sql === undefined) throw new Error(`no SQL for the sort column '${column}'`);
      return `${sql} ${direction < 0 ? 'DESC' : 'ASC'}`;
    })
    .join(', ');
}

/**
 * A condition true when `q` is absent or a substring of any of the columns, case-insensitively (SQLite's LIKE
 * folds ASCII letters), with `@<param>` bound to `likePattern(q)`.
 */
export function searchSql(columns: readonly string[], param = 'q'): string {
  return `(@${param} IS NULL OR ${columns.map((c) => `${c} LIKE @${param} ESCAPE '\\'`).join(' OR ')})`;
}

/** `q` as a LIKE pattern matching it literally anywhere (its `%`, `_` and `\` escaped); null for no search. */
export const likePattern = (q: string | undefined): string | null =>
  q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;

/** A field's value in an item, by default the property of that name. */
export type FieldOf<T extends object = Record<string, unknown>> = (item: T, column: string) => unknown;

/**
 * Items compared in an order as SQLite sorts rows: absent and null first ascending (last descending), text by
 * its UTF-8 bytes (JavaScript's < compares UTF-16 units, which differ past U+FFFF), numbers by value.
 */
export const compareBy =
  <T extends object = Record<string, unknown>>(
    order: Order,
    field: FieldOf<T> = (item, column) => (item as Record<string, unknown>)[column],
  ) =>
  (a: T, b: T): number => {
    for (const [column, direction] of order) {
      const x = field(a, column);
      const y = field(b, column);
      if (x === y) continue;
      if (x === undefined || x === null) return -direction;
      if (y === undefined || y === null) return direction;
      const sign =
        typeof x === 'string' && typeof y === 'string'
          ? Buffer.compare(Buffer.from(x), Buffer.from(y))
          : (x as number) < (y as number)
            ? -1
            : 1;
      return sign * direction;
    }
    return 0;
  };

/** What a server-paged list reads: `SELECT <select> <from> <where>`, its sort columns as SQL, its count's FROM. */
export interface PagedList {
  select: string;
  /** The FROM clause with its joins. */
  from: string;
  /** The WHERE clause (`WHERE …`), the same for the page and its total. */
  where: string;
  /** The sort columns' SQL (see `orderBySql`). */
  sorts: Readonly<Record<string, string>>;
  /** A narrower FROM for the total, when the joins only add columns (default `from`). */
  countFrom?: string;
}

/** One page of a list in `order`, and how many rows the whole filtered list has. */
export function selectPage<Row>(
  db: SqliteDatabase,
  list: PagedList,
  order: Order,
  params: Record<string, unknown>,
  page: { limit: number; offset: number },
): { rows: Row[]; total: number } {
  const rows = db
    .prepare(
      `SELECT ${list.select} ${list.from} ${list.where} ORDER BY ${orderBySql(order, list.sorts)}
       LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: page.limit, offset: page.offset }) as Row[];
  const total = db
    .prepare(`SELECT COUNT(*) ${list.countFrom ?? list.from} ${list.where}`)
    .pluck()
    .get(params) as number;
  return { rows, total };
}
