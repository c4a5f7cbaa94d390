import { Global, Module } from '@nestjs/common';
import { FileLinksModule } from '../../attachments/file-links.module.js';
import { ChannelAccountsModule } from '../channel-accounts/channel-accounts.module.js';
import { ChannelOutbound } from './channel-outbound.js';
import { DeliveryQueues } from './delivery-queues.service.js';
import { DeliveryStatusService } from './delivery-status.service.js';

/**
 * Global so MessagesService can hand agent messages of messaging-network conversations to the
 * delivery queues without importing the channels feature (which itself builds on conversations).
 */
@Global()
@Module({
  imports: [ChannelAccountsModule, FileLinksModule],
  providers: [ChannelOutbound, DeliveryQueues, DeliveryStatusService],
  exports: [ChannelOutbound, DeliveryStatusService],
})
export class ChannelOutboundModule {}
