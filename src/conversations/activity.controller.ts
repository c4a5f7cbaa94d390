import { BadRequestException, Controller, Get, Injectable, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsISO8601, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles } from '../auth/staff-auth.guard.js';
import type { Activity } from '../realtime/contracts/activity.js';
import { ACTIVITY_BUCKET_MS, ACTIVITY_MAX_MS, activityChart } from './domain/activity-chart.js';

export class ActivityQuery {
  @ApiPropertyOptional({
    example: '2026-11-26T00:00:00Z',
    description: 'Start (default: today 00:00 UTC); rounded down to 15 minutes',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End, exclusive (default: from + 24 h); at most 48 h after from' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/** An open conversation as the supervisor's list shows it. */
export interface OpenConversationRow {
  id: string;
  status: 'queued' | 'assigned';
  channel: string;
  queueId: string;
  agentId: string | null;
  agentName: string | null;
  contactName: string | null;
  enqueuedAt: string;
  assignedAt: string | null;
}

@Injectable()
export class ActivityService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async activity(fromText?: string, toText?: string): Promise<Activity> {
    const start = fromText ? new Date(fromText) : new Date(new Date().setUTCHours(0, 0, 0, 0));
    const from = new Date(Math.floor(start.getTime() / ACTIVITY_BUCKET_MS) * ACTIVITY_BUCKET_MS);
    const to = toText ? new Date(toText) : new Date(from.getTime() + 24 * 3_600_000);
    if (to <= from) throw new BadRequestException('to must be after from');
    if (to.getTime() - from.getTime() > ACTIVITY_MAX_MS) throw new BadRequestException('At most 48 hours');
    const rows: {
      created_at: Date;
      answered_at: Date | null;
      abandoned: boolean;
      sla_target_seconds: number;
    }[] = await this.db.query(
      `SELECT c.created_at, q.sla_target_seconds,
                (SELECT min(e.created_at) FROM conversation_event e WHERE e.conversation_id = c.id AND e.type = 'assigned') AS answered_at,
                EXISTS (SELECT 1 FROM conversation_event e WHERE e.conversation_id = c.id AND e.type = 'abandoned') AS abandoned
           FROM conversation c JOIN queue q ON q.id = c.queue_id
          WHERE c.created_at >= $1 AND c.created_at < $2`,
      [from, to],
    );
    return activityChart(
      from,
      to,
      rows.map((r) => ({
        arrivedAt: r.created_at,
        answeredAt: r.answered_at,
        abandoned: r.abandoned,
        slaTargetSeconds: r.sla_target_seconds,
      })),
    );
  }

  /** Every waiting or assigned conversation, longest waiting first (at most 500). */
  async open(): Promise<OpenConversationRow[]> {
    const rows: {
      id: string;
      status: 'queued' | 'assigned';
      channel: string;
      queue_id: string;
      agent_id: string | null;
      agent_name: string | null;
      contact_name: string | null;
      enqueued_at: Date;
      assigned_at: Date | null;
    }[] = await this.db.query(
      `SELECT c.id, c.status, c.channel, c.queue_id, c.agent_id, s.display_name AS agent_name,
              ct.display_name AS contact_name, c.enqueued_at, c.assigned_at
         FROM conversation c
         JOIN contact ct ON ct.id = c.contact_id
         LEFT JOIN staff_user s ON s.id = c.agent_id
        WHERE c.status IN ('queued', 'assigned')
        ORDER BY c.enqueued_at
        LIMIT 500`,
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      channel: r.channel,
      queueId: r.queue_id,
      agentId: r.agent_id,
      agentName: r.agent_name,
      contactName: r.contact_name,
      enqueuedAt: r.enqueued_at.toISOString(),
      assignedAt: r.assigned_at?.toISOString() ?? null,
    }));
  }
}

/** The dashboard's charts (arrivals and service level per 15 minutes, waits) and its list of open conversations. */
@ApiTags('supervision')
@ApiBearerAuth()
@Roles('supervisor', 'admin')
@Controller('supervision')
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  @Get('activity')
  get(@Query() query: ActivityQuery) {
    return this.activity.activity(query.from, query.to);
  }

  /** Open conversations to drill into; read one with GET /conversations/:id/transcript. */
  @Get('conversations')
  open() {
    return this.activity.open();
  }
}
