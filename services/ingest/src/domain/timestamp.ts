/**
 * ISO 8601 as INTERFACE.md reads it: a zone (`Z` or `±HH:MM`) is honoured, a date-time without a zone is
 * UTC, a date alone is 00:00 UTC. A space may stand for the `T` (the original system's generator wrote
 * `YYYY-MM-DD HH:MM:SS`). Returns the instant in UTC, or why the text is not one.
 */
const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

export type ParsedTimestamp = { ok: true; date: Date } | { ok: false; reason: string };

export function parseTimestamp(text: string): ParsedTimestamp {
  const m = PATTERN.exec(text.trim());
  if (!m)
    return {
      ok: false,
      reason: `must be an ISO 8601 date or date-time, e.g. 2025-05-28T15:04:05Z (got "${clip(text)}")`,
    };
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '0', zone] = m;
  if (!m[4] && zone) return { ok: false, reason: `a date alone cannot have a zone (got "${clip(text)}")` };
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Math.floor(Number(`0.${fraction}`) * 1000);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return { ok: false, reason: `is not a real date and time (got "${clip(text)}")` };
  }
  return { ok: true, date: new Date(utc - offsetMinutes(zone) * 60_000) };
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

export const clip = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max)}…` : text);
