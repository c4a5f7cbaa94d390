import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RoutingModule } from '../routing/routing.module.js';
import { ConversationsModule } from './conversations.module.js';
import { SupervisorActionsController } from './supervisor-actions.controller.js';
import { SupervisorActionsService } from './supervisor-actions.service.js';

/**
 * Supervisor actions over HTTP. A module of its own: it needs routing (transfer to an agent, agent
 * state), and routing already depends on conversations, so ConversationsModule cannot host it.
 */
@Module({
  imports: [AuthModule, ConversationsModule, RoutingModule],
  controllers: [SupervisorActionsController],
  providers: [SupervisorActionsService],
})
export class SupervisorActionsModule {}
