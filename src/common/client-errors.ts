import { BadRequestException, ConflictException, type HttpException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { InvalidTransitionError } from '../conversations/domain/conversation-state.js';

/**
 * Refusals that are the client's doing, as the HTTP error they deserve, for both HTTP and socket
 * answers: a lifecycle step the conversation's state does not allow (e.g. closing a closed one) is a
 * conflict; a unique violation means two requests raced for the same name; a NUL character is text
 * PostgreSQL cannot store.
 */
export function toClientError(error: unknown): HttpException | null {
  if (error instanceof InvalidTransitionError) return new ConflictException(error.message);
  if (!(error instanceof QueryFailedError)) return null;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  if (code === '23505') return new ConflictException('That already exists');
  if (code === '22P05' || code === '22021') return new BadRequestException('Text must not contain NUL characters');
  return null;
}
