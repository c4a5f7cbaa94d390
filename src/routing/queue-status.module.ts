import { Module } from '@nestjs/common';
import { QueueStatusService } from './queue-status.service.js';
import { RoutingJobsModule } from './routing-jobs.module.js';

/** Offline mode of queues; used where conversations start (conversations) and by the router. */
@Module({
  imports: [RoutingJobsModule],
  providers: [QueueStatusService],
  exports: [QueueStatusService],
})
export class QueueStatusModule {}
