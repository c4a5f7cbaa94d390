import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { METRICS_WINDOW_SECONDS, type SupervisorSnapshot } from '../realtime/contracts/supervisor.events.js';
import { buildSnapshot } from './domain/queue-metrics.js';
import { readMetricsRows } from './metrics.repository.js';

/** The live queue metrics, computed from PostgreSQL (the one place every node agrees on). */
@Injectable()
export class SupervisionService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async snapshot(now: Date): Promise<SupervisorSnapshot> {
    const since = new Date(now.getTime() - METRICS_WINDOW_SECONDS * 1000);
    // One snapshot of the database: a conversation assigned between two of the queries would otherwise
    // be counted as both waiting and held by its agent.
    const rows = await this.db.transaction('REPEATABLE READ', (tx) => readMetricsRows(tx, since));
    return buildSnapshot(rows, now, METRICS_WINDOW_SECONDS);
  }
}
