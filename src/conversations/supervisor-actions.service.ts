import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { StaffUser } from '../auth/staff-user.entity.js';
import { StaffService } from '../auth/staff.service.js';
import type { ConversationView } from '../realtime/contracts/common.js';
import { AgentsService } from '../routing/agents.service.js';
import type { Availability } from '../routing/domain/routing-types.js';
import { RoutingService } from '../routing/routing.service.js';
import { toConversationView } from './conversation-views.js';
import { Conversation } from './conversation.entity.js';
import { ConversationsService } from './conversations.service.js';
import type { Actor } from './domain/access.js';

/**
 * What a supervisor does to someone else's work: move or close a conversation, force an agent's state.
 * Conversation actions are recorded as conversation events with the supervisor as actor (by the
 * services that perform them); forced states in agent_state_event.
 */
@Injectable()
export class SupervisorActionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ConversationsService,
    private readonly routing: RoutingService,
    private readonly agents: AgentsService,
    private readonly staff: StaffService,
  ) {}

  async reassign(
    supervisor: StaffUser,
    conversationId: string,
    target: { agentId?: string; queueId?: string; note?: string },
  ): Promise<ConversationView> {
    await this.routing.transfer(actorOf(supervisor), conversationId, target);
    return this.view(conversationId);
  }

  async close(supervisor: StaffUser, conversationId: string, disposition: string): Promise<ConversationView> {
    const closed = await this.conversations.close(actorOf(supervisor), conversationId, disposition);
    return toConversationView(closed);
  }

  /** Sets the agent's availability as if they had, and records who forced it. */
  async setAgentState(
    supervisor: StaffUser,
    staffId: string,
    availability: Availability,
  ): Promise<{ staffId: string; availability: Availability }> {
    await this.staff.get(staffId);
    await this.agents.setAvailability(staffId, availability);
    await this.db.query(
      `INSERT INTO agent_state_event (staff_id, availability, actor_id) VALUES ($1, $2, $3)`,
      [staffId, availability, supervisor.id],
    );
    return { staffId, availability };
  }

  private async view(conversationId: string): Promise<ConversationView> {
    return toConversationView(
      await this.db.getRepository(Conversation).findOneByOrFail({ id: conversationId }),
    );
  }
}

function actorOf(staff: StaffUser): Actor {
  return { kind: 'staff', staffId: staff.id, role: staff.role, displayName: staff.displayName };
}
