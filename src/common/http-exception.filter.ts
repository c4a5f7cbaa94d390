import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { clientErrorFromDatabase } from './database-errors.js';

/** Nest's own HTTP error handling, with database refusals caused by the request answered as 4xx. */
@Catch()
export class HttpExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(clientErrorFromDatabase(exception) ?? exception, host);
  }
}
