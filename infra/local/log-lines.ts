/**
 * What `pnpm start` prints for each line a service writes. Pretty (a terminal, or LOG_FORMAT=pretty): every
 * pino record through pino-pretty as one line — time, the process's name in its service's colour, the level,
 * the message, the other fields (an error's stack below it; a progress record's numbers are in its message).
 * JSON (stdout not a terminal, or LOG_FORMAT=json): records exactly as written. In both, a line that is not a
 * record (a stack trace, a Node warning) passes through after the process's name.
 */
import { styleText } from 'node:util';
import { createPrettifier } from '@stockpulse/service-kit';

export type LogFormat = 'pretty' | 'json';

/** LOG_FORMAT: `pretty` or `json`; unset, pretty exactly when stdout is a terminal. */
export function logFormat(value: string | undefined, stdoutIsTTY: boolean): LogFormat {
  if (value === 'pretty' || value === 'json') return value;
  if (value) throw new Error(`LOG_FORMAT must be pretty or json (got ${value})`);
  return stdoutIsTTY ? 'pretty' : 'json';
}

type Colour = Parameters<typeof styleText>[0];
/** One per service, in start order: processor cyan, forecaster magenta, … (anything else grey). */
const COLOURS: Colour[] = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'cyanBright', 'magentaBright'];
/** Width of pino-pretty's `HH:MM:ss.l`, so that lines passed through line up under the names. */
const TIME_WIDTH = 12;

export interface LineFormatOptions {
  format: LogFormat;
  /** ANSI colours (a terminal that has them). */
  colour: boolean;
  /** The services in start order: a service's place picks its colour. */
  services: readonly string[];
  /** The name column's width: the longest process name. */
  width: number;
}

/** `(name, line) => text` for one process's line (`name`: `processor`, or `processor#1` for a replica). */
export function createLineFormatter(options: LineFormatOptions): (name: string, line: string) => string {
  const prettifiers = new Map<string, (record: object) => string>();
  const label = (name: string) => {
    const index = options.services.indexOf(name.split('#')[0]!);
    const text = name.padEnd(options.width);
    // the caller has decided on colours (styleText alone would look at the launcher's stdout)
    return options.colour ? styleText(COLOURS[index] ?? 'gray', text, { validateStream: false }) : text;
  };
  const prettifier = (name: string) => {
    let pretty = prettifiers.get(name);
    if (!pretty) {
      const prefix = label(name);
      pretty = createPrettifier({
        colorize: options.colour,
        singleLine: true,
        ignore: 'pid,hostname,service,progress',
        customPrettifiers: {
          // the translated time (a string), then the process name
          time: (time) => `${time as string} ${prefix}`,
          // a warning's error in a word, an error's with its stack
          err: (err, _key, log) => errorText(err, (log as { level?: number }).level ?? 50),
        },
      });
      prettifiers.set(name, pretty);
    }
    return pretty;
  };
  return (name, line) => {
    const record = parseRecord(line);
    if (options.format === 'json') return record ? `${line}\n` : `${label(name)} │ ${line}\n`;
    if (!record || typeof record.level !== 'number' || typeof record.time !== 'number')
      return `${' '.repeat(TIME_WIDTH)} ${label(name)} ${line}\n`;
    return prettifier(name)(record).replace(/ +\n/g, '\n');
  };
}

function parseRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function errorText(err: unknown, level: number): string {
  if (!err || typeof err !== 'object') return String(err);
  const { message, stack } = err as { message?: unknown; stack?: unknown };
  if (level >= 50 && typeof stack === 'string') return stack;
  return typeof message === 'string' ? message : JSON.stringify(err);
}
