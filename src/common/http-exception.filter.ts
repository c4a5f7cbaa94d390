import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { toClientError } from './client-errors.js';

/** Nest's own HTTP error handling, with refusals caused by the request (see client-errors) answered as 4xx. */
@Catch()
export class HttpExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(toClientError(exception) ?? exception, host);
  }
}
