import { parse as parseCsv } from 'csv-parse/sync';

export const MAX_RECORDS = 50_000;

export type ParsedBody =
  | { ok: true; records: unknown[]; text: boolean; lineErrors: Map<number, string> }
  | { ok: false; code: string; message: string };

export type BodyFormat = 'json' | 'ndjson' | 'csv';

/** Which format a Content-Type names (parameters such as `charset` ignored); undefined when unsupported. */
export function formatOf(contentType: string | undefined): BodyFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (
    ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'].includes(
      type,
    )
  ) {
    return 'ndjson';
  }
  if (type === 'text/csv') return 'csv';
  return undefined;
}

const tooMany = (n: number): ParsedBody => ({
  ok: false,
  code: 'TOO_MANY_RECORDS',
  message: `a request holds at most ${MAX_RECORDS} records (got ${n}); split it`,
});

/**
 * Splits a request body into records, each to be validated on its own. JSON: one object or an array of
 * them (already parsed by Fastify). NDJSON: one JSON object per line; a line that is not JSON becomes a
 * rejected record, the others go on. CSV: a header row with INTERFACE.md's field names; a file that is not
 * valid CSV (broken quoting, ragged rows) is refused whole.
 */
export function splitBody(format: BodyFormat, body: unknown): ParsedBody {
  if (format === 'json') {
    const records = Array.isArray(body) ? body : [body];
    if (typeof body !== 'object' || body === null) {
      return {
        ok: false,
        code: 'INVALID_BODY',
        message: 'the body must be a JSON object or an array of objects',
      };
    }
    if (records.length > MAX_RECORDS) return tooMany(records.length);
    return { ok: true, records, text: false, lineErrors: new Map() };
  }
  const text = typeof body === 'string' ? body : '';
  if (format === 'ndjson') {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    if (lines.length > MAX_RECORDS) return tooMany(lines.length);
    const lineErrors = new Map<number, string>();
    const records = lines.map((line, index) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (err) {
        lineErrors.set(index, `line ${index + 1} is not JSON: ${(err as Error).message}`);
        return undefined;
      }
    });
    return { ok: true, records, text: false, lineErrors };
  }
  try {
    const records: unknown[] = parseCsv(text, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    });
    if (records.length > MAX_RECORDS) return tooMany(records.length);
    return { ok: true, records, text: true, lineErrors: new Map() };
  } catch (err) {
    return {
      ok: false,
      code: 'INVALID_CSV',
      message: `the body is not valid CSV: ${(err as Error).message}`,
    };
  }
}
