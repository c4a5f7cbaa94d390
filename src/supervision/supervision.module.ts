import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MetricsFeed } from './metrics.feed.js';
import { SupervisionController } from './supervision.controller.js';
import { SupervisionService } from './supervision.service.js';
import { SupervisorGateway } from './supervisor.gateway.js';

/** Live queue metrics for supervisors: read-only over what routing and conversations wrote. */
@Module({
  imports: [AuthModule],
  controllers: [SupervisionController],
  providers: [SupervisionService, MetricsFeed, SupervisorGateway],
})
export class SupervisionModule {}
