import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FileLinksModule } from '../attachments/file-links.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { QueueStatusModule } from '../routing/queue-status.module.js';
import { RoutingJobsModule } from '../routing/routing-jobs.module.js';
import { AbandonmentService } from './abandonment.service.js';
import { ActivityController, ActivityService } from './activity.controller.js';
import { ClosingService } from './closing.service.js';
import { ConversationAttributesService } from './conversation-attributes.service.js';
import { ConversationEvent } from './conversation-event.entity.js';
import { Conversation } from './conversation.entity.js';
import { ConversationsService } from './conversations.service.js';
import { CustomerHistoryService } from './customer-history.service.js';
import { InactivityService } from './inactivity.service.js';
import { Message } from './message.entity.js';
import { MessagesService } from './messages.service.js';
import { ReadMarksService } from './read-marks.service.js';
import { SatisfactionService } from './satisfaction.service.js';
import { ExportController } from './export.controller.js';
import { TranscriptsController } from './transcripts.controller.js';
import { TranscriptsService } from './transcripts.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Conversation, Message, ConversationEvent]), AuthModule, ContactsModule, RoutingJobsModule, FileLinksModule, QueueStatusModule],
  controllers: [TranscriptsController, ActivityController, ExportController],
  providers: [
    AbandonmentService,
    ActivityService,
    ConversationAttributesService,
    ClosingService,
    ConversationsService,
    CustomerHistoryService,
    InactivityService,
    MessagesService,
    ReadMarksService,
    SatisfactionService,
    TranscriptsService,
  ],
  exports: [
    QueueStatusModule,
    AbandonmentService,
    ConversationAttributesService,
    ConversationsService,
    CustomerHistoryService,
    InactivityService,
    MessagesService,
    ReadMarksService,
    SatisfactionService,
  ],
})
export class ConversationsModule {}
