import { BadRequestException, Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import type { Response } from 'express';
import { once } from 'node:events';
import { Audited } from '../audit/audited.js';
import { Roles } from '../auth/staff-auth.guard.js';
import { compact } from '../reports/domain/report-csv.js';
import { TranscriptsService } from './transcripts.service.js';

/** The longest period one export covers. */
export const EXPORT_MAX_DAYS = 366;

export class ExportQuery {
  @ApiProperty({
    example: '2026-11-01T00:00:00Z',
    description: 'Conversations started from (inclusive), ISO 8601',
  })
  @IsISO8601({ strict: true })
  from: string;

  @ApiProperty({
    example: '2026-12-01T00:00:00Z',
    description: `To (exclusive); at most ${EXPORT_MAX_DAYS} days after from`,
  })
  @IsISO8601({ strict: true })
  to: string;
}

@ApiTags('admin')
@ApiBearerAuth()
@ApiProduces('application/x-ndjson')
@Roles('admin')
@Controller('admin/export')
export class ExportController {
  constructor(private readonly transcripts: TranscriptsService) {}

  /**
   * Every conversation started in the period, whole — conversation, contact, every message with its
   * attachments and internal notes, and its history of events — one JSON object per line, oldest
   * first, streamed as it is read. For an archive outside Switchboard; recorded in the audit log.
   */
  @Get('conversations')
  @Audited('conversation.export')
  async conversations(@Query() query: ExportQuery, @Res() res: Response): Promise<void> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (from >= to) throw new BadRequestException('from must be before to');
    if (to.getTime() - from.getTime() > EXPORT_MAX_DAYS * 86_400_000) {
      throw new BadRequestException(`An export covers at most ${EXPORT_MAX_DAYS} days`);
    }
    res.status(200);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="switchboard-conversations-${compact(from.toISOString())}-${compact(to.toISOString())}.ndjson"`,
    );
    try {
      await this.transcripts.exportStarted(from, to, async (transcript) => {
        if (res.destroyed) throw new Error('the client went away');
        // Waits while the client reads slower than the database gives.
        if (!res.write(`${JSON.stringify(transcript)}\n`))
          await Promise.race([once(res, 'drain'), once(res, 'close')]);
      });
      res.end();
    } catch (error) {
      // Headers are gone: cut the stream, so the file is visibly incomplete rather than silently short.
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
