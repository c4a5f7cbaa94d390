import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { RoutingJobs } from '../routing/routing-jobs.js';
import { ConversationEvent } from './conversation-event.entity.js';
import { Conversation } from './conversation.entity.js';
import { transition } from './domain/conversation-state.js';

/**
 * Closing a conversation, whoever ends it (its agent, a supervisor, the customer, a timer): the row and
 * its `closed` event inside the caller's transaction, then, after commit, telling both sides and
 * freeing the agent's slot.
 */
@Injectable()
export class ClosingService {
  constructor(
    private readonly hub: RealtimeHub,
    private readonly routing: RoutingJobs,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `current` must be locked by the caller's transaction. Throws InvalidTransitionError when closed. */
  async close(
    tx: EntityManager,
    current: Conversation,
    disposition: string,
    actorId: string | null,
  ): Promise<void> {
    const status = transition(current.status, 'close');
    await tx.update(
      Conversation,
      { id: current.id },
      { status, agentId: null, disposition, closedAt: () => 'now()' },
    );
    await tx.insert(ConversationEvent, {
      conversationId: current.id,
      type: 'closed',
      queueId: current.queueId,
      agentId: current.agentId,
      actorId,
      data: { disposition },
    });
  }

  /** After commit. `previousAgentId`: who held the conversation when it closed, if anyone. */
  async announce(conversationId: string, previousAgentId: string | null): Promise<void> {
    this.hub.toConversation(conversationId).emit('conversation:closed', { conversationId });
    this.hub.conversationChanged(conversationId, 'closed');
    if (previousAgentId) {
      this.hub.toAgent(previousAgentId).emit('conversation:closed', { conversationId });
      // Room of another kind (or a total cap) may be free at once; this slot frees when wrap-up ends.
      await this.routing.requestRouteForAgent(previousAgentId);
      const wrapUpEndsAt = await this.wrapUpEnd(conversationId);
      // A moment after the end, so that the database's clock agrees it has passed.
      if (wrapUpEndsAt) await this.routing.requestRouteForAgentAt(previousAgentId, new Date(wrapUpEndsAt.getTime() + 100));
    }
  }

  /** When the closing agent's slot frees: the close plus its queue's wrap-up (or the deployment's); null without one. */
  private async wrapUpEnd(conversationId: string): Promise<Date | null> {
    const rows: { ends_at: Date | null }[] = await this.db.query(
      `SELECT CASE WHEN COALESCE(q.wrap_up_seconds, $2) > 0
                   THEN c.closed_at + make_interval(secs => COALESCE(q.wrap_up_seconds, $2)) END AS ends_at
         FROM conversation c JOIN queue q ON q.id = c.queue_id WHERE c.id = $1`,
      [conversationId, this.config.routing.wrapUpSeconds],
    );
    return rows[0]?.ends_at ?? null;
  }
}
