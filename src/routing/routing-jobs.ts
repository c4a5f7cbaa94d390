import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue as JobQueue } from 'bullmq';

export const ROUTING_QUEUE = 'routing';

export type RoutingJob =
  | { name: 'route-queue'; data: { queueId: string } }
  | { name: 'route-agent'; data: { agentId: string } }
  | { name: 'sweep'; data: Record<string, never> }
  | { name: 'agent-grace'; data: { agentId: string } };

const graceJobId = (agentId: string) => `agent-grace-${agentId}`;

/**
 * Asks the router to run. Any node's worker may pick the job up; the assignment transaction makes
 * concurrent runs safe, so route requests are never deduplicated (a dropped request could strand a chat).
 */
@Injectable()
export class RoutingJobs {
  constructor(@InjectQueue(ROUTING_QUEUE) private readonly queue: JobQueue) {}

  async requestRoute(queueIds: Iterable<string>): Promise<void> {
    const unique = [...new Set(queueIds)];
    if (unique.length === 0) return;
    await this.queue.addBulk(
      unique.map((queueId) => ({
        name: 'route-queue',
        data: { queueId },
        opts: { removeOnComplete: true, removeOnFail: 100 },
      })),
    );
  }

  /** The agent can take more work (available again, capacity freed, joined a queue): route their queues. */
  async requestRouteForAgent(agentId: string): Promise<void> {
    await this.queue.add('route-agent', { agentId }, { removeOnComplete: true, removeOnFail: 100 });
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

  async startSweep(everyMs: number): Promise<void> {
    await this.queue.upsertJobScheduler(
      'routing-sweep',
      { every: everyMs },
      { name: 'sweep', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}
