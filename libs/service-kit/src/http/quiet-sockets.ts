import type { Socket } from 'node:net';
import type { ServiceApp } from './create-app.js';

/**
 * On close, destroys the sockets with no request in progress: kept-alive ones, and ones a client opened but
 * never sent a request on (Node's `closeIdleConnections` leaves those, and they hold the server open until a
 * timeout). Requests in progress finish first: graceful shutdown keeps its answers.
 */
export function closeQuietSockets(app: ServiceApp): void {
  const busy = new Map<Socket, number>();
  app.server.on('connection', (socket: Socket) => {
    busy.set(socket, 0);
    socket.once('close', () => busy.delete(socket));
  });
  app.server.on(
    'request',
    (request: { socket: Socket }, response: { once(e: 'close', f: () => void): void }) => {
      const socket = request.socket;
      busy.set(socket, (busy.get(socket) ?? 0) + 1);
      response.once('close', () => busy.has(socket) && busy.set(socket, Math.max(0, busy.get(socket)! - 1)));
    },
  );
  // onClose would be too late: the server's close waits for these sockets before it runs
  app.addHook('preClose', async () => {
    for (const [socket, requests] of busy) if (requests === 0) socket.destroy();
  });
}
