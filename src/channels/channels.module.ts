import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module.js';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { RoutingJobsModule } from '../routing/routing-jobs.module.js';
import { RoutingModule } from '../routing/routing.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { ChannelAccountsModule } from './channel-accounts/channel-accounts.module.js';
import { ConnectionSupervisor } from './connections/connection-supervisor.service.js';
import { ChannelOutboundModule } from './delivery/channel-outbound.module.js';
import { OutboundConversationsService } from './delivery/outbound-conversations.service.js';
import { OutboundController } from './delivery/outbound.controller.js';
import { ChannelConversationsService } from './webhooks/channel-conversations.service.js';
import { InboundEventsService } from './webhooks/inbound-events.service.js';
import { CHANNEL_INBOUND_QUEUE } from './webhooks/inbound-jobs.js';
import { InboundProcessor } from './webhooks/inbound.processor.js';
import { MediaDownloadService } from './webhooks/media-download.service.js';
import { WebhookIntakeService } from './webhooks/webhook-intake.service.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';

/** Messaging networks: accounts, webhooks in, deliveries out, agent-initiated conversations. */
@Module({
  imports: [
    BullModule.registerQueue({ name: CHANNEL_INBOUND_QUEUE }),
    ChannelAccountsModule,
    ChannelOutboundModule,
    ContactsModule,
    ConversationsModule,
    RoutingJobsModule,
    RoutingModule,
    StorageModule,
  ],
  controllers: [WebhooksController, OutboundController],
  providers: [
    WebhookIntakeService,
    InboundProcessor,
    InboundEventsService,
    MediaDownloadService,
    ChannelConversationsService,
    OutboundConversationsService,
    ConnectionSupervisor,
  ],
})
export class ChannelsModule {}
