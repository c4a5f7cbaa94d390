import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/staff-auth.guard.js';
import { agentReportCsv, queueReportCsv, reportFilename, responseFormat } from './domain/report-csv.js';
import { AgentReportQuery, ReportQuery } from './report-query.dto.js';
import { ReportsService } from './reports.service.js';
import { Audited } from '../audit/audited.js';

@ApiTags('reports')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Roles('supervisor', 'admin')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Per queue and bucket: volume, answers and SLA, wait, first response, handle time, abandonment, transfers. */
  @Audited('report.read')
  @Get('queues')
  async queues(
    @Query() query: ReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const report = await this.reports.queues(query);
    res.vary('Accept');
    if (responseFormat(query.format, accept) === 'json') return report;
    return csv(res, reportFilename('queues', report), queueReportCsv(report.rows));
  }

  /** Per agent and bucket: conversations handled, handle and first response time, transfers out, offers missed. */
  @Audited('report.read')
  @Get('agents')
  async agents(
    @Query() query: AgentReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const report = await this.reports.agents(query);
    res.vary('Accept');
    if (responseFormat(query.format, accept) === 'json') return report;
    return csv(res, reportFilename('agents', report), agentReportCsv(report.rows));
  }
}

function csv(res: Response, filename: string, body: string): string {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  return body;
}
