import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { StaffService } from '../auth/staff.service.js';
import { ContactsService, type ContactProfile } from '../contacts/contacts.service.js';
import type { VisitorConversation } from '../realtime/contracts/visitor.events.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { QueueStatusService } from '../routing/queue-status.service.js';
import { RoutingJobs } from '../routing/routing-jobs.js';
import { ClosingService } from './closing.service.js';
import { ConversationEvent } from './conversation-event.entity.js';
import { Conversation } from './conversation.entity.js';
import { canParticipate, isOwnConversation, isSupervisorOrAdmin, type Actor } from './domain/access.js';
import { transition } from './domain/conversation-state.js';
import { InactivityService } from './inactivity.service.js';

export interface WebStart {
  visitorId: string;
  siteId: string;
  queueId: string;
  attributes: Record<string, string>;
  profile: ContactProfile;
}

const OPEN = In(['queued', 'assigned']);

/** Conversation lifecycle: start, close, transfer to a queue. Assignment itself is routing's. */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly contacts: ContactsService,
    private readonly routing: RoutingJobs,
    private readonly hub: RealtimeHub,
    private readonly staff: StaffService,
    private readonly closing: ClosingService,
    private readonly inactivity: InactivityService,
    private readonly queueStatus: QueueStatusService,
  ) {}

  /**
   * Starts a website conversation, or returns the visitor's open one on this site (a second tab or a
   * retried start must not open a second chat).
   */
  async startFromWidget(
    start: WebStart,
    onOpened: (conversation: Conversation) => void | Promise<void>,
    options: { offlineMessage?: boolean } = {},
  ): Promise<{ conversation: Conversation; created: boolean }> {
    const result = await this.openOnWebsite(start);
    // The caller subscribes the customer before routing can announce an agent.
    await onOpened(result.conversation);
    const { id, queueId } = result.conversation;
    if (options.offlineMessage) {
      // A message left without a live chat: kept for staff whether or not the queue is open now.
      await this.queueStatus.keep(queueId, [id], 'offline-message', null);
      if (result.created) await this.routing.requestRoute([queueId]);
    } else if (result.created) {
      // Routing first, for the customer's wait: it never hands out a chat that arrived while the queue is
      // closed (routableNow), so it need not wait for the offline check.
      await this.routing.requestRoute([queueId]);
      // SLA timer; offline mode (closed, or nobody to serve): the customer is told and the conversation kept.
      await this.queueStatus.entered(id, queueId);
    }
    if (result.created) await this.inactivity.arm(id);
    return result;
  }

  /**
   * The visitor's conversation on the site: a new one, or the open one a concurrent start created. One
   * transaction, for one commit (one WAL flush) rather than one per statement.
   */
  private openOnWebsite(start: WebStart): Promise<{ conversation: Conversation; created: boolean }> {
    return this.db.transaction((tx) => this.openOnWebsiteIn(tx, start));
  }

  private async openOnWebsiteIn(
    tx: EntityManager,
    start: WebStart,
  ): Promise<{ conversation: Conversation; created: boolean }> {
    const contactId = await this.contacts.findOrCreateByIdentity(tx, 'web', start.visitorId, start.profile);
    // The partial unique index admits one open conversation per visitor and site; a loser resumes it.
    const inserted: { id: string }[] = await tx.query(
      `WITH conv AS (
         INSERT INTO conversation (contact_id, site_id, channel, status, queue_id, attributes, enqueued_at)
         VALUES ($1, $2, 'web', 'queued', $3, $4, now())
         ON CONFLICT (contact_id, site_id) WHERE status <> 'closed' AND site_id IS NOT NULL DO NOTHING
         RETURNING id, queue_id
       ), queued AS (
         INSERT INTO conversation_event (conversation_id, type, queue_id) SELECT id, 'queued', queue_id FROM conv
       )
       SELECT id FROM conv`,
      [contactId, start.siteId, start.queueId, start.attributes],
    );
    if (inserted.length === 0) {
      const winner = await this.openOnSite(tx, contactId, start.siteId);
      if (!winner) throw new Error('open conversation vanished while starting');
      return { conversation: winner, created: false };
    }
    return { conversation: await tx.findOneByOrFail(Conversation, { id: inserted[0].id }), created: true };
  }

  /** A conversation the actor may read: the customer's own, the assigned agent's, or any for supervisors. */
  async readable(actor: Actor, conversationId: string): Promise<Conversation> {
    const conversation = await this.db.getRepository(Conversation).findOneBy({ id: conversationId });
    if (!conversation) throw new NotFoundException('No such conversation');
    const allowed =
      actor.kind === 'customer'
        ? isOwnConversation(actor, conversation)
        : canParticipate(actor, conversation) || isSupervisorOrAdmin(actor);
    if (!allowed) throw new ForbiddenException('This conversation is not yours');
    return conversation;
  }

  /**
   * 1-based place in its queue, or null when the conversation is not waiting. Times compare to the
   * millisecond, as routing orders them (and as `enqueuedAt` reads), so two arrivals in the same
   * millisecond are told the same order that `queue:position` pushes.
   */
  async queuePosition(conversation: Conversation): Promise<number | null> {
    if (conversation.status !== 'queued') return null;
    const [{ position }]: { position: number }[] = await this.db.query(
      `SELECT count(*)::int + 1 AS position FROM conversation w
        WHERE w.queue_id = $1 AND w.status = 'queued'
          AND (w.priority > $2 OR (w.priority = $2 AND (date_trunc('milliseconds', w.enqueued_at), w.id) < ($3, $4)))`,
      [conversation.queueId, conversation.priority, conversation.enqueuedAt, conversation.id],
    );
    return position;
  }

  /** The conversation as its customer sees it: status, place in the queue, and the agent's name. */
  async visitorView(conversation: Conversation): Promise<VisitorConversation> {
    const names = conversation.agentId ? await this.staff.displayNames([conversation.agentId]) : new Map<string, string>();
    return {
      id: conversation.id,
      status: conversation.status,
      lastSeq: conversation.lastSeq,
      queuePosition: await this.queuePosition(conversation),
      agent: conversation.agentId
        ? { id: conversation.agentId, displayName: names.get(conversation.agentId) ?? 'Agent' }
        : null,
      offline:
        conversation.offlineAt && conversation.offlineReason
          ? { reason: conversation.offlineReason, since: conversation.offlineAt.toISOString() }
          : null,
      agentReadSeq: conversation.agentReadSeq,
      customerReadSeq: conversation.customerReadSeq,
      rated: conversation.status === 'closed' && (await this.isRated(conversation.id)),
    };
  }

  private async isRated(conversationId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM conversation_event WHERE conversation_id = $1 AND type = 'csat'`,
      [conversationId],
    );
    return rows.length > 0;
  }

  openForVisitor(contactId: string, siteId: string): Promise<Conversation[]> {
    return this.db.getRepository(Conversation).find({
      where: { contactId, siteId, status: OPEN },
      order: { createdAt: 'ASC' },
    });
  }

  openForAgent(agentId: string): Promise<Conversation[]> {
    return this.db.getRepository(Conversation).find({
      where: { agentId, status: 'assigned' },
      order: { assignedAt: 'ASC' },
    });
  }

  async typing(actor: Actor, conversationId: string, isTyping: boolean): Promise<void> {
    const conversation = await this.readable(actor, conversationId);
    if (conversation.status === 'closed') return;
    if (actor.kind === 'customer') {
      if (conversation.agentId) {
        this.hub.toAgent(conversation.agentId).emit('typing', { conversationId, senderKind: 'customer', isTyping });
      }
    } else if (conversation.agentId === actor.staffId) {
      this.hub.toConversation(conversationId).emit('typing', { conversationId, senderKind: 'agent', isTyping });
    }
  }

  async close(actor: Actor, conversationId: string, disposition: string): Promise<Conversation> {
    const { conversation, previousAgentId } = await this.db.transaction(async (tx) => {
      const current = await this.lockForStaff(tx, actor, conversationId);
      await this.closing.close(tx, current, disposition, actor.kind === 'staff' ? actor.staffId : null);
      return {
        conversation: await tx.findOneByOrFail(Conversation, { id: current.id }),
        previousAgentId: current.agentId,
      };
    });
    await this.closing.announce(conversationId, previousAgentId);
    return conversation;
  }

  /** Back to a queue (the same or another) for the next available agent. */
  async transferToQueue(actor: Actor, conversationId: string, queueId: string, note?: string): Promise<void> {
    const previousAgentId = await this.db.transaction(async (tx) => {
      const current = await this.lockForStaff(tx, actor, conversationId);
      const status = transition(current.status, 'transfer-to-queue');
      const queue: unknown[] = await tx.query(`SELECT 1 FROM queue WHERE id = $1`, [queueId]);
      if (queue.length === 0) throw new NotFoundException('No such queue');
      await tx.update(Conversation, { id: current.id }, { status, agentId: null, queueId, enqueuedAt: () => 'now()' });
      await tx.insert(ConversationEvent, {
        conversationId: current.id,
        type: 'transferred',
        queueId,
        agentId: current.agentId,
        actorId: actor.kind === 'staff' ? actor.staffId : null,
        data: { fromQueueId: current.queueId, ...(note ? { note } : {}) },
      });
      return current.agentId;
    });
    if (previousAgentId) {
      this.hub.toAgent(previousAgentId).emit('conversation:removed', { conversationId, reason: 'transferred' });
      this.hub.toConversation(conversationId).emit('agent:left', { conversationId });
      await this.routing.requestRouteForAgent(previousAgentId);
    }
    this.hub.conversationChanged(conversationId, 'transferred');
    await this.routing.scheduleSlaCheck(conversationId, queueId);
    await this.routing.requestRoute([queueId]);
  }

  /** Locks the conversation for a staff action: the assigned agent, or a supervisor or admin. */
  private async lockForStaff(tx: EntityManager, actor: Actor, conversationId: string): Promise<Conversation> {
    const conversation = await tx.findOne(Conversation, {
      where: { id: conversationId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!conversation) throw new NotFoundException('No such conversation');
    if (actor.kind !== 'staff' || !(canParticipate(actor, conversation) || isSupervisorOrAdmin(actor))) {
      throw new ForbiddenException('This conversation is not yours');
    }
    return conversation;
  }

  private openOnSite(tx: EntityManager, contactId: string, siteId: string): Promise<Conversation | null> {
    return tx.findOne(Conversation, { where: { contactId, siteId, status: OPEN } });
  }
}
