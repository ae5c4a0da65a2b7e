import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

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
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
  return pino(config);
}
