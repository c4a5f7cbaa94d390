import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { AgentState } from './agent-state.entity.js';
import { AgentsService } from './agents.service.js';
import { AssignmentNotifier } from './assignment.notifier.js';
import { ManualPickService } from './manual-pick.service.js';
import { OffersService } from './offers.service.js';
import { Queue, QueueMember } from './queue.entity.js';
import { QueuesController } from './queues.controller.js';
import { QueuesService } from './queues.service.js';
import { QueueStatusModule } from './queue-status.module.js';
import { RouteRunner } from './route-runner.js';
import { RoutingJobsModule } from './routing-jobs.module.js';
import { RoutingProcessor } from './routing.processor.js';
import { RoutingService } from './routing.service.js';
import { SlaService } from './sla.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Queue, QueueMember, AgentState]),
    RoutingJobsModule,
    AuthModule,
    ContactsModule,
    ConversationsModule,
    QueueStatusModule,
  ],
  controllers: [QueuesController],
  providers: [
    AgentsService,
    AssignmentNotifier,
    ManualPickService,
    OffersService,
    QueuesService,
    RouteRunner,
    RoutingService,
    RoutingProcessor,
    SlaService,
  ],
  exports: [AgentsService, AssignmentNotifier, ManualPickService, OffersService, QueuesService, RoutingService],
})
export class RoutingModule {}
