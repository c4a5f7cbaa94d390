import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { ReportFormat } from './domain/report-csv.js';
import { MAX_REPORT_DAYS, REPORT_BUCKETS, type ReportBucket } from './domain/report-window.js';

const FORMATS: readonly ReportFormat[] = ['json', 'csv'];

/** The period and layout of a report; `from`/`to`/`timeZone` are checked together by `reportWindow`. */
export class ReportQuery {
  @ApiProperty({ example: '2026-11-01T00:00:00Z', description: 'Start, inclusive: ISO-8601 with an offset' })
  @IsString()
  @MaxLength(40)
  from: string;

  @ApiProperty({
    example: '2026-12-01T00:00:00Z',
    description: `End, exclusive; at most ${MAX_REPORT_DAYS} days after from`,
  })
  @IsString()
  @MaxLength(40)
  to: string;

  @ApiPropertyOptional({ enum: REPORT_BUCKETS, default: 'day' })
  @IsOptional()
  @IsIn(REPORT_BUCKETS)
  bucket?: ReportBucket;

  @ApiPropertyOptional({
    example: 'Europe/Berlin',
    default: 'UTC',
    description: 'IANA zone the buckets follow',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this queue' })
  @IsOptional()
  @IsUUID()
  queueId?: string;

  @ApiPropertyOptional({ enum: FORMATS, description: 'csv, or send Accept: text/csv; JSON otherwise' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: ReportFormat;
}

export class AgentReportQuery extends ReportQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this staff member' })
  @IsOptional()
  @IsUUID()
  agentId?: string;
}
