import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Conversation } from '../conversations/conversation.entity.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { canParticipate, isSupervisorOrAdmin, type Actor } from '../conversations/domain/access.js';
import { transition } from '../conversations/domain/conversation-state.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import {
  assign,
  candidatesFor,
  claimWaiting,
  lockAgentLoad,
  queueWithWaiting,
  type QueueOffers,
} from './assignment.repository.js';
import type { Channel } from './domain/capacity.js';
import type { QueueOpening } from './domain/offline-mode.js';
import { AssignmentNotifier } from './assignment.notifier.js';
import { nextOffer, nextRoundAt } from './domain/offers.js';
import { planQueue, type QueuePlan } from './domain/plan-queue.js';
import { offerRounds, openOffer, withdrawOffers } from './offer.repository.js';
import { QueueStatusService } from './queue-status.service.js';
import { RoutingJobs } from './routing-jobs.js';

export interface AssignmentMade {
  conversationId: string;
  queueId: string;
  agentId: string;
  enqueuedAt: Date;
  contactId: string;
}

export interface OfferMade {
  conversationId: string;
  queueId: string;
  agentId: string;
  offeredAt: Date;
  expiresAt: Date;
}

/** One routing step: a conversation assigned (auto mode) or offered (offer mode). */
type RoutingStep = { kind: 'assigned'; made: AssignmentMade } | { kind: 'offered'; made: OfferMade };

interface RoutingPass {
  step: RoutingStep | null;
  nextCheckAt: Date | null;
  /** The queue's offline-mode settings and how many members are available, when it has waiting conversations. */
  offline?: { opening: QueueOpening; availableAgents: number };
}

const earliest = (a: Date | null, b: Date | null): Date | null => (a && b ? (a < b ? a : b) : (a ?? b));

/** Hands waiting conversations to agents. Every assignment is one transaction; see assignment.repository. */
@Injectable()
export class RoutingService {
  private readonly logger = new Logger(RoutingService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AssignmentNotifier) private readonly notifier: AssignmentNotifier,
    private readonly jobs: RoutingJobs,
    private readonly metrics: MetricsService,
    private readonly conversations: ConversationsService,
    private readonly queueStatus: QueueStatusService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get wrapUpSeconds(): number {
    return this.config.routing.wrapUpSeconds;
  }

  /**
   * Assigns (or, in an offer-mode queue, offers) waiting conversations of the queue until it is empty or
   * nobody can take more. Returns the assignments made.
   */
  async routeQueue(queueId: string): Promise<AssignmentMade[]> {
    const made: AssignmentMade[] = [];
    let offered = 0;
    for (;;) {
      const { step, nextCheckAt, offline } = await this.routeNext(queueId);
      if (!step) {
        if (nextCheckAt) await this.jobs.requestRouteAt(queueId, nextCheckAt);
        if (offline) await this.queueStatus.keepWaitingIfOffline(queueId, offline.opening, offline.availableAgents);
        break;
      }
      if (step.kind === 'offered') {
        offered++;
        await this.jobs.scheduleOfferTimeout(step.made.conversationId, step.made.offeredAt, step.made.expiresAt);
        await this.notifier.offered(step.made);
        continue;
      }
      made.push(step.made);
      this.metrics.assignmentMade(queueId, step.made.enqueuedAt);
      await this.notifier.assigned(step.made);
    }
    await this.notifier.queueChanged(queueId);
    this.logger.debug({ queueId, assigned: made.length, offered }, 'routed queue');
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

  /**
   * One assignment, in one transaction: plan the queue (pure rules), then claim the first conversation
   * someone can take and lock that agent's row to re-check their load. When nobody can take anything,
   * says when the rules will next loosen, so routing runs again then without an outside event.
   */
  private routeNext(queueId: string): Promise<RoutingPass> {
    return this.db.transaction(async (tx) => {
      const loaded = await queueWithWaiting(tx, queueId);
      if (!loaded || loaded.waiting.length === 0) return { step: null, nextCheckAt: null };
      const now = new Date();
      const candidates = await candidatesFor(tx, queueId, this.wrapUpSeconds);
      const plan = planQueue(loaded.queue, loaded.waiting, candidates, now);
      const offline = { opening: loaded.opening, availableAgents: candidates.length };
      const channels = new Map(loaded.waiting.map((w) => [w.id, w.channel ?? 'web'] as const));
      if (loaded.offers) return { ...(await this.offerNext(tx, queueId, plan, loaded.offers, channels, now)), offline };
      for (const choice of plan.choices) {
        const claimed = await claimWaiting(tx, choice.conversationId, queueId);
        if (!claimed) continue;
        for (const candidate of choice.agents) {
          if (!(await this.canTakeMore(tx, candidate.id, channels.get(choice.conversationId) ?? 'web'))) continue;
          await assign(tx, choice.conversationId, queueId, candidate.id, { type: 'assigned' });
          const made = { conversationId: choice.conversationId, queueId, agentId: candidate.id, ...claimed };
          return { step: { kind: 'assigned', made }, nextCheckAt: plan.nextCheckAt, offline };
        }
      }
      return { step: null, nextCheckAt: plan.nextCheckAt, offline };
    });
  }

  /**
   * Offer mode: the first conversation of the plan that has an agent it was not yet offered to this round
   * is offered to the best of them (offers.ts decides, including when everybody has passed). The offer
   * holds one of the agent's slots; the conversation stays queued and keeps its place.
   */
  private async offerNext(
    tx: EntityManager,
    queueId: string,
    plan: QueuePlan,
    settings: QueueOffers,
    channels: Map<string, Channel>,
    now: Date,
  ): Promise<RoutingPass> {
    let nextCheckAt = plan.nextCheckAt;
    const rounds = await offerRounds(tx, plan.choices.map((c) => c.conversationId));
    for (const choice of plan.choices) {
      const round = rounds.get(choice.conversationId);
      const waiting = { status: 'waiting', tried: round?.tried ?? [], exhaustedAt: round?.lastEventAt ?? null } as const;
      let ranked = choice.agents.map((a) => a.id);
      let claimed = false;
      for (;;) {
        const next = nextOffer(waiting, ranked, settings, now);
        if (next.status !== 'offered') {
          nextCheckAt = earliest(nextCheckAt, nextRoundAt(next, settings));
          break;
        }
        claimed ||= (await claimWaiting(tx, choice.conversationId, queueId)) !== null;
        if (!claimed) break;
        if (!(await this.canTakeMore(tx, next.agentId, channels.get(choice.conversationId) ?? 'web'))) {
          ranked = ranked.filter((id) => id !== next.agentId);
          continue;
        }
        const made = { conversationId: choice.conversationId, queueId, agentId: next.agentId, offeredAt: now, expiresAt: next.expiresAt };
        if (!(await openOffer(tx, { ...made, newRound: next.tried.length === 1 }))) break;
        return { step: { kind: 'offered', made }, nextCheckAt };
      }
    }
    return { step: null, nextCheckAt };
  }

  /**
   * Locks the agent's row (see lockAgentLoad) and says whether they can take one more conversation of
   * this channel now (per-kind limits, total, wrap-ups).
   */
  private async canTakeMore(tx: EntityManager, agentId: string, channel: Channel): Promise<boolean> {
    const load = await lockAgentLoad(tx, agentId, this.wrapUpSeconds);
    return !!load && load.connected && load.availability === 'available' && load.canTake(channel).canTake;
  }

  /**
   * A transfer as agents and supervisors ask for it: to exactly one of a queue (back in line there) or
   * an agent (straight to them, if they can take it).
   */
  async transfer(actor: Actor, conversationId: string, target: { queueId?: string; agentId?: string; note?: string }) {
    if (Boolean(target.queueId) === Boolean(target.agentId)) {
      throw new BadRequestException('Give exactly one of queueId or agentId');
    }
    if (target.agentId) await this.transferToAgent(actor, conversationId, target.agentId, target.note);
    else await this.conversations.transferToQueue(actor, conversationId, target.queueId as string, target.note);
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
      const load = await lockAgentLoad(tx, agentId, this.wrapUpSeconds);
      if (!load) throw new NotFoundException('No such agent');
      if (load.availability !== 'available' || !load.connected) throw new ConflictException('That agent is not available');
      if (!load.canTake(conversation.channel).canTake) throw new ConflictException('That agent is at capacity');
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
    const { open: requeued, withdrawn } = await this.db.transaction(async (tx) => {
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
      return { open, withdrawn: await withdrawOffers(tx, { agentId }, 'agent-offline') };
    });
    for (const conversation of requeued) this.notifier.removed(agentId, conversation.id, 'agent-disconnected');
    for (const offer of withdrawn) {
      this.notifier.offerWithdrawn(agentId, offer.conversationId, 'agent-offline');
      await this.jobs.cancelOfferTimeout(offer.conversationId, offer.offeredAt);
    }
    // Their service levels carry on from the first wait (enqueued_at was kept).
    for (const conversation of requeued) await this.jobs.scheduleSlaCheck(conversation.id, conversation.queueId);
    await this.jobs.requestRoute([...requeued, ...withdrawn].map((c) => c.queueId));
    return requeued.map((c) => c.id);
  }
}
