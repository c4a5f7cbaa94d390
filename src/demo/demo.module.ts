import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CannedRepliesModule } from '../canned-replies/canned-replies.module.js';
import { RoutingModule } from '../routing/routing.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { DemoSeedService } from './demo-seed.service.js';

@Module({
  imports: [AuthModule, CannedRepliesModule, RoutingModule, SitesModule],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class DemoModule {}
