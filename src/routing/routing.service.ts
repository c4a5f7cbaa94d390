import { ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Conversation } from '../conversations/conversation.entity.js';
import { canParticipate, isSupervisorOrAdmin, type Actor } from '../conversations/domain/access.js';
import { transition } from '../conversations/domain/conversation-state.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { assign, candidatesFor, lockAgentLoad, lockNextWaiting, queueRule } from './assignment.repository.js';
import { AssignmentNotifier } from './assignment.notifier.js';
import { isEligible } from './domain/pick-agent.js';
import { rank } from './domain/strategies.js';
import { RoutingJobs } from './routing-jobs.js';

export interface AssignmentMade {
  conversationId: string;
  queueId: string;
  agentId: string;
  enqueuedAt: Date;
}

/** Hands waiting conversations to agents. Every assignment is one transaction; see assignment.repository. */
@Injectable()
export class RoutingService {
  private readonly logger = new Logger(RoutingService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AssignmentNotifier) private readonly notifier: AssignmentNotifier,
    private readonly jobs: RoutingJobs,
    private readonly metrics: MetricsService,
  ) {}

  /** Assigns waiting conversations of the queue until it is empty or nobody can take more. */
  async routeQueue(queueId: string): Promise<AssignmentMade[]> {
    const made: AssignmentMade[] = [];
    for (;;) {
      const assignment = await this.assignNext(queueId);
      if (!assignment) break;
      made.push(assignment);
      this.metrics.assignmentMade(queueId, assignment.enqueuedAt);
      await this.notifier.assigned(assignment);
    }
    await this.notifier.queueChanged(queueId);
    this.logger.debug({ queueId, assigned: made.length }, 'routed queue');
    return made;
  }

  async routeForAgent(agentId: string): Promise<AssignmentMade[]> {
    const queues: { queue_id: string }[] = await this.db.query(
      `SELECT m.queue_id FROM queue_member m JOIN queue q ON q.id = m.queue_id
        WHERE m.staff_id = $1 ORDER BY q.priority DESC, q.name`,
      [agentId],
    );
    const made: AssignmentMade[] = [];
    for (const { queue_id } of queues) made.push(...(await this.routeQueue(queue_id)));
    return made;
  }

  /** The periodic safety net: every queue with someone waiting gets another routing pass. */
  async sweep(): Promise<number> {
    const queues: { queue_id: string }[] = await this.db.query(
      `SELECT DISTINCT queue_id FROM conversation WHERE status = 'queued'`,
    );
    let assigned = 0;
    for (const { queue_id } of queues) assigned += (await this.routeQueue(queue_id)).length;
    // Usually a race with the event-driven pass; repeated non-zero counts would point at a lost trigger.
    if (assigned > 0) this.logger.debug({ assigned }, 'sweep assigned conversations');
    return assigned;
  }

  private assignNext(queueId: string): Promise<AssignmentMade | null> {
    return this.db.transaction(async (tx) => {
      const queue = await queueRule(tx, queueId);
      // Manual-pick queues are never auto-assigned: agents take conversations with conversation:pick.
      if (!queue || queue.rule.strategy === 'manual') return null;
      const waiting = await lockNextWaiting(tx, queueId);
      if (!waiting) return null;
      const eligible = (await candidatesFor(tx, queueId)).filter((agent) => isEligible(agent, queue.rule));
      for (const candidate of rank(queue.rule.strategy, queue.context, eligible)) {
        const load = await lockAgentLoad(tx, candidate.id);
        if (!load || !load.connected || load.availability !== 'available' || load.activeCount >= load.capacity) continue;
        await assign(tx, waiting.id, queueId, candidate.id, { type: 'assigned' });
        return { conversationId: waiting.id, queueId, agentId: candidate.id, enqueuedAt: waiting.enqueuedAt };
      }
      return null;
    });
  }

  /** Hands a conversation straight to another agent, who must be available and under capacity. */
  async transferToAgent(actor: Actor, conversationId: string, agentId: string, note?: string): Promise<void> {
    const previousAgentId = await this.db.transaction(async (tx) => {
      const conversation = await tx.findOne(Conversation, {
        where: { id: conversationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!conversation) throw new NotFoundException('No such conversation');
      if (actor.kind !== 'staff' || !(canParticipate(actor, conversation) || isSupervisorOrAdmin(actor))) {
        throw new ForbiddenException('This conversation is not yours');
      }
      transition(conversation.status, 'transfer-to-agent');
      if (conversation.agentId === agentId) throw new ConflictException('The conversation is already with that agent');
      const load = await lockAgentLoad(tx, agentId);
      if (!load) throw new NotFoundException('No such agent');
      if (load.availability !== 'available' || !load.connected) throw new ConflictException('That agent is not available');
      if (load.activeCount >= load.capacity) throw new ConflictException('That agent is at capacity');
      await assign(tx, conversation.id, conversation.queueId, agentId, {
        type: 'transferred',
        actorId: actor.staffId,
        data: { fromAgentId: conversation.agentId, note: note ?? null },
      });
      return conversation.agentId;
    });
    const conversation = await this.db.getRepository(Conversation).findOneByOrFail({ id: conversationId });
    if (previousAgentId) {
      this.notifier.removed(previousAgentId, conversationId, 'transferred');
      await this.jobs.requestRouteForAgent(previousAgentId);
    }
    await this.notifier.assigned({ conversationId, queueId: conversation.queueId, agentId });
  }

  /**
   * The agent is gone (no socket for the grace period): they go offline and their conversations return
   * to their queues ahead of newer arrivals (enqueued_at is kept), to be routed again.
   */
  async requeueAgent(agentId: string): Promise<string[]> {
    const requeued = await this.db.transaction(async (tx) => {
      const open = await tx.find(Conversation, {
        where: { agentId, status: 'assigned' },
        lock: { mode: 'pessimistic_write' },
      });
      for (const conversation of open) {
        const status = transition(conversation.status, 'requeue');
        await tx.update(Conversation, { id: conversation.id }, { status, agentId: null, assignedAt: null });
        await tx.query(
          `INSERT INTO conversation_event (conversation_id, type, queue_id, agent_id, data)
           VALUES ($1, 'requeued', $2, $3, '{"reason":"agent-disconnected"}')`,
          [conversation.id, conversation.queueId, agentId],
        );
      }
      await tx.query(
        `UPDATE agent_state SET connected = false, availability = 'offline',
                availability_changed_at = CASE WHEN availability = 'offline' THEN availability_changed_at ELSE now() END
          WHERE staff_id = $1`,
        [agentId],
      );
      return open;
    });
    for (const conversation of requeued) this.notifier.removed(agentId, conversation.id, 'agent-disconnected');
    await this.jobs.requestRoute(requeued.map((c) => c.queueId));
    return requeued.map((c) => c.id);
  }
}
