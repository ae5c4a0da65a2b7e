import { loadPulsarClient, PulsarUnavailableError } from './native/load-client.js';
import { NativeTransport } from './native/native-transport.js';
import { webSocketBase } from './names.js';
import type { PulsarTransport } from './transport.js';
import { WebSocketTransport } from './websocket/websocket-transport.js';

/** `native`: the official pulsar-client; `websocket`: Pulsar's WebSocket API; `auto`: native where it loads. */
export type PulsarClientChoice = 'auto' | 'native' | 'websocket';

export interface ChosenClient {
  transport: PulsarTransport;
  /** Which client and why, for the service's first log lines. */
  description: string;
}

/**
 * The client layer PULSAR_CLIENT asks for. `native` fails at once when pulsar-client's binding does not load
 * (PulsarUnavailableError, naming the fix); `auto` then takes the WebSocket API and says why.
 */
export function chooseClient(
  choice: PulsarClientChoice,
  target: { url: string; adminUrl: string; listenerName?: string | undefined },
  onError: (err: unknown) => void,
): ChosenClient {
  let unavailable: PulsarUnavailableError | undefined;
  if (choice !== 'websocket') {
    try {
      const module = loadPulsarClient();
      const transport = new NativeTransport(module, {
        url: target.url,
        onError,
        ...(target.listenerName ? { listenerName: target.listenerName } : {}),
      });
      return { transport, description: `pulsar-client (native) at ${target.url}` };
    } catch (err) {
      if (choice === 'native' || !(err instanceof PulsarUnavailableError)) throw err;
      unavailable = err;
    }
  }
  const transport = new WebSocketTransport(target.adminUrl, onError);
  const why = unavailable ? ` (PULSAR_CLIENT=auto: ${unavailable.reason})` : '';
  return { transport, description: `Pulsar's WebSocket API at ${webSocketBase(target.adminUrl)}${why}` };
}
