import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { MessagesService } from '../conversations/messages.service.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { nextSlaActionAt, slaDecision, type Escalation, type SlaSettings } from './domain/sla.js';
import { withdrawOffers, type WithdrawnOffer } from './offer.repository.js';
import { noticeFor } from './queue-status.service.js';
import { RoutingJobs } from './routing-jobs.js';

export type SlaCheckResult =
  { kind: 'wait'; ms: number } | { kind: 'done' | 'escalated' | 'overflowed' | 'handed-over' };

/** Idempotency key of the maximum-wait notice: a retried job posts it once. */
const MAX_WAIT_NOTICE_CLIENT_ID = 'offline-max-wait';
/** A conversation this late past a threshold lost its timer (e.g. it arrived through a connector). */
const OVERDUE_GRACE_SECONDS = 5;

interface Row {
  status: string;
  queue_id: string;
  enqueued_at: Date;
  escalated_at: Date | null;
  offline_at: Date | null;
  sla_target_seconds: number;
  escalate_after_seconds: number | null;
  escalation: Escalation | null;
  max_wait_seconds: number | null;
  now: Date;
}

type Applied =
  | { kind: 'wait'; at: Date; now: Date }
  | { kind: 'done' }
  | { kind: 'escalated'; queueId: string; withdrawn: WithdrawnOffer[]; next: Date | null; now: Date }
  | { kind: 'overflowed'; fromQueueId: string; toQueueId: string; withdrawn: WithdrawnOffer[] }
  | { kind: 'handed-over'; queueId: string; withdrawn: WithdrawnOffer[] };

/**
 * Service levels of waiting conversations (sla.ts decides): after the queue's escalation wait, a
 * priority bump or a move to the overflow queue; after its maximum wait, an offline handover (the
 * customer is told and may leave a message; the conversation is kept). Each is a `conversation_event`.
 */
@Injectable()
export class SlaService {
  private readonly logger = new Logger(SlaService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: RoutingJobs,
    private readonly hub: RealtimeHub,
    private readonly messages: MessagesService,
  ) {}

  /** The SLA job of a conversation in `queueId`: acts if due, else says how long to sleep. */
  async check(conversationId: string, queueId: string): Promise<SlaCheckResult> {
    const applied = await this.db.transaction((tx) => this.apply(tx, conversationId, queueId));
    switch (applied.kind) {
      case 'done':
        return { kind: 'done' };
      case 'wait':
        return { kind: 'wait', ms: Math.max(0, applied.at.getTime() - applied.now.getTime()) };
      case 'escalated':
        await this.withdrawn(applied.withdrawn, 'escalated');
        this.hub.conversationChanged(conversationId, 'queue');
        await this.jobs.requestRoute([applied.queueId]);
        return applied.next
          ? { kind: 'wait', ms: Math.max(0, applied.next.getTime() - applied.now.getTime()) }
          : { kind: 'escalated' };
      case 'overflowed':
        await this.withdrawn(applied.withdrawn, 'overflowed');
        this.hub.conversationChanged(conversationId, 'queue');
        await this.jobs.scheduleSlaCheck(conversationId, applied.toQueueId);
        await this.jobs.requestRoute([applied.toQueueId, applied.fromQueueId]);
        return { kind: 'overflowed' };
      case 'handed-over': {
        await this.withdrawn(applied.withdrawn, 'kept-for-later');
        const notice = noticeFor(conversationId, 'max-wait', null, null);
        await this.messages.notice(conversationId, notice.message, MAX_WAIT_NOTICE_CLIENT_ID);
        this.hub.toConversation(conversationId).emit('queue:offline', notice);
        this.hub.conversationChanged(conversationId, 'queue');
        await this.jobs.requestRoute([applied.queueId]);
        return { kind: 'handed-over' };
      }
    }
  }

  /** The sweep's safety net: waiting conversations past a threshold whose timer never ran. */
  async checkOverdue(): Promise<number> {
    const due: { id: string; queue_id: string }[] = await this.db.query(
      `SELECT c.id, c.queue_id FROM conversation c JOIN queue q ON q.id = c.queue_id
        WHERE c.status = 'queued' AND c.offline_at IS NULL
          AND ((q.max_wait_seconds IS NOT NULL
                AND c.enqueued_at < now() - make_interval(secs => q.max_wait_seconds + $1))
            OR (q.escalation IS NOT NULL AND q.escalate_after_seconds IS NOT NULL AND c.escalated_at IS NULL
                AND c.enqueued_at < now() - make_interval(secs => q.escalate_after_seconds + $1)))
        ORDER BY c.enqueued_at LIMIT 100`,
      [OVERDUE_GRACE_SECONDS],
    );
    let acted = 0;
    for (const { id, queue_id } of due) {
      const result = await this.check(id, queue_id);
      if (result.kind !== 'wait' && result.kind !== 'done') acted++;
    }
    if (acted > 0) this.logger.debug({ acted }, 'sweep applied overdue SLA rules');
    return acted;
  }

  private async apply(tx: EntityManager, conversationId: string, queueId: string): Promise<Applied> {
    const rows: Row[] = await tx.query(
      `SELECT c.status, c.queue_id, c.enqueued_at, c.escalated_at, c.offline_at, q.sla_target_seconds,
              q.escalate_after_seconds, q.escalation, q.max_wait_seconds, now() AS now
         FROM conversation c JOIN queue q ON q.id = c.queue_id
        WHERE c.id = $1
          FOR UPDATE OF c`,
      [conversationId],
    );
    const row = rows[0];
    // Answered, ended, moved on, or already kept for later: nothing more to watch in this queue.
    if (!row || row.status !== 'queued' || row.queue_id !== queueId || row.offline_at)
      return { kind: 'done' };
    const settings: SlaSettings = {
      slaTargetSeconds: row.sla_target_seconds,
      escalateAfterSeconds: row.escalate_after_seconds,
      escalation: row.escalation,
      maxWaitSeconds: row.max_wait_seconds,
    };
    const wait = { enqueuedAt: row.enqueued_at, escalatedAt: row.escalated_at };
    const now = row.now;
    const decision = slaDecision(settings, wait, now);
    const waitedSeconds = Math.round((now.getTime() - row.enqueued_at.getTime()) / 100) / 10;
    switch (decision.action.kind) {
      case 'none': {
        const at = nextSlaActionAt(settings, wait, now);
        return at ? { kind: 'wait', at, now } : { kind: 'done' };
      }
      case 'offline-handover': {
        const withdrawn = await withdrawOffers(tx, { conversationId }, 'kept-for-later');
        await tx.query(
          `UPDATE conversation SET offline_at = now(), offline_reason = 'max-wait', updated_at = now() WHERE id = $1`,
          [conversationId],
        );
        await this.record(tx, conversationId, 'offline', queueId, { reason: 'max-wait', waitedSeconds });
        return { kind: 'handed-over', queueId, withdrawn };
      }
      case 'escalate': {
        const escalation = decision.action.escalation;
        if (escalation.kind === 'priority-bump') {
          await tx.query(
            `UPDATE conversation SET priority = priority + $2, escalated_at = now(), updated_at = now() WHERE id = $1`,
            [conversationId, escalation.by],
          );
          await this.record(tx, conversationId, 'escalated', queueId, {
            action: 'priority-bump',
            by: escalation.by,
            waitedSeconds,
          });
          const next = nextSlaActionAt(settings, { ...wait, escalatedAt: now }, now);
          return { kind: 'escalated', queueId, withdrawn: [], next, now };
        }
        const target: unknown[] = await tx.query(`SELECT 1 FROM queue WHERE id = $1`, [escalation.toQueueId]);
        if (target.length === 0 || escalation.toQueueId === queueId) {
          // The overflow queue was deleted since it was configured: keep the customer where they are.
          await tx.query(`UPDATE conversation SET escalated_at = now() WHERE id = $1`, [conversationId]);
          await this.record(tx, conversationId, 'escalated', queueId, {
            action: 'overflow',
            fromQueueId: queueId,
            toQueueId: null,
            waitedSeconds,
          });
          const next = nextSlaActionAt(settings, { ...wait, escalatedAt: now }, now);
          return { kind: 'escalated', queueId, withdrawn: [], next, now };
        }
        // The offer (if any) belongs to this queue's agents: take it back before the move.
        const withdrawn = await withdrawOffers(tx, { conversationId }, 'overflowed');
        // enqueued_at is kept: the customer's wait did not restart, and they keep their seniority there.
        await tx.query(
          `UPDATE conversation SET queue_id = $2, escalated_at = now(), updated_at = now() WHERE id = $1`,
          [conversationId, escalation.toQueueId],
        );
        await this.record(tx, conversationId, 'escalated', queueId, {
          action: 'overflow',
          fromQueueId: queueId,
          toQueueId: escalation.toQueueId,
          waitedSeconds,
        });
        return { kind: 'overflowed', fromQueueId: queueId, toQueueId: escalation.toQueueId, withdrawn };
      }
    }
  }

  private async record(
    tx: EntityManager,
    conversationId: string,
    type: 'escalated' | 'offline',
    queueId: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO conversation_event (conversation_id, type, queue_id, data) VALUES ($1, $2, $3, $4)`,
      [conversationId, type, queueId, data],
    );
  }

  private async withdrawn(offers: WithdrawnOffer[], reason: string): Promise<void> {
    for (const offer of offers) {
      this.hub
        .toAgent(offer.agentId)
        .emit('offer:withdrawn', { conversationId: offer.conversationId, reason });
      await this.jobs.cancelOfferTimeout(offer.conversationId, offer.offeredAt);
    }
  }
}
