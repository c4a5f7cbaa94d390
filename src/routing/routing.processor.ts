import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { ROUTING_QUEUE, RoutingJobs, type RoutingJob } from './routing-jobs.js';
import { AgentsService } from './agents.service.js';
import { RoutingService } from './routing.service.js';

@Processor(ROUTING_QUEUE, { concurrency: 4 })
export class RoutingProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly routing: RoutingService,
    private readonly hub: RealtimeHub,
    private readonly jobs: RoutingJobs,
    private readonly agents: AgentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  async process(job: Job<RoutingJob['data'], unknown, RoutingJob['name']>): Promise<unknown> {
    const routingJob = { name: job.name, data: job.data } as RoutingJob;
    switch (routingJob.name) {
      case 'route-queue':
        return (await this.routing.routeQueue(routingJob.data.queueId)).length;
      case 'route-agent':
        return (await this.routing.routeForAgent(routingJob.data.agentId)).length;
      case 'sweep':
        return this.routing.sweep();
      case 'agent-grace': {
        // The agent may have reconnected on any node since the job was scheduled; a connect racing the
        // disconnect on another node may also have left `connected` false, which this repairs.
        if ((await this.hub.agentSocketCount(routingJob.data.agentId)) > 0) {
          await this.agents.setConnected(routingJob.data.agentId, true);
          return [];
        }
        return this.routing.requeueAgent(routingJob.data.agentId);
      }
    }
  }
}
