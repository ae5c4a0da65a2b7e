import Type, { type Static, type TObject, type TProperties } from 'typebox';
import Value from 'typebox/value';

const FLAG_VALUES = [
  'on',
  'off',
  'true',
  'false',
  '1',
  '0',
  'yes',
  'no',
  'ON',
  'OFF',
  'TRUE',
  'FALSE',
  'YES',
  'NO',
];

/** A TCP port, with its default. */
/** The base URL of another service (http or https, a host, no trailing path needed). */
export const Url = (defaultUrl: string) =>
  Type.String({ default: defaultUrl, pattern: '^https?://[^\\s/]+' });

export const Port = (defaultPort: number) =>
  Type.Integer({ minimum: 0, maximum: 65535, default: defaultPort });

/**
 * An on/off switch: `on`, `true`, `1`, `yes` or `off`, `false`, `0`, `no` (any case). Read it with `isOn`.
 */
export const Flag = (defaultOn: boolean) =>
  Type.Enum(
    ['on', 'off', 'true', 'false', '1', '0', 'yes', 'no', 'ON', 'OFF', 'TRUE', 'FALSE', 'YES', 'NO'],
    {
      default: defaultOn ? 'on' : 'off',
    },
  );

export const isOn = (value: string | undefined): boolean =>
  ['on', 'true', '1', 'yes'].includes(String(value).toLowerCase());

/** Variables every service reads (INTERFACE.md, "Environment"). */
export const CommonEnv = {
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  BUS: Type.Enum(['embedded', 'pulsar'], { default: 'embedded' }),
  PULSAR_URL: Type.String({ default: 'pulsar://localhost:6650', pattern: '^pulsar(\\+ssl)?://.+' }),
  /** Pulsar's admin REST API and WebSocket API (default: PULSAR_URL's host, port 8080). */
  PULSAR_ADMIN_URL: Type.Optional(Type.String({ pattern: '^https?://.+' })),
  /** `native` (pulsar-client), `websocket` (Pulsar's WebSocket API) or `auto` (native where it loads). */
  PULSAR_CLIENT: Type.Enum(['auto', 'native', 'websocket'], { default: 'auto' }),
  /** The Pulsar namespace of the topics (`tenant/namespace`): several platforms can share one cluster. */
  PULSAR_NAMESPACE: Type.String({ default: 'public/default', pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' }),
  /** The listener of a broker that advertises several (the native client; e.g. `external` in compose.dev). */
  PULSAR_LISTENER_NAME: Type.Optional(Type.String({ minLength: 1 })),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  /** Writes under /api need it (x-api-key or Authorization: Bearer); reads too when READ_API_KEY is set. */
  API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  READ_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /** Pretty, coloured log lines instead of JSON (default: only when stdout is a terminal). */
  LOG_PRETTY: Type.Optional(Type.Enum(FLAG_VALUES)),
  /** Set by `pnpm start`: the service stops by itself when this process (its launcher) is gone. */
  PARENT_PID: Type.Optional(Type.Integer({ minimum: 1 })),
  /** How long acknowledged messages stay on the embedded bus. */
  BUS_RETENTION_MS: Type.Integer({ minimum: 0, default: 3_600_000 }),
  /**
   * Page cache of the service's store, per process. SQLite's default (2 MB) stops holding the indexes a
   * service writes at random once its store passes a few hundred MB, and every event then reads pages back.
   */
  SQLITE_CACHE_MB: Type.Integer({ minimum: 1, maximum: 4096, default: 64 }),
  /** Deliveries of a message whose handler throws before it goes to its dead-letter topic (first included). */
  BUS_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  /** Delay before the second delivery, doubled for each further one up to BUS_RETRY_MAX_MS. */
  BUS_RETRY_BASE_MS: Type.Integer({ minimum: 1, maximum: 3_600_000, default: 500 }),
  BUS_RETRY_MAX_MS: Type.Integer({ minimum: 1, maximum: 86_400_000, default: 60_000 }),
  /** Partitions of the stores (contracts' partitionOf): each stateful service runs one replica per partition. */
  PARTITIONS: Type.Integer({ minimum: 1, maximum: 64, default: 1 }),
  /** This replica's index, 0 … PARTITIONS − 1: the partition it owns (its port is the service's + 10 × it). */
  REPLICA: Type.Integer({ minimum: 0, maximum: 63, default: 0 }),
} satisfies TProperties;

/** A replica index the partitions do not have is refused at boot, naming both. */
export function checkReplica(config: { PARTITIONS: number; REPLICA: number }): void {
  if (config.REPLICA >= config.PARTITIONS) {
    throw new ConfigError(
      `REPLICA=${config.REPLICA} is out of range: with PARTITIONS=${config.PARTITIONS} the replicas are 0–${config.PARTITIONS - 1}`,
    );
  }
}

export const serviceEnv = <P extends TProperties>(properties: P) =>
  Type.Object({ ...CommonEnv, ...properties });

export type CommonConfig = Static<TObject<typeof CommonEnv>>;

/** Configuration that breaks its schema; names every bad variable and why. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads a service's configuration from the environment, once, at boot: applies defaults, converts strings to
 * the declared types, and fails fast with every bad variable named. Unknown variables are ignored (the
 * environment holds much else), empty ones count as unset.
 */
export function loadConfig<S extends TObject>(schema: S, env: NodeJS.ProcessEnv = process.env): Static<S> {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const value = Value.Convert(schema, Value.Default(schema, input));
  if (Value.Check(schema, value)) return value;
  const problems = [...Value.Errors(schema, value)].map((e) => {
    const params = e.params as { requiredProperties?: string[]; allowedValues?: unknown[] };
    const name = e.instancePath.slice(1) || (params.requiredProperties ?? []).join(', ');
    const message = params.allowedValues ? `must be one of ${params.allowedValues.join(', ')}` : e.message;
    const given = env[name];
    return `${name} ${message}${given === undefined ? '' : ` (got '${given}')`}`;
  });
  throw new ConfigError(`invalid configuration: ${[...new Set(problems)].join('; ')}`);
}
