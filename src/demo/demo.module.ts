import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RoutingModule } from '../routing/routing.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { DemoSeedService } from './demo-seed.service.js';

@Module({
  imports: [AuthModule, RoutingModule, SitesModule],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class DemoModule {}
