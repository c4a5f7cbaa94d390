import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';

export const HOUSEKEEPING_QUEUE = 'housekeeping';

/** The one job of the queue: delete what the retention settings no longer keep. */
export type HousekeepingJob = { name: 'housekeeping'; data: Record<string, never> };

const SCHEDULER_ID = 'housekeeping';

@Injectable()
export class HousekeepingSchedule {
  private readonly logger = new Logger(HousekeepingSchedule.name);

  constructor(@InjectQueue(HOUSEKEEPING_QUEUE) private readonly queue: Queue) {
    // Connection trouble (e.g. while shutting down) is reported here rather than on the console.
    this.queue.on('error', (error) =>
      this.logger.warn({ err: error }, 'housekeeping queue connection error'),
    );
  }

  /**
   * One scheduler for the whole deployment, upserted by id at every start: each tick runs once, on
   * whichever node takes it, and a changed interval replaces the old one.
   */
  async start(everyMs: number): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: everyMs },
      { name: 'housekeeping', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}
