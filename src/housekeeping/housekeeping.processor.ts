import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { InactivityService } from '../conversations/inactivity.service.js';
import { HOUSEKEEPING_QUEUE, HousekeepingSchedule, type HousekeepingJob } from './housekeeping-jobs.js';
import { HousekeepingService, type HousekeepingResult } from './housekeeping.service.js';

/**
 * Runs the periodic housekeeping on its own queue, so a long run never delays routing jobs: retention,
 * then the inactivity timers of open conversations armed again where they were lost.
 */
@Processor(HOUSEKEEPING_QUEUE, { concurrency: 1 })
export class HousekeepingProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly stopping = new AbortController();

  constructor(
    private readonly housekeeping: HousekeepingService,
    private readonly schedule: HousekeepingSchedule,
    private readonly inactivity: InactivityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule.start(this.config.housekeeping.intervalMs);
  }

  /**
   * A run working through a large backlog stops after its current batch; the worker then closes while
   * the database is still open (it closes after this hook).
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.worker.close();
  }

  async process(
    job: Job<HousekeepingJob['data'], unknown, HousekeepingJob['name']>,
  ): Promise<HousekeepingResult & { inactivityChecks: number }> {
    const typed = { name: job.name, data: job.data } as HousekeepingJob;
    switch (typed.name) {
      case 'housekeeping': {
        const deleted = await this.housekeeping.run(this.stopping.signal);
        // Timers live in Redis: any an outage or an upgrade lost are armed again (at start, then every run).
        return { ...deleted, inactivityChecks: await this.inactivity.rearmOpen() };
      }
    }
  }
}
