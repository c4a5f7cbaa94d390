import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import {
  agentReportRow,
  queueReportRow,
  type AgentReportRow,
  type QueueReportRow,
} from './domain/report-rows.js';
import {
  reportHeading,
  reportWindow,
  type ReportHeading,
  type ReportWindow,
} from './domain/report-window.js';
import type { AgentReportQuery, ReportQuery } from './report-query.dto.js';
import { agentAggregates, queueAggregates } from './reports.repository.js';

export interface Report<R> extends ReportHeading {
  rows: R[];
}

/** Queue and agent reports over a period, read from the conversation history. */
@Injectable()
export class ReportsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async queues(query: ReportQuery): Promise<Report<QueueReportRow>> {
    const window = this.window(query);
    const aggregates = await this.zoned(queueAggregates(this.db, window, query.queueId ?? null));
    return this.report(window, aggregates.map(queueReportRow));
  }

  async agents(query: AgentReportQuery): Promise<Report<AgentReportRow>> {
    const window = this.window(query);
    const filters = { queueId: query.queueId ?? null, agentId: query.agentId ?? null };
    const aggregates = await this.zoned(agentAggregates(this.db, window, filters));
    return this.report(window, aggregates.map(agentReportRow));
  }

  private window(query: ReportQuery): ReportWindow {
    const result = reportWindow(query);
    if (!result.ok) throw new BadRequestException(result.problems);
    return result.window;
  }

  private report<R>(window: ReportWindow, rows: R[]): Report<R> {
    return { ...reportHeading(window), rows };
  }

  /** Intl and PostgreSQL each ship their own zone database: a zone only the first knows is still a 400. */
  private async zoned<T>(query: Promise<T>): Promise<T> {
    try {
      return await query;
    } catch (error) {
      const code =
        error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
      if (code === '22023' && /time zone/i.test((error as Error).message)) {
        throw new BadRequestException([
          'timeZone is not known to the database; try another name for the zone',
        ]);
      }
      throw error;
    }
  }
}
