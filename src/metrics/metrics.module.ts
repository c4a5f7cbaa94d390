import { Global, Module } from '@nestjs/common';
import { RoutingJobsModule } from '../routing/routing-jobs.module.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** GET /metrics. Global, so the features it observes inject MetricsService without importing it back. */
@Global()
@Module({
  imports: [RoutingJobsModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsTokenGuard],
  exports: [MetricsService],
})
export class MetricsModule {}
