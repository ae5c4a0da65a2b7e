import { pino, type Logger, type LoggerOptions } from 'pino';
import { prettyFactory, type PrettyOptions } from 'pino-pretty';

export type { Logger, PrettyOptions };

/** Header and field names whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.API_KEY',
  '*.READ_API_KEY',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.token',
];

/** How a person reads stockpulse's records: wall-clock time to the millisecond, no pid or host name. */
const PRETTY_OPTIONS = { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } as const;

/**
 * One pino logger per process: JSON lines, pretty-printed only when a person watches the terminal (a TTY),
 * secrets redacted. Libraries get child loggers, never a logger of their own.
 */
export function createLogger(options: { service: string; level?: string; pretty?: boolean }): Logger {
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: PRETTY_OPTIONS } } : {}),
  };
  return pino(config);
}

/**
 * pino-pretty's formatter for records written by another process (the JSON lines `pnpm start` reads from
 * each service): one record in, its text out (ending in a newline), the same look as a pretty logger's
 * unless `options` say otherwise. A line that is not JSON comes back as it was.
 */
export function createPrettifier(options: PrettyOptions = {}): (record: string | object) => string {
  const pretty = prettyFactory({ ...PRETTY_OPTIONS, ...options });
  return (record) => pretty(record);
}
