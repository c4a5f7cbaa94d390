import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { toClientError } from './client-errors.js';
import type { AckError, ErrorCode } from '../realtime/contracts/common.js';

const CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  429: 'rate_limited',
};

export function toAckError(error: unknown): AckError {
  error = toClientError(error) ?? error;
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const raw = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
    const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : error.message;
    const retryAfter =
      typeof response === 'object' && response !== null ? (response as { retryAfterSeconds?: unknown }).retryAfterSeconds : undefined;
    return {
      code: CODES[error.getStatus()] ?? 'internal',
      message,
      ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
    };
  }
  return { code: 'internal', message: 'Something went wrong; the request was not applied.' };
}

/**
 * Socket handlers answer through the acknowledgement callback: `{ ok: false, error }` on failure,
 * so a client can tell a rejected request from a lost one.
 */
@Catch()
export class WsAckExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SocketHandler');

  catch(error: unknown, host: ArgumentsHost): void {
    const ackError = toAckError(error);
    if (ackError.code === 'internal') this.logger.error(error);
    const ack = host.getArgs().find((arg): arg is (body: unknown) => void => typeof arg === 'function');
    if (ack) {
      ack({ ok: false, error: ackError });
      return;
    }
    host.switchToWs().getClient<Socket>().emit('error', ackError);
  }
}
