import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { transition } from '../conversations/domain/conversation-state.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { AgentsService } from './agents.service.js';
import { assign } from './assignment.repository.js';
import { AssignmentNotifier } from './assignment.notifier.js';
import {
  missedInARowAfter,
  onAccept,
  onDecline,
  onTimeout,
  shouldSetAway,
  type IgnoredBecause,
  type OfferOutcome,
  type OfferState,
} from './domain/offers.js';
import {
  closeOffer,
  lockMissedOffers,
  lockOffer,
  overdueOffers,
  setMissedOffers,
  wasOffered,
  type LockedOffer,
} from './offer.repository.js';
import { RoutingJobs } from './routing-jobs.js';
import { RoutingService } from './routing.service.js';

export type OfferTimeoutResult =
  { kind: 'ignored' } | { kind: 'wait'; ms: number } | { kind: 'expired'; setAway: boolean };

/** A timeout job this late is lost (its node died): the sweep expires the offer instead. */
const OVERDUE_GRACE_SECONDS = 5;

/**
 * Answers to offers (offer-mode queues): accept, decline, and the timeout. Each is one transaction on the
 * conversation's locked row, so an accept racing a timeout or a second accept changes things once.
 */
@Injectable()
export class OffersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notifier: AssignmentNotifier,
    private readonly routing: RoutingService,
    private readonly agents: AgentsService,
    private readonly jobs: RoutingJobs,
    private readonly metrics: MetricsService,
  ) {}

  async accept(agentId: string, conversationId: string): Promise<void> {
    const now = new Date();
    const accepted = await this.db.transaction(async (tx) => {
      const locked = await this.locked(tx, conversationId);
      const answer = onAccept(stateOf(locked), agentId, now);
      if (!answer.ok) return this.refuse(tx, answer.ignored, conversationId, agentId);
      const offeredAt = (locked.offer as { offeredAt: Date }).offeredAt;
      transition(locked.status, 'assign');
      await closeOffer(tx, conversationId, null);
      await assign(tx, conversationId, locked.queueId, agentId, {
        type: 'assigned',
        data: { offered: true },
      });
      await this.recordOutcome(tx, agentId, 'accepted');
      return { queueId: locked.queueId, enqueuedAt: locked.enqueuedAt, offeredAt };
    });
    await this.jobs.cancelOfferTimeout(conversationId, accepted.offeredAt);
    this.metrics.assignmentMade(accepted.queueId, accepted.enqueuedAt);
    await this.notifier.assigned({ conversationId, queueId: accepted.queueId, agentId });
    await this.notifier.queueChanged(accepted.queueId);
  }

  /** The agent passes: the conversation is routed again at once, to someone not yet offered it. */
  async decline(agentId: string, conversationId: string): Promise<void> {
    const now = new Date();
    const declined = await this.db.transaction(async (tx) => {
      const locked = await this.locked(tx, conversationId);
      const answer = onDecline(stateOf(locked), agentId, now);
      if (!answer.ok) return this.refuse(tx, answer.ignored, conversationId, agentId);
      await closeOffer(tx, conversationId, { type: 'offer-declined', queueId: locked.queueId, agentId });
      await this.recordOutcome(tx, agentId, 'declined');
      return { queueId: locked.queueId, offeredAt: (locked.offer as { offeredAt: Date }).offeredAt };
    });
    await this.jobs.cancelOfferTimeout(conversationId, declined.offeredAt);
    await this.routing.routeQueue(declined.queueId);
  }

  /**
   * The timeout job of the offer made at `offeredAt` (epoch ms). Only that offer, still open and expired,
   * counts as missed; anything else (answered, re-offered, a closed conversation) is a late job.
   */
  async expire(conversationId: string, offeredAt: number): Promise<OfferTimeoutResult> {
    const now = new Date();
    const result = await this.db.transaction(async (tx) => {
      const locked = await lockOffer(tx, conversationId);
      if (!locked?.offer || locked.offer.offeredAt.getTime() !== offeredAt) return null;
      const agentId = locked.offer.agentId;
      if (locked.status !== 'queued') {
        // Closed or handed over while offered: the offer is void, not missed.
        await closeOffer(tx, conversationId, null);
        return { queueId: locked.queueId, agentId, outcome: { kind: 'ignored' } as const };
      }
      const timedOut = onTimeout(stateOf(locked), now);
      if (!timedOut.ok) {
        const ms = locked.offer.expiresAt.getTime() - now.getTime();
        return timedOut.ignored === 'not-expired'
          ? { queueId: null, agentId, outcome: { kind: 'wait', ms } as const }
          : null;
      }
      await closeOffer(tx, conversationId, {
        type: 'offer-timeout',
        queueId: locked.queueId,
        agentId: timedOut.missedBy,
      });
      const missed = missedInARowAfter(await lockMissedOffers(tx, timedOut.missedBy), 'timed-out');
      const setAway = shouldSetAway(missed, locked.missedOffersBeforeAway);
      // Set away, the run starts again: back at their desk, the agent gets the full allowance.
      await setMissedOffers(tx, timedOut.missedBy, setAway ? 0 : missed);
      return { queueId: locked.queueId, agentId, outcome: { kind: 'expired', setAway } as const };
    });
    if (!result) return { kind: 'ignored' };
    if (result.outcome.kind === 'wait' || !result.queueId) return result.outcome;
    this.notifier.offerExpired(result.agentId, conversationId);
    if (result.outcome.kind === 'expired' && result.outcome.setAway) {
      await this.agents.setAvailability(result.agentId, 'away');
    }
    await this.routing.routeQueue(result.queueId);
    return result.outcome;
  }

  /** The sweep's safety net for offers whose timeout job was lost. */
  async expireOverdue(): Promise<number> {
    const overdue = await this.db.transaction((tx) => overdueOffers(tx, OVERDUE_GRACE_SECONDS));
    let expired = 0;
    for (const offer of overdue) {
      if ((await this.expire(offer.conversationId, offer.offeredAt.getTime())).kind === 'expired') expired++;
    }
    return expired;
  }

  private async locked(tx: EntityManager, conversationId: string): Promise<LockedOffer> {
    const locked = await lockOffer(tx, conversationId);
    if (!locked) throw new NotFoundException('No such conversation');
    return locked;
  }

  /**
   * Why an answer changed nothing, as the client sees it: an agent answering an offer that has passed
   * (expired, taken elsewhere, offered on to someone else) gets `conflict`; an agent who was never
   * offered this conversation gets `forbidden`.
   */
  private async refuse(
    tx: EntityManager,
    ignored: IgnoredBecause,
    conversationId: string,
    agentId: string,
  ): Promise<never> {
    switch (ignored) {
      case 'offered-to-someone-else':
        if (await wasOffered(tx, conversationId, agentId))
          throw new ConflictException('This offer has expired');
        throw new ForbiddenException('This conversation is not offered to you');
      case 'expired':
        throw new ConflictException('This offer has expired');
      case 'no-open-offer':
      case 'not-expired':
        throw new ConflictException('This conversation has no open offer');
    }
  }

  private async recordOutcome(tx: EntityManager, agentId: string, outcome: OfferOutcome): Promise<void> {
    await setMissedOffers(tx, agentId, missedInARowAfter(await lockMissedOffers(tx, agentId), outcome));
  }
}

/** The open offer as the pure rules see it; an offer on a conversation no longer waiting is not open. */
function stateOf(locked: LockedOffer): OfferState {
  if (!locked.offer || locked.status !== 'queued') return { status: 'waiting', tried: [], exhaustedAt: null };
  return { status: 'offered', ...locked.offer, tried: [locked.offer.agentId] };
}
