import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RoutingJobs } from '../routing/routing-jobs.js';
import { ClosingService } from './closing.service.js';
import { Conversation } from './conversation.entity.js';
import type { ConversationStatus } from './domain/conversation-state.js';
import {
  inactivityDecision,
  inactivityLimitMs,
  inactivityNoticeFor,
  type InactivityDecision,
  type InactivityLimits,
} from './domain/inactivity.js';
import { MessagesService } from './messages.service.js';

export const INACTIVE_DISPOSITION = 'inactive';
/** Idempotency key of the closing notice: a retried check posts it once. */
const NOTICE_CLIENT_ID = 'inactivity-close';

/**
 * Closes a conversation whose customer has gone quiet: website chats after INACTIVITY_CLOSE_MINUTES,
 * messaging-network conversations after IM_INACTIVITY_CLOSE_HOURS. One delayed job per conversation
 * (armed at its start) looks at the last customer message and either closes the conversation or moves
 * itself to the next due time.
 */
@Injectable()
export class InactivityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly messages: MessagesService,
    private readonly closing: ClosingService,
    private readonly jobs: RoutingJobs,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get limits(): InactivityLimits {
    return {
      webMinutes: this.config.lifecycle.inactivityCloseMinutes,
      messagingHours: this.config.lifecycle.imInactivityCloseHours,
    };
  }

  /** After the conversation's creation has committed; `channel` is the conversation's ('web' or a network). */
  async arm(conversationId: string, channel = 'web'): Promise<void> {
    const closeAfterMs = inactivityLimitMs(channel, this.limits);
    if (closeAfterMs > 0) await this.jobs.scheduleInactivityCheck(conversationId, closeAfterMs);
  }

  /**
   * Arms the check of every open conversation again. An armed one keeps its job and time (same job id);
   * one whose job was lost — Redis restarted without its data, or a conversation from before messaging
   * conversations had a limit — is checked now, and closes or sleeps until its due time. Returns how many
   * conversations were looked at.
   */
  async rearmOpen(): Promise<number> {
    const open: { id: string; channel: string }[] = await this.db.query(
      `SELECT id, channel FROM conversation WHERE status <> 'closed'`,
    );
    const armable = open.filter((c) => inactivityLimitMs(c.channel, this.limits) > 0);
    for (let i = 0; i < armable.length; i += 100)
      await Promise.all(armable.slice(i, i + 100).map((c) => this.jobs.scheduleInactivityCheck(c.id, 0)));
    return armable.length;
  }

  /**
   * The job's handler; safe to run again (and on any node): a closed conversation stays as it is.
   * Returns `wait` when the customer was active since: the caller reschedules the job.
   */
  async check(conversationId: string): Promise<InactivityDecision> {
    const rows: {
      status: ConversationStatus;
      channel: string;
      assigned_at: Date | null;
      last_customer_at: Date | null;
      now: Date;
    }[] = await this.db.query(
      `SELECT c.status, c.channel, c.assigned_at, now() AS now,
                (SELECT m.created_at FROM message m
                  WHERE m.conversation_id = c.id AND m.sender_kind = 'customer'
                  ORDER BY m.seq DESC LIMIT 1) AS last_customer_at
           FROM conversation c WHERE c.id = $1`,
      [conversationId],
    );
    const row = rows[0];
    if (!row) return { kind: 'stop' };
    const decision = inactivityDecision(
      {
        status: row.status,
        assignedAt: row.assigned_at,
        lastCustomerMessageAt: row.last_customer_at,
        now: row.now,
      },
      inactivityLimitMs(row.channel, this.limits),
    );
    if (decision.kind === 'close') await this.closeInactive(conversationId, row.channel);
    return decision;
  }

  /**
   * The notice goes first (a closed conversation takes no more messages), so both sides read why before
   * `conversation:closed`. A customer message racing in between does not save the chat: it was idle.
   * On a messaging network the notice stays in the transcript for staff: system notices are never
   * delivered to the network (the customer's messaging window may well have closed by now).
   */
  private async closeInactive(conversationId: string, channel: string): Promise<void> {
    try {
      await this.messages.notice(conversationId, inactivityNoticeFor(channel, this.limits), NOTICE_CLIENT_ID);
    } catch (error) {
      if (error instanceof ConflictException) return; // closed by someone else meanwhile
      throw error;
    }
    const closed = await this.db.transaction(async (tx) => {
      const current = await tx.findOne(Conversation, {
        where: { id: conversationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current || current.status === 'closed') return null;
      await this.closing.close(tx, current, INACTIVE_DISPOSITION, null);
      return { previousAgentId: current.agentId };
    });
    if (closed) await this.closing.announce(conversationId, closed.previousAgentId);
  }
}
