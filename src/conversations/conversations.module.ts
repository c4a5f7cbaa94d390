import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { RoutingJobsModule } from '../routing/routing-jobs.module.js';
import { AbandonmentService } from './abandonment.service.js';
import { ClosingService } from './closing.service.js';
import { ConversationEvent } from './conversation-event.entity.js';
import { Conversation } from './conversation.entity.js';
import { ConversationsService } from './conversations.service.js';
import { InactivityService } from './inactivity.service.js';
import { Message } from './message.entity.js';
import { MessagesService } from './messages.service.js';
import { TranscriptsController } from './transcripts.controller.js';
import { TranscriptsService } from './transcripts.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Conversation, Message, ConversationEvent]), AuthModule, ContactsModule, RoutingJobsModule],
  controllers: [TranscriptsController],
  providers: [
    AbandonmentService,
    ClosingService,
    ConversationsService,
    InactivityService,
    MessagesService,
    TranscriptsService,
  ],
  exports: [AbandonmentService, ConversationsService, InactivityService, MessagesService],
})
export class ConversationsModule {}
