import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { RoutingJobs } from '../routing/routing-jobs.js';
import { ClosingService } from './closing.service.js';
import { ConversationEvent } from './conversation-event.entity.js';
import { Conversation } from './conversation.entity.js';
import { abandonment } from './domain/abandonment.js';
import { isOwnConversation, type Actor } from './domain/access.js';

export const ABANDONED_DISPOSITION = 'abandoned';
export const CUSTOMER_LEFT_DISPOSITION = 'customer-left';

type Ended =
  | { outcome: 'abandoned'; queueId: string }
  | { outcome: 'customer-left'; agentId: string | null }
  | { outcome: 'already-closed' };

/**
 * A customer who goes away: explicitly (`conversation:leave`), or by closing the page while waiting
 * (their last socket gone for the grace period). A waiting conversation is abandoned (an `abandoned`
 * event for the reports, then closed); one with an agent is closed as `customer-left`.
 */
@Injectable()
export class AbandonmentService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly closing: ClosingService,
    private readonly jobs: RoutingJobs,
    private readonly hub: RealtimeHub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The customer ends the chat. Leaving one that is already closed succeeds and changes nothing. */
  async leave(actor: Actor, conversationId: string): Promise<{ conversationId: string }> {
    const ended = await this.db.transaction(async (tx) => {
      const current = await this.lock(tx, conversationId);
      if (!current) throw new NotFoundException('No such conversation');
      if (!isOwnConversation(actor, current)) throw new ForbiddenException('This conversation is not yours');
      return this.end(tx, current, await this.dbNow(tx), 'left');
    });
    await this.announce(conversationId, ended);
    return { conversationId };
  }

  /**
   * A customer socket closed. Each waiting conversation it was in that no other socket of the customer
   * holds (any tab, any node) gets the grace period to come back.
   */
  async socketsClosed(conversationIds: string[]): Promise<void> {
    const waiting: { id: string; left_at: Date }[] = await this.db.query(
      `SELECT id, now() AS left_at FROM conversation WHERE id = ANY($1::uuid[]) AND status = 'queued'`,
      [conversationIds],
    );
    for (const { id, left_at } of waiting) {
      if ((await this.customerSocketCount(id)) > 0) continue;
      await this.jobs.scheduleAbandon(id, left_at.getTime(), this.config.lifecycle.abandonGraceMs);
    }
  }

  async visitorReturned(conversationIds: string[]): Promise<void> {
    await this.jobs.cancelAbandon(conversationIds);
  }

  /** The grace job: abandons the conversation if it still waits and no socket of its customer is back. */
  async abandonIfGone(
    conversationId: string,
    leftAt: number,
  ): Promise<'returned' | Ended['outcome'] | 'not-waiting' | 'kept'> {
    if ((await this.customerSocketCount(conversationId)) > 0) return 'returned';
    const ended = await this.db.transaction(async (tx) => {
      const current = await this.lock(tx, conversationId);
      if (!current || current.status !== 'queued') return null;
      // Told nobody could answer live, the customer left a message and went, as invited: keep it.
      if (current.offlineAt && (await this.hasCustomerMessage(tx, current.id))) return 'kept' as const;
      return this.end(tx, current, new Date(leftAt), 'disconnected');
    });
    if (!ended) return 'not-waiting';
    if (ended === 'kept') return 'kept';
    await this.announce(conversationId, ended);
    return ended.outcome;
  }

  private async end(
    tx: EntityManager,
    current: Conversation,
    leftAt: Date,
    reason: 'left' | 'disconnected',
  ): Promise<Ended> {
    switch (current.status) {
      case 'closed':
        return { outcome: 'already-closed' };
      case 'assigned':
        await this.closing.close(tx, current, CUSTOMER_LEFT_DISPOSITION, null);
        return { outcome: 'customer-left', agentId: current.agentId };
      case 'queued': {
        const { waitedSeconds, short } = abandonment(
          current.enqueuedAt,
          leftAt,
          this.config.lifecycle.shortAbandonSeconds,
        );
        await tx.insert(ConversationEvent, {
          conversationId: current.id,
          type: 'abandoned',
          queueId: current.queueId,
          data: { waitedSeconds, short, reason },
        });
        await this.closing.close(tx, current, ABANDONED_DISPOSITION, null);
        return { outcome: 'abandoned', queueId: current.queueId };
      }
    }
  }

  private async announce(conversationId: string, ended: Ended): Promise<void> {
    switch (ended.outcome) {
      case 'already-closed':
        return;
      case 'customer-left':
        return this.closing.announce(conversationId, ended.agentId);
      case 'abandoned':
        await this.closing.announce(conversationId, null);
        // A routing pass over the queue pushes the new places to everyone still waiting there.
        await this.jobs.requestRoute([ended.queueId]);
    }
  }

  private async hasCustomerMessage(tx: EntityManager, conversationId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM message WHERE conversation_id = $1 AND sender_kind = 'customer' LIMIT 1`,
      [conversationId],
    );
    return rows.length > 0;
  }

  private lock(tx: EntityManager, conversationId: string): Promise<Conversation | null> {
    return tx.findOne(Conversation, { where: { id: conversationId }, lock: { mode: 'pessimistic_write' } });
  }

  private async dbNow(tx: EntityManager): Promise<Date> {
    const [{ now }]: { now: Date }[] = await tx.query(`SELECT clock_timestamp() AS now`);
    return now;
  }

  /** Customer sockets in the conversation's room, on every node. */
  private async customerSocketCount(conversationId: string): Promise<number> {
    return (await this.hub.toConversation(conversationId).fetchSockets()).length;
  }
}
