import type { Namespace, Socket } from 'socket.io';
import { toAckError } from './ws-ack.js';

/**
 * Admits a socket only when `authenticate` resolves; what it resolves to is kept in `socket.data[key]`.
 * A refusal reaches the client as `connect_error` with `err.data = { code, message }`.
 */
export function authenticateHandshake<T>(
  namespace: Namespace,
  key: string,
  authenticate: (socket: Socket) => Promise<T>,
): void {
  namespace.use((socket, next) => {
    authenticate(socket)
      .then((value) => {
        (socket.data as Record<string, unknown>)[key] = value;
        next();
      })
      .catch((error: unknown) => {
        const ackError = toAckError(error);
        next(Object.assign(new Error(ackError.message), { data: ackError }));
      });
  });
}
