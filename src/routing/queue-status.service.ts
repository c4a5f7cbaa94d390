import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { OfflineNotice, QueueStatus } from '../realtime/contracts/visitor.events.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import type { BusinessHours } from './domain/business-hours.js';
import {
  keepWaitingForLater,
  offlineNotice,
  queueAvailability,
  type OfflineReason,
  type QueueAvailability,
  type QueueOpening,
} from './domain/offline-mode.js';
import { RoutingJobs } from './routing-jobs.js';

/**
 * Offline mode of a queue: outside business hours (or, where the queue says so, with nobody able to
 * serve it) customers are told, may leave a message, and their conversation is kept and routed when
 * the queue opens, instead of waiting live or being lost.
 */
@Injectable()
export class QueueStatusService {
  private readonly logger = new Logger(QueueStatusService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hub: RealtimeHub,
    private readonly jobs: RoutingJobs,
  ) {}

  async availability(
    queueId: string,
    now = new Date(),
  ): Promise<QueueAvailability & { timeZone: string | null; slaRules: boolean }> {
    const rows: {
      business_hours: BusinessHours | null;
      offline_when_no_agents: boolean;
      available: number;
      sla_rules: boolean;
    }[] = await this.db.query(
      `SELECT q.business_hours, q.offline_when_no_agents,
                (q.escalation IS NOT NULL AND q.escalate_after_seconds IS NOT NULL)
                  OR q.max_wait_seconds IS NOT NULL AS sla_rules,
                (SELECT count(*)::int FROM queue_member m
                   JOIN agent_state a ON a.staff_id = m.staff_id AND a.availability = 'available' AND a.connected
                   JOIN staff_user s ON s.id = m.staff_id AND s.active
                  WHERE m.queue_id = q.id) AS available
           FROM queue q WHERE q.id = $1`,
      [queueId],
    );
    const row = rows[0];
    if (!row) return { open: true, timeZone: null, slaRules: false };
    const availability = queueAvailability(
      { businessHours: row.business_hours, offlineWhenNoAgents: row.offline_when_no_agents },
      row.available,
      now,
    );
    return { ...availability, timeZone: row.business_hours?.timeZone ?? null, slaRules: row.sla_rules };
  }

  /** The queue's status as the widget shows it before a chat starts. */
  async status(queueId: string): Promise<QueueStatus> {
    const availability = await this.availability(queueId);
    return availability.open
      ? { open: true, reason: null, nextOpeningAt: null }
      : {
          open: false,
          reason: availability.reason,
          nextOpeningAt: availability.nextOpeningAt?.toISOString() ?? null,
        };
  }

  /**
   * A conversation just started in the queue (its customer's socket is in its room): its SLA timer when
   * the queue has escalation or maximum-wait rules; and when the queue is offline, keep it for later
   * and tell the customer.
   */
  async entered(conversationId: string, queueId: string): Promise<void> {
    const availability = await this.availability(queueId);
    if (availability.slaRules) await this.jobs.scheduleSlaCheck(conversationId, queueId);
    if (availability.open) return;
    await this.keep(
      queueId,
      [conversationId],
      availability.reason,
      availability.nextOpeningAt,
      availability.timeZone,
    );
  }

  /**
   * After a routing pass: in offline mode with nobody left to serve the queue, the customers still
   * waiting live are told and kept for later (the agents still on after closing finish the line first).
   */
  async keepWaitingIfOffline(queueId: string, opening: QueueOpening, availableAgents: number): Promise<void> {
    if (!opening.businessHours && !opening.offlineWhenNoAgents) return;
    const availability = queueAvailability(opening, availableAgents, new Date());
    if (availability.open || !keepWaitingForLater(availability, availableAgents)) return;
    const waiting: { id: string }[] = await this.db.query(
      `SELECT id FROM conversation WHERE queue_id = $1 AND status = 'queued' AND offline_at IS NULL LIMIT 500`,
      [queueId],
    );
    if (waiting.length === 0) return;
    await this.keep(
      queueId,
      waiting.map((w) => w.id),
      availability.reason,
      availability.nextOpeningAt,
      opening.businessHours?.timeZone ?? null,
    );
  }

  /**
   * Marks waiting conversations kept for later (those not kept already), records why, tells their
   * customers, and asks for routing at the next opening. Returns the conversations it marked.
   */
  async keep(
    queueId: string,
    conversationIds: string[],
    reason: OfflineReason,
    nextOpeningAt: Date | null,
    timeZone: string | null = null,
  ): Promise<string[]> {
    // One statement: the mark and its event commit together.
    const kept: { id: string }[] = await this.db.query(
      `WITH kept AS (
         UPDATE conversation SET offline_at = now(), offline_reason = $3, updated_at = now()
          WHERE id = ANY($1::uuid[]) AND queue_id = $2 AND status = 'queued' AND offline_at IS NULL
          RETURNING id
       ), recorded AS (
         INSERT INTO conversation_event (conversation_id, type, queue_id, data) SELECT id, 'offline', $2, $4 FROM kept
       )
       SELECT id FROM kept`,
      [conversationIds, queueId, reason, { reason, nextOpeningAt: nextOpeningAt?.toISOString() ?? null }],
    );
    for (const { id } of kept) {
      this.hub.toConversation(id).emit('queue:offline', noticeFor(id, reason, nextOpeningAt, timeZone));
      this.hub.conversationChanged(id, 'queue');
    }
    if (nextOpeningAt && kept.length > 0) await this.jobs.requestRouteAt(queueId, nextOpeningAt);
    if (kept.length > 0)
      this.logger.debug({ queueId, reason, kept: kept.length }, 'kept conversations for later');
    return kept.map((k) => k.id);
  }
}

/** The customer's notice; the opening time is written on the queue's own clock (e.g. "Mon 27 Nov, 08:00 CET"). */
export function noticeFor(
  conversationId: string,
  reason: OfflineReason,
  nextOpeningAt: Date | null,
  timeZone: string | null,
): OfflineNotice {
  const local = nextOpeningAt
    ? DateTime.fromJSDate(nextOpeningAt, { zone: timeZone ?? 'UTC' }).toFormat('ccc d LLL, HH:mm ZZZZ')
    : null;
  return {
    conversationId,
    reason,
    nextOpeningAt: nextOpeningAt?.toISOString() ?? null,
    message: offlineNotice(reason, local),
  };
}
