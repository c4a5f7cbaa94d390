import { BadRequestException, Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { Response } from 'express';
import { Roles } from '../auth/staff-auth.guard.js';
import { responseFormat, toCsv, type Column, type ReportFormat } from '../reports/domain/report-csv.js';
import { Audited } from './audited.js';
import { AuditService, type AuditRecord } from './audit.service.js';

/** The most records one CSV export holds; narrow the period for more. */
export const AUDIT_EXPORT_MAX = 50_000;

export class AuditQuery {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'From (inclusive), ISO 8601' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'To (exclusive), ISO 8601' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only what this staff member did' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({
    example: 'queue.',
    description: 'An action, or a prefix ending in "." (every queue change)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  @Matches(/^[a-z][a-z0-9-]*(\.[a-z0-9-]*)*$/, {
    message: 'action must look like "queue.update" or "queue."',
  })
  action?: string;

  @ApiPropertyOptional({ description: 'Only records about this conversation, queue, staff member…' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  targetId?: string;

  @ApiPropertyOptional({ description: 'The `next` of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'before must be the next value of a previous page' })
  before?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'csv (every matching record), or send Accept: text/csv',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: ReportFormat;
}

const COLUMNS: readonly Column<AuditRecord>[] = [
  ['id', (r) => r.id],
  ['at', (r) => r.at],
  ['actor_id', (r) => r.actorId],
  ['actor_email', (r) => r.actorEmail],
  ['actor_role', (r) => r.actorRole],
  ['action', (r) => r.action],
  ['outcome', (r) => r.outcome],
  ['target_type', (r) => r.targetType],
  ['target_id', (r) => r.targetId],
  ['ip', (r) => r.ip],
  ['data', (r) => JSON.stringify(r.data)],
];

@ApiTags('admin')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Roles('admin')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * The audit log, newest first: JSON one page at a time (`next` → `before`), or CSV with every
   * matching record (at most AUDIT_EXPORT_MAX). Reading it is itself recorded.
   */
  @Get()
  @Audited('audit.read')
  async list(
    @Query() query: AuditQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const filter = {
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      actorId: query.actorId,
      action: query.action,
      targetId: query.targetId,
      before: query.before,
    };
    if (filter.from && filter.to && filter.from >= filter.to)
      throw new BadRequestException('from must be before to');
    res.vary('Accept');
    if (responseFormat(query.format, accept) === 'json')
      return this.audit.list({ ...filter, limit: query.limit ?? 100 });
    const { events, next } = await this.audit.list({ ...filter, limit: AUDIT_EXPORT_MAX });
    if (next !== null) {
      throw new BadRequestException(`More than ${AUDIT_EXPORT_MAX} records match: export a shorter period`);
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="switchboard-audit.csv"`);
    return toCsv(COLUMNS, events);
  }
}
