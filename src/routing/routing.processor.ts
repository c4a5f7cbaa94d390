import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AbandonmentService } from '../conversations/abandonment.service.js';
import { InactivityService } from '../conversations/inactivity.service.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { ROUTING_QUEUE, RoutingJobs, type RoutingJob } from './routing-jobs.js';
import { AgentsService } from './agents.service.js';
import { OffersService } from './offers.service.js';
import { RoutingService } from './routing.service.js';
import { SlaService } from './sla.service.js';

@Processor(ROUTING_QUEUE, { concurrency: 4 })
export class RoutingProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoutingProcessor.name);

  constructor(
    private readonly routing: RoutingService,
    private readonly hub: RealtimeHub,
    private readonly jobs: RoutingJobs,
    private readonly agents: AgentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly abandonment: AbandonmentService,
    private readonly inactivity: InactivityService,
    private readonly offers: OffersService,
    private readonly sla: SlaService,
  ) {
    super();
  }

  /** One scheduler for the whole deployment (upsert by id): every node may run it, each tick runs once. */
  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.startSweep(this.config.routing.sweepIntervalMs);
  }

  /** Finish running jobs while sockets and the database are still open (they close after this hook). */
  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job<RoutingJob['data'], unknown, RoutingJob['name']>, token?: string): Promise<unknown> {
    const routingJob = { name: job.name, data: job.data } as RoutingJob;
    switch (routingJob.name) {
      case 'route-queue':
        return (await this.routing.routeQueue(routingJob.data.queueId)).length;
      case 'route-agent':
        return (await this.routing.routeForAgent(routingJob.data.agentId)).length;
      case 'sweep': {
        await this.offers.expireOverdue();
        await this.sla.checkOverdue();
        const assigned = await this.routing.sweep();
        await this.agents.releaseVanished(this.config.routing.agentGraceMs).catch((error: unknown) =>
          // A node that does not answer the socket count: try again at the next sweep, change nothing now.
          this.logger.warn({ err: error }, 'could not check which agents are still connected'),
        );
        return assigned;
      }
      case 'agent-grace': {
        // The agent may have reconnected on any node since the job was scheduled; a connect racing the
        // disconnect on another node may also have left `connected` false, which this repairs.
        if ((await this.hub.agentSocketCount(routingJob.data.agentId)) > 0) {
          await this.agents.setConnected(routingJob.data.agentId, true);
          return [];
        }
        return this.routing.requeueAgent(routingJob.data.agentId);
      }
      case 'abandon':
        return this.abandonment.abandonIfGone(routingJob.data.conversationId, routingJob.data.leftAt);
      case 'inactivity': {
        const decision = await this.inactivity.check(routingJob.data.conversationId);
        if (decision.kind !== 'wait') return decision.kind;
        // The customer was active since: the same job (same id) waits for the new due time.
        await job.moveToDelayed(Date.now() + decision.ms, token);
        throw new DelayedError();
      }
      case 'sla-check': {
        const result = await this.sla.check(routingJob.data.conversationId, routingJob.data.queueId);
        if (result.kind !== 'wait') return result.kind;
        // Nothing due yet: the same job (same id) sleeps until the queue's rules next act.
        await job.moveToDelayed(Date.now() + result.ms, token);
        throw new DelayedError();
      }
      case 'offer-timeout': {
        const outcome = await this.offers.expire(routingJob.data.conversationId, routingJob.data.offeredAt);
        if (outcome.kind !== 'wait') return outcome.kind;
        // Fired before the offer's expiry (clocks of two nodes): the same job waits for the rest.
        await job.moveToDelayed(Date.now() + outcome.ms, token);
        throw new DelayedError();
      }
    }
  }
}
