import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AttachmentsModule } from './attachments/attachments.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CannedRepliesModule } from './canned-replies/canned-replies.module.js';
import { ChannelsModule } from './channels/channels.module.js';
import { WidgetModule } from './channels/widget/widget.module.js';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { ContactsModule } from './contacts/contacts.module.js';
import { ConversationsModule } from './conversations/conversations.module.js';
import { SupervisorActionsModule } from './conversations/supervisor-actions.module.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { DemoModule } from './demo/demo.module.js';
import { HealthModule } from './health/health.module.js';
import { HousekeepingModule } from './housekeeping/housekeeping.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RoutingModule } from './routing/routing.module.js';
import { SitesModule } from './sites/sites.module.js';
import { StaffModule } from './staff/staff.module.js';
import { SupervisionModule } from './supervision/supervision.module.js';
import { WorkspaceModule } from './workspace/workspace.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password'],
            autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
          },
        }),
        TypeOrmModule.forRoot(dataSourceOptions(config.database.url)),
        BullModule.forRoot({ connection: { url: config.redis.url }, prefix: config.redis.queuePrefix }),
        RateLimitModule,
        RealtimeModule,
        AuditModule,
        AuthModule,
        ContactsModule,
        SitesModule,
        ConversationsModule,
        RoutingModule,
        StaffModule,
        WidgetModule,
        AttachmentsModule,
        ChannelsModule,
        WorkspaceModule,
        CannedRepliesModule,
        SupervisionModule,
        SupervisorActionsModule,
        ReportsModule,
        HealthModule,
        HousekeepingModule,
        MetricsModule,
        DemoModule,
      ],
    };
  }
}
