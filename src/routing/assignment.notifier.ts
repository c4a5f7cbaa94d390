import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StaffService } from '../auth/staff.service.js';
import { ContactsService } from '../contacts/contacts.service.js';
import { toConversationView } from '../conversations/conversation-views.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { MessagesService } from '../conversations/messages.service.js';
import type { Assignment, Offer, WaitingConversation } from '../realtime/contracts/agent.events.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { queueWithWaiting } from './assignment.repository.js';
import { estimatedWaitSeconds, type RecentService } from './domain/estimated-wait.js';
import { orderWaiting } from './domain/priority.js';

/**
 * A burst of queue changes (a routing pass per assignment, a backlog being worked) pushes the waiting
 * customers' places at most once per this window per queue: the first change at once, the rest together
 * at the window's end.
 */
export const QUEUE_PUSH_WINDOW_MS = 250;

/** Tells agents and customers what routing decided, after the deciding transaction committed. */
@Injectable()
export class AssignmentNotifier implements OnModuleDestroy {
  private readonly logger = new Logger(AssignmentNotifier.name);
  /** Queues inside their push window on this node → whether another change came in meanwhile. */
  private readonly windows = new Map<string, { dirty: boolean; timer: NodeJS.Timeout }>();
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hub: RealtimeHub,
    private readonly contacts: ContactsService,
    private readonly messages: MessagesService,
    private readonly staff: StaffService,
  ) {}

  /** What an agent is told of a conversation of theirs; with `contactId` known, everything is read at once. */
  async assignment(conversationId: string, contactId?: string): Promise<Assignment> {
    const conversation = this.db.getRepository(Conversation).findOneByOrFail({ id: conversationId });
    const [found, contact, messages] = await Promise.all([
      conversation,
      contactId ? this.contacts.view(contactId) : conversation.then((c) => this.contacts.view(c.contactId)),
      this.messages.history(conversationId, 0, true),
    ]);
    return { conversation: toConversationView(found), contact, messages };
  }

  async assigned(made: { conversationId: string; queueId: string; agentId: string; contactId?: string }): Promise<void> {
    const [assignment, names] = await Promise.all([
      this.assignment(made.conversationId, made.contactId),
      this.staff.displayNames([made.agentId]),
    ]);
    this.hub.toAgent(made.agentId).emit('conversation:assigned', assignment);
    this.hub.toConversation(made.conversationId).emit('agent:joined', {
      conversationId: made.conversationId,
      agent: { id: made.agentId, displayName: names.get(made.agentId) ?? 'Agent' },
    });
    this.hub.conversationChanged(made.conversationId, 'assigned');
  }

  async offered(made: { conversationId: string; agentId: string; expiresAt: Date }): Promise<void> {
    const conversation = await this.db.getRepository(Conversation).findOneByOrFail({ id: made.conversationId });
    const offer: Offer = {
      conversation: toConversationView(conversation),
      contact: await this.contacts.view(conversation.contactId),
      expiresAt: made.expiresAt.toISOString(),
    };
    this.hub.toAgent(made.agentId).emit('offer', offer);
  }

  /** The agent's offers still open, as the `offer` events that announced them (for a reconnect). */
  async openOffers(agentId: string): Promise<Offer[]> {
    const rows: { conversation_id: string; expires_at: Date }[] = await this.db.query(
      `SELECT o.conversation_id, o.expires_at FROM conversation_offer o
         JOIN conversation c ON c.id = o.conversation_id AND c.status = 'queued'
        WHERE o.agent_id = $1 AND o.expires_at > now()
        ORDER BY o.offered_at`,
      [agentId],
    );
    return Promise.all(
      rows.map(async (r) => {
        const conversation = await this.db.getRepository(Conversation).findOneByOrFail({ id: r.conversation_id });
        return {
          conversation: toConversationView(conversation),
          contact: await this.contacts.view(conversation.contactId),
          expiresAt: r.expires_at.toISOString(),
        };
      }),
    );
  }

  offerWithdrawn(agentId: string, conversationId: string, reason: string): void {
    this.hub.toAgent(agentId).emit('offer:withdrawn', { conversationId, reason });
  }

  offerExpired(agentId: string, conversationId: string): void {
    this.hub.toAgent(agentId).emit('offer:expired', { conversationId });
  }

  removed(agentId: string, conversationId: string, reason: string): void {
    this.hub.toAgent(agentId).emit('conversation:removed', { conversationId, reason });
    this.hub.toConversation(conversationId).emit('agent:left', { conversationId });
    this.hub.conversationChanged(conversationId, 'unassigned');
  }

  /**
   * Pushes each waiting customer's place in the queue and, for a manual-pick queue, its list to the
   * members; coalesced per queue (QUEUE_PUSH_WINDOW_MS), so a long backlog is not recomputed for every
   * assignment. The first change of a quiet queue is pushed before this returns.
   */
  async queueChanged(queueId: string): Promise<void> {
    if (this.stopped) return;
    const window = this.windows.get(queueId);
    if (window) {
      window.dirty = true;
      return;
    }
    this.openWindow(queueId);
    await this.push(queueId);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    for (const { timer } of this.windows.values()) clearTimeout(timer);
    this.windows.clear();
  }

  private openWindow(queueId: string): void {
    const timer = setTimeout(() => {
      const ended = this.windows.get(queueId);
      this.windows.delete(queueId);
      if (!ended?.dirty || this.stopped) return;
      // Changes came in during the window: one push for all of them, and a new window after it.
      this.openWindow(queueId);
      void this.push(queueId);
    }, QUEUE_PUSH_WINDOW_MS);
    timer.unref();
    this.windows.set(queueId, { dirty: false, timer });
  }

  private async push(queueId: string): Promise<void> {
    try {
      await Promise.all([this.pushPositions(queueId), this.pushManualList(queueId)]);
    } catch (error) {
      if (!this.stopped) this.logger.error(error, 'queue push failed');
    }
  }

  /** The waiting conversations of one queue, oldest first, as agents of a manual-pick queue see them. */
  async waitingList(queueId: string): Promise<WaitingConversation[]> {
    const rows: { id: string; channel: string; display_name: string | null; attributes: Record<string, string>; enqueued_at: Date }[] =
      await this.db.query(
        `SELECT c.id, c.channel, k.display_name, c.attributes, c.enqueued_at
           FROM conversation c JOIN contact k ON k.id = c.contact_id
          WHERE c.queue_id = $1 AND c.status = 'queued'
          ORDER BY c.priority DESC, c.enqueued_at, c.id
          LIMIT 200`,
        [queueId],
      );
    return rows.map((r) => ({
      id: r.id,
      queueId,
      channel: r.channel,
      contactName: r.display_name,
      attributes: r.attributes,
      enqueuedAt: r.enqueued_at.toISOString(),
    }));
  }

  private async pushManualList(queueId: string): Promise<void> {
    const members: { staff_id: string }[] = await this.db.query(
      `SELECT m.staff_id FROM queue_member m JOIN queue q ON q.id = m.queue_id WHERE q.id = $1 AND q.strategy = 'manual'`,
      [queueId],
    );
    if (members.length === 0) return;
    const waiting = await this.waitingList(queueId);
    for (const { staff_id } of members) this.hub.toAgent(staff_id).emit('queue:waiting', { queueId, waiting });
  }

  /** Each waiting customer's place (in the order routing serves them) and estimated wait. */
  private async pushPositions(queueId: string): Promise<void> {
    const now = new Date();
    const [loaded, service] = await Promise.all([
      this.db.transaction((tx) => queueWithWaiting(tx, queueId, { includeOffered: true })),
      this.recentService(queueId),
    ]);
    if (!loaded) return;
    const ordered = orderWaiting(
      loaded.waiting.map((w) => ({ ...w, queuePriority: loaded.queue.priority })),
      loaded.queue.aging,
      now,
    );
    ordered.forEach((conversation, index) => {
      const position = index + 1;
      this.hub.toConversation(conversation.id).emit('queue:position', {
        conversationId: conversation.id,
        position,
        estimatedWaitSeconds: estimatedWaitSeconds(service, position),
      });
    });
  }

  /** How fast the queue has been served in the last 30 minutes, and by how many agents, versus now. */
  private async recentService(queueId: string): Promise<RecentService> {
    const [row]: { assignments: number; agents: number; eligible: number }[] = await this.db.query(
      `SELECT
         (SELECT count(*)::int FROM conversation_event
           WHERE queue_id = $1 AND type = 'assigned' AND created_at > now() - interval '30 minutes') AS assignments,
         (SELECT count(DISTINCT agent_id)::int FROM conversation_event
           WHERE queue_id = $1 AND type = 'assigned' AND created_at > now() - interval '30 minutes') AS agents,
         (SELECT count(*)::int FROM queue_member m JOIN agent_state a ON a.staff_id = m.staff_id
           WHERE m.queue_id = $1 AND a.availability = 'available' AND a.connected) AS eligible`,
      [queueId],
    );
    return { windowMinutes: 30, assignments: row.assignments, agentsInWindow: row.agents, eligibleAgentsNow: row.eligible };
  }
}
