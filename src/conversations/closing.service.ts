import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
    if (previousAgentId) {
      this.hub.toAgent(previousAgentId).emit('conversation:closed', { conversationId });
      await this.routing.requestRouteForAgent(previousAgentId);
    }
  }
}
