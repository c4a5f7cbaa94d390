import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { RoutingJobsModule } from '../routing/routing-jobs.module.js';
import { RoutingModule } from '../routing/routing.module.js';
import { AgentGateway } from './agent.gateway.js';
import { WorkspaceController } from './workspace.controller.js';

@Module({
  imports: [AuthModule, ConversationsModule, RoutingModule, RoutingJobsModule],
  controllers: [WorkspaceController],
  providers: [AgentGateway],
})
export class WorkspaceModule {}
