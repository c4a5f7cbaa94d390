import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ROUTING_QUEUE, RoutingJobs } from './routing-jobs.js';

@Module({
  imports: [BullModule.registerQueue({ name: ROUTING_QUEUE })],
  providers: [RoutingJobs],
  exports: [RoutingJobs, BullModule],
})
export class RoutingJobsModule {}
