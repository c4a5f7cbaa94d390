import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module.js';
import { HOUSEKEEPING_QUEUE, HousekeepingSchedule } from './housekeeping-jobs.js';
import { HousekeepingProcessor } from './housekeeping.processor.js';
import { HousekeepingService } from './housekeeping.service.js';

/** Retention: periodic deletion of processed raw inbound events and of uploads never sent. */
@Module({
  imports: [BullModule.registerQueue({ name: HOUSEKEEPING_QUEUE }), StorageModule],
  providers: [HousekeepingSchedule, HousekeepingService, HousekeepingProcessor],
})
export class HousekeepingModule {}
