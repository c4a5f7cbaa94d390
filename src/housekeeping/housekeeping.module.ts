import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { HOUSEKEEPING_QUEUE, HousekeepingSchedule } from './housekeeping-jobs.js';
import { HousekeepingProcessor } from './housekeeping.processor.js';
import { HousekeepingService } from './housekeeping.service.js';

/** Retention (processed raw inbound events, uploads never sent) and re-arming lost inactivity timers. */
@Module({
  imports: [BullModule.registerQueue({ name: HOUSEKEEPING_QUEUE }), StorageModule, ConversationsModule],
  providers: [HousekeepingSchedule, HousekeepingService, HousekeepingProcessor],
})
export class HousekeepingModule {}
