import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Public } from '../auth/staff-auth.guard.js';
import { AttachmentsService } from './attachments.service.js';
import { contentDisposition } from './domain/file-name.js';
import { isInline } from './domain/file-type.js';

/**
 * `GET /files/:id?expires=…&signature=…`: an attachment behind a signed, short-lived URL. The URL is
 * the permission (it is only ever given to the conversation's customer and staff who may read it), so
 * no token is needed and an `<img>` on the customer's page can load it.
 */
@ApiExcludeController()
@Public()
@Controller('files')
export class FilesController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get(':id')
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('expires') expires: unknown,
    @Query('signature') signature: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { file, stream } = await this.attachments.open(id, expires, signature);
    response.status(200);
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Content-Length', String(file.size));
    response.setHeader(
      'Content-Disposition',
      contentDisposition(isInline(file.contentType) ? 'inline' : 'attachment', file.fileName),
    );
    response.setHeader('X-Content-Type-Options', 'nosniff');
    // Opened directly, the file runs no script and reaches nothing; the widget's page may embed it.
    response.setHeader(
      'Content-Security-Policy',
      "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
    );
    response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Cache-Control', 'private, max-age=300');
    response.setHeader('Referrer-Policy', 'no-referrer');
    try {
      await pipeline(stream, response);
    } catch {
      // The client went away mid-download; nothing to answer.
    }
  }
}
