import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue as JobQueue } from 'bullmq';

export const ROUTING_QUEUE = 'routing';

export type RoutingJob =
  | { name: 'route-queue'; data: { queueId: string } }
  | { name: 'route-agent'; data: { agentId: string } }
  | { name: 'sweep'; data: Record<string, never> }
  | { name: 'agent-grace'; data: { agentId: string } }
  | { name: 'abandon'; data: { conversationId: string; leftAt: number } }
  | { name: 'inactivity'; data: { conversationId: string } }
  | { name: 'offer-timeout'; data: { conversationId: string; offeredAt: number } }
  | { name: 'sla-check'; data: { conversationId: string; queueId: string } };

const graceJobId = (agentId: string) => `agent-grace-${agentId}`;
const abandonJobId = (conversationId: string) => `abandon-${conversationId}`;
const inactivityJobId = (conversationId: string) => `inactivity-${conversationId}`;
/** One per offer: a conversation offered again later gets a new job, never a stale one's id. */
const offerTimeoutJobId = (conversationId: string, offeredAt: number) => `offer-timeout-${conversationId}-${offeredAt}`;

/** One per conversation and queue it waits in: entering the queue again while it sleeps adds nothing. */
const slaJobId = (conversationId: string, queueId: string) => `sla-${conversationId}-${queueId}`;

/** Timers that end a conversation retry a few times: a lost one would leave a chat open for good. */
const LIFECYCLE_RETRY = { attempts: 5, backoff: { type: 'exponential', delay: 1000 } } as const;

/**
 * Routes on the node where a request is made (see RouteRunner). Returns false when it does not take
 * the request (e.g. the node is stopping): the request then goes through the job queue.
 */
export interface LocalRouter {
  routeQueues(queueIds: readonly string[]): boolean;
  routeAgent(agentId: string): boolean;
}

/**
 * Asks the router to run: on this node at once when it routes (RouteRunner), otherwise through the job
 * queue, which any node's worker picks up. The assignment transaction makes concurrent runs safe, and a
 * request is never dropped (a dropped request could strand a chat until the sweep).
 */
@Injectable()
export class RoutingJobs {
  private readonly logger = new Logger(RoutingJobs.name);
  private local: LocalRouter | null = null;

  constructor(@InjectQueue(ROUTING_QUEUE) private readonly queue: JobQueue) {
    // Connection trouble (e.g. while shutting down) is reported here rather than on the console.
    this.queue.on('error', (error) => this.logger.warn({ err: error }, 'routing queue connection error'));
  }

  async requestRoute(queueIds: Iterable<string>): Promise<void> {
    const unique = [...new Set(queueIds)];
    if (unique.length === 0) return;
    if (this.local?.routeQueues(unique)) return;
    await this.enqueueRoute(unique);
  }

  /** Route requests through the job queue (any node's worker): when this node does not route itself. */
  async enqueueRoute(queueIds: readonly string[]): Promise<void> {
    await this.queue.addBulk(
      queueIds.map((queueId) => ({
        name: 'route-queue',
        data: { queueId },
        opts: { removeOnComplete: true, removeOnFail: 100 },
      })),
    );
  }

  /** Hands route requests to this node's router (null: through the job queue again, e.g. while stopping). */
  routeLocally(router: LocalRouter | null): void {
    this.local = router;
  }

  /**
   * Routes the queue again at `at` (a skill requirement loosens, a priority rises). One job per queue and
   * instant: asking twice for the same moment schedules it once.
   */
  async requestRouteAt(queueId: string, at: Date): Promise<void> {
    await this.queue.add(
      'route-queue',
      { queueId },
      {
        jobId: `route-at-${queueId}-${at.getTime()}`,
        delay: Math.max(0, at.getTime() - Date.now()),
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  /** The agent can take more work (available again, capacity freed, joined a queue): route their queues. */
  async requestRouteForAgent(agentId: string): Promise<void> {
    if (this.local?.routeAgent(agentId)) return;
    await this.enqueueRouteForAgent(agentId);
  }

  async enqueueRouteForAgent(agentId: string): Promise<void> {
    await this.queue.add('route-agent', { agentId }, { removeOnComplete: true, removeOnFail: 100 });
  }

  /**
   * The agent's slot frees at `at` (a wrap-up ends): route their queues then. One job per agent and
   * instant, so closing several conversations at once schedules each end once.
   */
  async requestRouteForAgentAt(agentId: string, at: Date): Promise<void> {
    await this.queue.add(
      'route-agent',
      { agentId },
      {
        jobId: `route-agent-at-${agentId}-${at.getTime()}`,
        delay: Math.max(0, at.getTime() - Date.now()),
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  /**
   * Watches a conversation waiting in a queue for its SLA escalation and maximum wait. The job runs at
   * once, works out when the queue's rules next act, and sleeps until then (the same job, moved), so
   * arming it twice, from any node, costs nothing.
   */
  async scheduleSlaCheck(conversationId: string, queueId: string): Promise<void> {
    await this.queue.add(
      'sla-check',
      { conversationId, queueId },
      { jobId: slaJobId(conversationId, queueId), removeOnComplete: true, removeOnFail: true, ...LIFECYCLE_RETRY },
    );
  }

  /** After the grace period, requeues the agent's conversations unless they came back. */
  async scheduleAgentGrace(agentId: string, delayMs: number): Promise<void> {
    await this.queue.add(
      'agent-grace',
      { agentId },
      { jobId: graceJobId(agentId), delay: delayMs, removeOnComplete: true, removeOnFail: true },
    );
  }

  async cancelAgentGrace(agentId: string): Promise<void> {
    // A job that is already running re-checks the agent's sockets itself.
    await this.queue.remove(graceJobId(agentId)).catch(() => 0);
  }

  /**
   * After the grace period, abandons the waiting conversation unless a socket of its customer is back.
   * `leftAt` (epoch ms) is when the last socket closed: the customer's wait ends there, not after the grace.
   */
  async scheduleAbandon(conversationId: string, leftAt: number, delayMs: number): Promise<void> {
    await this.queue.add(
      'abandon',
      { conversationId, leftAt },
      { jobId: abandonJobId(conversationId), delay: delayMs, removeOnComplete: true, removeOnFail: true, ...LIFECYCLE_RETRY },
    );
  }

  async cancelAbandon(conversationIds: string[]): Promise<void> {
    // A job that is already running re-checks the customer's sockets itself.
    await Promise.all(conversationIds.map((id) => this.queue.remove(abandonJobId(id)).catch(() => 0)));
  }

  /**
   * One inactivity check per conversation, armed when it starts. The handler re-reads the customer's
   * last message and moves the same job to its next due time, so customer messages cost no Redis write.
   */
  async scheduleInactivityCheck(conversationId: string, delayMs: number): Promise<void> {
    await this.queue.add(
      'inactivity',
      { conversationId },
      { jobId: inactivityJobId(conversationId), delay: delayMs, removeOnComplete: true, removeOnFail: true, ...LIFECYCLE_RETRY },
    );
  }

  /** Expires the offer at `expiresAt` unless it was answered; `offeredAt` (epoch ms) names the offer. */
  async scheduleOfferTimeout(conversationId: string, offeredAt: Date, expiresAt: Date): Promise<void> {
    await this.queue.add(
      'offer-timeout',
      { conversationId, offeredAt: offeredAt.getTime() },
      {
        jobId: offerTimeoutJobId(conversationId, offeredAt.getTime()),
        delay: Math.max(0, expiresAt.getTime() - Date.now()),
        removeOnComplete: true,
        removeOnFail: true,
        ...LIFECYCLE_RETRY,
      },
    );
  }

  async cancelOfferTimeout(conversationId: string, offeredAt: Date): Promise<void> {
    // A job that is already running finds the offer answered and changes nothing.
    await this.queue.remove(offerTimeoutJobId(conversationId, offeredAt.getTime())).catch(() => 0);
  }

  async startSweep(everyMs: number): Promise<void> {
    await this.queue.upsertJobScheduler(
      'routing-sweep',
      { every: everyMs },
      { name: 'sweep', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}
