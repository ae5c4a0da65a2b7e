import WebSocket from 'ws';

/** A connection to Pulsar's WebSocket API that the broker refused or could not open. */
export class PulsarSocketError extends Error {
  override readonly name = 'PulsarSocketError';
  constructor(
    message: string,
    /** The HTTP status of a refused upgrade (409: an exclusive subscription has a consumer), else 0. */
    readonly status = 0,
  ) {
    super(message);
  }
}

/**
 * Opens one WebSocket to the broker and resolves when it is open. A refused upgrade rejects with the broker's
 * status and reason (e.g. `409 Failed to subscribe: Exclusive consumer is already connected`).
 */
export function openSocket(url: string, timeoutMs = 30_000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
    const fail = (err: Error) => {
      socket.removeAllListeners('open');
      reject(err);
    };
    socket.once('open', () => {
      socket.removeAllListeners('unexpected-response');
      resolve(socket);
    });
    socket.once('error', (err) => fail(new PulsarSocketError(`${where(url)}: ${err.message}`)));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        const reason = /<title>([^<]*)<\/title>/i.exec(body)?.[1] ?? res.statusMessage ?? '';
        fail(new PulsarSocketError(`${where(url)}: ${res.statusCode} ${reason}`.trim(), res.statusCode));
        socket.terminate();
      });
    });
  });
}

const where = (url: string) => `Pulsar WebSocket ${new URL(url).pathname}`;
